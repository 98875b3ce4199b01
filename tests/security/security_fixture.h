// What the security regression tests share (tests/security/, one file per
// defect of issue 14): a real store, SQLite or PostgreSQL, with the ingest
// tests' registry (tests/ingest/registry), the bundled VEE settings and
// physical bounds, and helpers to import a file and read its rejects.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "identity/identity.h"
#include "ingest/ingest.h"
#include "refdata/reference_store.h"
#include "server/api.h"
#include "store/store.h"
#include "store_fixture.h"

namespace cl::security {

inline const ReferenceData& Data() {
  static auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  EXPECT_TRUE(data.ok()) << (data.ok() ? "" : data.errors().ToString());
  return *data.value();
}

// Every case runs on SQLite and on the PostgreSQL test server.
class StoreCase : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cl_security_" + std::to_string(::getpid()) + "_" + GetParam() + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    fixture_ = std::make_unique<testing::TestStore>(GetParam());
    bool skip = false;
    std::string target = fixture_->Create(&skip);
    if (skip) GTEST_SKIP() << "PostgreSQL not configured";
    auto s = OpenStore(target);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
    const std::string reg = std::string(CL_INGEST_DIR) + "/registry/";
    auto u = ImportUnits(*store_, reg + "units.csv", Data().regions, actor_);
    ASSERT_TRUE(u.ok()) << u.errors().ToString();
    auto si = ImportSites(*store_, reg + "sites.csv", actor_);
    ASSERT_TRUE(si.ok()) << si.errors().ToString();
    auto m = ImportMeters(*store_, reg + "meters.csv", Data().catalog, actor_);
    ASSERT_TRUE(m.ok()) << m.errors().ToString();
    auto vee = LoadVeeSettings(CL_SOURCE_DATA_DIR);
    ASSERT_TRUE(vee.ok()) << vee.error().ToString();
    options_.vee = *vee;
    options_.actor = actor_;
    options_.now = *ParseInstant("2026-01-01T00:00:00Z");
  }
  void TearDown() override {
    api_.reset();
    store_.reset();
    fixture_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }

  // The import of a readings file, which must not fail as a whole.
  ImportResult Import(const std::string& name, const std::string& bytes) {
    auto r = ImportReadings(*store_, Write(name, bytes), {}, options_);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : ImportResult{};
  }

  std::vector<RejectRecord> Rejects(int64_t batch_id) {
    auto r = store_->Imports().ListRejects(batch_id);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<RejectRecord>{};
  }

  MeterRecord Meter(const std::string& id) { return **store_->Registry().GetMeter(id); }

  // The API in this process on this test's store, signed in as a programme
  // administrator (the server's own request path, without the transport).
  void OpenApi() {
    UserRecord admin;
    admin.login = "admin";
    admin.role = RoleName(Role::kProgrammeAdmin);
    admin.password_hash = *HashPassword("correct horse battery");
    ASSERT_TRUE(store_->Identity().CreateUser(admin, actor_).ok());
    ServerConfig config;
    config.store = fixture_->target();
    config.data_dir = CL_SOURCE_DATA_DIR;
    config.web_dir = "/nonexistent/web";
    config.access_log = false;
    auto api = Api::Open(config);
    ASSERT_TRUE(api.ok()) << api.error().ToString();
    api_ = std::move(*api);
    ApiResponse session =
        Call("POST", "/api/v1/session", R"({"login":"admin","password":"correct horse battery"})");
    ASSERT_EQ(session.status, 200) << session.body;
    for (const auto& [k, v] : session.headers)
      if (k == "Set-Cookie" && v.rfind("cl_session=", 0) == 0) cookie_ = v.substr(0, v.find(';'));
    csrf_ = nlohmann::json::parse(session.body).value("csrf_token", "");
  }

  // One request: a JSON body, or an upload's bytes (written to a file, as the
  // transport spools them) with its content type.
  ApiResponse Call(const std::string& method, const std::string& target, const std::string& json,
                   const std::string& upload = "", const std::string& type = "text/csv") {
    ApiRequest req{method, target, {}, json, "", "127.0.0.1"};
    if (!cookie_.empty()) {
      req.headers.emplace_back("Cookie", cookie_);
      req.headers.emplace_back("X-CSRF-Token", csrf_);
    }
    if (!upload.empty()) {
      req.body_file = Write("upload-" + std::to_string(++uploads_), upload);
      req.headers.emplace_back("Content-Type", type);
    } else if (!json.empty()) {
      req.headers.emplace_back("Content-Type", "application/json");
    }
    return api_->Handle(req);
  }

  // A signed-in user of the API: its session cookie and CSRF token.
  struct Caller {
    std::string cookie, csrf;
  };
  void AddUser(const std::string& login, Role role, std::vector<std::string> units = {},
               const std::string& organisation = "") {
    UserRecord u;
    u.login = login;
    u.display_name = login;
    u.role = RoleName(role);
    u.password_hash = *HashPassword("correct horse battery");
    u.units = std::move(units);
    u.organisation = organisation;
    ASSERT_TRUE(store_->Identity().CreateUser(u, actor_).ok());
  }
  // A sign-in from `address`; on success *out holds the caller.
  ApiResponse SignInAs(const std::string& login, const std::string& password,
                       const std::string& address = "127.0.0.1", Caller* out = nullptr) {
    ApiRequest req{"POST",
                   "/api/v1/session",
                   {{"Content-Type", "application/json"}},
                   nlohmann::json{{"login", login}, {"password", password}}.dump(),
                   "",
                   address};
    ApiResponse r = api_->Handle(req);
    if (out != nullptr && r.status == 200) {
      for (const auto& [k, v] : r.headers)
        if (k == "Set-Cookie" && v.rfind("cl_session=", 0) == 0)
          out->cookie = v.substr(0, v.find(';'));
      out->csrf = nlohmann::json::parse(r.body).value("csrf_token", "");
    }
    return r;
  }
  // One request as `who` (a session, or a bearer token when `bearer` is set).
  ApiResponse CallAs(const Caller& who, const std::string& method, const std::string& target,
                     const std::string& json = "", const std::string& bearer = "") {
    ApiRequest req{method, target, {}, json, "", "127.0.0.1"};
    if (!bearer.empty()) req.headers.emplace_back("Authorization", "Bearer " + bearer);
    if (!who.cookie.empty()) {
      req.headers.emplace_back("Cookie", who.cookie);
      req.headers.emplace_back("X-CSRF-Token", who.csrf);
    }
    if (!json.empty()) req.headers.emplace_back("Content-Type", "application/json");
    return api_->Handle(req);
  }
  Caller Admin() const { return {cookie_, csrf_}; }
  // How many audit entries have this action.
  int Audited(const std::string& action) {
    auto all = store_->Audit().ListAudit(0, 100000);
    int n = 0;
    for (const auto& e : *all) n += e.action == action ? 1 : 0;
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<testing::TestStore> fixture_;
  std::unique_ptr<Store> store_;
  Actor actor_{"tester", "security-test"};
  ImportOptions options_;
  std::unique_ptr<Api> api_;
  std::string cookie_, csrf_;
  int uploads_ = 0;
};

}  // namespace cl::security
