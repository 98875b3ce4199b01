// API writes that meet a store failure at any of their writes answer 503
// with a problem document and leave nothing behind: the server's pool opens
// FailingStores (Api::Open's StoreOpener) whose Nth write fails, or whose
// connection drops there, for N over every write of the request; the real
// store is then read for a batch row, chunk, reject, audit entry or registry
// change from it. On SQLite, PostgreSQL and the in-memory FakeStore.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "identity/identity.h"
#include "server/api.h"
#include "store/store.h"
#include "store_fixture.h"
#include "support/failing_store.h"
#include "support/store_trace.h"

namespace cl {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::FaultPlan;

constexpr const char* kPassword = "correct horse battery";

class ApiStoreFailureTest
    : public ::testing::TestWithParam<std::tuple<std::string, FaultPlan::Mode>> {
 protected:
  void SetUp() override {
    const std::string kind = std::get<0>(GetParam());
    dir_ = fs::temp_directory_path() /
           ("cl_api_failure_" + std::to_string(::getpid()) + "_" + kind + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fixture_ = std::make_unique<testing::TestStore>(kind);
    bool skip = false;
    const std::string target = fixture_->Create(&skip);
    if (skip) GTEST_SKIP() << "PostgreSQL not configured";
    auto s = fixture_->Open();
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
    Seed();

    ServerConfig config;
    config.store = target;
    config.data_dir = CL_SOURCE_DATA_DIR;
    config.web_dir = "/nonexistent/web";
    config.access_log = false;
    config.rate_per_second = 1e6;
    config.rate_burst = 1e6;
    config.upload_dir = dir_.string();
    StoreOpener open = [this, kind, target]() -> Result<std::unique_ptr<Store>> {
      ++opens_;
      // The fake is one object: every pooled connection wraps it (requests
      // come one at a time through Handle).
      if (kind == "fake") return testing::MakeFailingStore(*store_, plan_);
      auto real = OpenStore(target);
      if (!real.ok()) return real.error();
      return testing::MakeFailingStore(std::move(*real), plan_);
    };
    auto api = Api::Open(config, open);
    ASSERT_TRUE(api.ok()) << api.error().ToString();
    api_ = std::move(*api);
    admin_ = SignIn("admin");
    manager_ = SignIn("manager");
  }
  void TearDown() override {
    api_.reset();
    store_.reset();
    fixture_.reset();
    fs::remove_all(dir_);
  }

  void Seed() {
    Actor setup{"setup", "test"};
    auto ok = [](const auto& r) { ASSERT_TRUE(r.ok()) << r.error().ToString(); };
    ok(store_->Registry().PutUnit({"SH-A",
                                   "91310107MA18FPQ95F",
                                   "上海甲百货有限公司",
                                   "Shanghai A Store",
                                   "310000",
                                   "上海市",
                                   "普陀区",
                                   "F5211",
                                   {}},
                                  setup));
    ok(store_->Registry().PutSite({"S1", "SH-A", "主厂区", "", "Asia/Shanghai"}, setup));
    MeterRecord m;
    m.id = "SH-A/E1";
    m.unit_id = "SH-A";
    m.site_id = "S1";
    m.carrier = "electricity";
    m.unit_of_measure = "kWh";
    ok(store_->Registry().PutMeter(m, setup));
    const std::string hash = *HashPassword(kPassword);
    for (auto [login, role, units] :
         {std::tuple{"admin", Role::kProgrammeAdmin, std::vector<std::string>{}},
          std::tuple{"manager", Role::kUnitManager, std::vector<std::string>{"SH-A"}}}) {
      UserRecord u;
      u.login = login;
      u.display_name = login;
      u.role = RoleName(role);
      u.password_hash = hash;
      u.units = units;
      ok(store_->Identity().CreateUser(u, setup));
    }
  }

  struct Caller {
    std::string cookie, csrf;
  };

  ApiResponse Call(const Caller& who, const std::string& method, const std::string& target,
                   const std::string& body, const std::string& type,
                   const std::string& body_file = "") {
    ApiRequest r;
    r.method = method;
    r.target = target;
    r.remote = "127.0.0.1";
    r.body = body;
    r.body_file = body_file;
    r.headers.emplace_back("Content-Type", type);
    if (!who.cookie.empty()) r.headers.emplace_back("Cookie", "cl_session=" + who.cookie);
    if (!who.csrf.empty()) r.headers.emplace_back("X-CSRF-Token", who.csrf);
    return api_->Handle(r);
  }

  Caller SignIn(const std::string& login) {
    ApiResponse r =
        Call({}, "POST", "/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump(),
             "application/json");
    EXPECT_EQ(r.status, 200) << r.body;
    Caller c;
    c.csrf = json::parse(r.body, nullptr, false).value("csrf_token", "");
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie" && v.rfind("cl_session=", 0) == 0)
        c.cookie = v.substr(11, v.find(';') - 11);
    return c;
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }

  // Sends the request with its Nth store write failing, for N = 1, 2, ...
  // until it meets no fault: each failure must answer 503 with a problem
  // document and leave the real store as it was. Returns the writes of the
  // request that succeeded, and its answer.
  template <typename Send>
  std::pair<int, ApiResponse> FailEveryWrite(Send send) {
    for (int n = 1; n < 10'000; ++n) {
      testing::StoreTrace before = testing::TraceOf(*store_);
      plan_->Arm(n, std::get<1>(GetParam()));
      ApiResponse r = send();
      if (!plan_->fired()) {
        int writes = plan_->writes();
        plan_->Disarm();
        return {writes, r};
      }
      SCOPED_TRACE("write " + std::to_string(n) + " failed");
      EXPECT_EQ(r.status, 503) << r.body;
      EXPECT_EQ(r.content_type, "application/problem+json");
      json problem = json::parse(r.body, nullptr, false);
      EXPECT_EQ(problem.value("status", 0), 503) << r.body;
      EXPECT_EQ(problem.value("title", ""), "Service unavailable") << r.body;
      plan_->Disarm();
      EXPECT_TRUE(testing::TraceOf(*store_) == before) << "the failed request left something";
      EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());
      if (::testing::Test::HasFailure()) return {-1, r};
    }
    ADD_FAILURE() << "the request never succeeded";
    return {-1, {}};
  }

  fs::path dir_;
  std::unique_ptr<testing::TestStore> fixture_;
  std::unique_ptr<Store> store_;  // the real store (for the fake: the only one)
  std::shared_ptr<FaultPlan> plan_ = std::make_shared<FaultPlan>();
  std::unique_ptr<Api> api_;
  Caller admin_, manager_;
  int opens_ = 0;  // connections the server's pool opened
};

TEST_P(ApiStoreFailureTest, ReadingsUploadAnswers503AndLeavesNoPartialBatch) {
  std::string csv = "meter_id,timestamp,value\n";
  for (int q = 0; q < 96; ++q) {
    char line[96];
    std::snprintf(line, sizeof line, "SH-A/E1,2025-01-0%dT%02d:%02d:00+08:00,%d.5\n", 1 + q % 2,
                  q / 4, q % 4 * 15, q);
    csv += line;
  }
  csv += "SH-A/E1,2025-01-03T00:00:00+08:00,abc\n";  // a reject
  std::string file = Write("upload.csv", csv);
  auto [writes, r] = FailEveryWrite([&] {
    return Call(manager_, "POST", "/api/v1/readings?name=readings.csv", "", "text/csv", file);
  });
  EXPECT_GT(writes, 4);
  EXPECT_EQ(r.status, 201) << r.body;
  auto batches = *store_->Imports().ListBatches();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(store_->Imports().ListRejects(batches[0].id)->size(), 1u);
  for (int64_t id = 1; id < batches[0].id; ++id)
    EXPECT_TRUE(store_->Imports().ListRejects(id)->empty()) << "rejects of failed batch " << id;
}

TEST_P(ApiStoreFailureTest, ActivitiesUploadAnswers503AndLeavesNoPartialBatch) {
  std::string file =
      Write("acts.csv",
            "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,"
            "data_source,instrument,instrument_ids,factor,factor_unit,note\n"
            "SH-A,,diesel:mobile,1,t,2025-01-01,2025-03-31,bill,,,,,\n"
            "SH-A,,diesel:mobile,x,t,2025-04-01,2025-06-30,bill,,,,,\n"
            "SH-A,,diesel:mobile,2,t,2025-07-01,2025-09-30,bill,,,,,\n");
  auto [writes, r] = FailEveryWrite([&] {
    return Call(manager_, "POST", "/api/v1/activities?name=acts.csv", "", "text/csv", file);
  });
  EXPECT_GE(writes, 5);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(store_->Activities().ListActivities("SH-A")->size(), 2u);
}

TEST_P(ApiStoreFailureTest, RegistryWriteAnswers503AndChangesNothing) {
  auto [writes, r] = FailEveryWrite([&] {
    return Call(admin_, "PUT", "/api/v1/units/SH-A/sites/S2",
                json{{"name", "Plant 2"}, {"district", "普陀区"}}.dump(), "application/json");
  });
  EXPECT_GE(writes, 1);
  EXPECT_LT(r.status, 300) << r.body;
  EXPECT_EQ(store_->Registry().ListSites()->size(), 2u);
}

// Requests come one at a time here, so the pool holds one connection: it is
// lent again after a success and closed after a failure, and the request
// after a failure runs on a new one.
TEST_P(ApiStoreFailureTest, AConnectionUnderAFailedRequestIsClosedNotLentAgain) {
  const int before = opens_;
  EXPECT_EQ(Call(admin_, "GET", "/api/v1/units", "", "").status, 200);
  EXPECT_EQ(opens_, before);
  plan_->Arm(1, std::get<1>(GetParam()));
  ApiResponse r =
      Call(admin_, "PUT", "/api/v1/units/SH-A/sites/S2",
           json{{"name", "Plant 2"}, {"district", "普陀区"}}.dump(), "application/json");
  plan_->Disarm();
  EXPECT_EQ(r.status, 503) << r.body;
  const int after = opens_;
  EXPECT_EQ(Call(admin_, "GET", "/api/v1/units", "", "").status, 200);
  EXPECT_EQ(opens_, after + 1);
  EXPECT_EQ(Call(admin_, "GET", "/api/v1/units", "", "").status, 200);
  EXPECT_EQ(opens_, after + 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiStoreFailureTest,
                         ::testing::Combine(::testing::Values("sqlite", "postgres", "fake"),
                                            ::testing::Values(FaultPlan::Mode::kFailWrite,
                                                              FaultPlan::Mode::kDropConnection)),
                         [](const auto& p) {
                           return std::get<0>(p.param) +
                                  (std::get<1>(p.param) == FaultPlan::Mode::kFailWrite
                                       ? "_FailWrite"
                                       : "_DropConnection");
                         });

}  // namespace
}  // namespace cl
