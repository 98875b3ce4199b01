// The API over real HTTP on loopback, against SQLite and PostgreSQL: the
// inventory workflow end to end, the authorization matrix (every route ×
// every role × own and another tenant's resource), the OpenAPI document
// against the routes served, and hostile requests.
#include "server/api.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "identity/identity.h"
#include "nginx_proxy.h"
#include "server/http_server.h"
#include "store/audit_payload.h"
#include "store/store.h"
#include "store_fixture.h"

namespace cl {
namespace {

using json = nlohmann::json;

constexpr const char* kPassword = "correct horse battery";
const std::vector<std::string> kRoles = {"public", "admin",    "staff", "manager",
                                         "member", "verifier", "bank",  "token"};

std::string Gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// 15-minute readings of one meter: `days` days from 2025-01-01, each `kwh`.
std::string Readings(const std::string& meter, int days, double kwh) {
  std::string csv = "meter_id,timestamp,value\n";
  for (int d = 0; d < days; ++d)
    for (int q = 0; q < 96; ++q) {
      char ts[64];
      std::snprintf(ts, sizeof ts, "2025-01-%02dT%02d:%02d:00+08:00", d + 1, q / 4, q % 4 * 15);
      csv += meter + "," + ts + "," + std::to_string(kwh) + "\n";
    }
  return csv;
}

struct Reply {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  json Json() const { return json::parse(body, nullptr, false); }
  std::string Type() const {
    auto it = headers.find("Content-Type");
    return it == headers.end() ? "" : it->second;
  }
};

// Every answer the tests receive, for tests/server/validate_responses.py to
// check against api/openapi.json: one JSON line per response in this
// process's file of the folder named by CL_API_RESPONSE_LOG (unset: none).
void LogResponse(const std::string& method, const std::string& path, const Reply& r) {
  static const char* dir = std::getenv("CL_API_RESPONSE_LOG");
  if (!dir || !*dir || r.status < 0) return;
  static std::mutex mu;
  std::lock_guard lock(mu);
  static std::ofstream out = [] {
    std::filesystem::create_directories(dir);
    return std::ofstream(std::string(dir) + "/api_test-" + std::to_string(::getpid()) + ".jsonl",
                         std::ios::app);
  }();
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  json line = {{"method", method},
               {"path", path},
               {"status", r.status},
               {"content_type", r.Type()},
               {"body", r.body},
               {"test", test ? std::string(test->test_suite_name()) + "." + test->name() : ""}};
  out << line.dump(-1, ' ', false, json::error_handler_t::replace) << "\n" << std::flush;
}

// One caller: a session (cookie and CSRF token), a bearer token, or nobody.
struct Caller {
  std::string cookie;
  std::string csrf;
  std::string bearer;
};

// The server in this process on a free loopback port; with `through_nginx`
// (CL_TEST_THROUGH_NGINX=1 by default), behind a private nginx configured as
// docs/deploy.md says, which port() then names.
class Server {
 public:
  explicit Server(const std::string& kind, ServerConfig config = {},
                  bool through_nginx = testing::NginxProxy::Wanted()) {
    fixture_ = std::make_unique<testing::TestStore>(kind);
    bool skip = false;
    config.store = fixture_->Create(&skip);
    if (skip) return;
    config.data_dir = CL_SOURCE_DATA_DIR;
    // The API alone, whether or not the web app is built, unless a test asks.
    if (config.web_dir.empty()) config.web_dir = "/nonexistent/web";
    config.access_log = false;
    config.threads = 8;
    // No rate limit, unless a test sets one.
    if (config.rate_burst == ServerConfig{}.rate_burst) {
      config.rate_per_second = 1e6;
      config.rate_burst = 1e6;
    }
    if (through_nginx) config.trusted_proxies = {"127.0.0.1"};
    auto api = Api::Open(config);
    if (!api.ok()) {
      ADD_FAILURE() << api.error().ToString();
      return;
    }
    api_ = std::move(*api);
    http_ = std::make_unique<HttpServer>(*api_);
    auto port = http_->Bind("127.0.0.1", 0);
    if (!port.ok()) {
      ADD_FAILURE() << port.error().ToString();
      return;
    }
    port_ = *port;
    direct_port_ = *port;
    thread_ = std::thread([this] { http_->Run(); });
    if (through_nginx) {
      nginx_ = std::make_unique<testing::NginxProxy>(direct_port_);
      if (!nginx_->ok()) {
        ADD_FAILURE() << nginx_->error();
        return;
      }
      port_ = nginx_->port();
    }
    auto s = OpenStore(config.store);
    if (s.ok()) store_ = std::move(*s);
    ready_ = store_ != nullptr;
  }
  ~Server() {
    nginx_.reset();
    if (http_) http_->Stop();
    if (thread_.joinable()) thread_.join();
    store_.reset();
    http_.reset();
    api_.reset();
  }
  bool ready() const { return ready_; }
  int port() const { return port_; }                // nginx's when through it
  int direct_port() const { return direct_port_; }  // the server's own
  Store& store() { return *store_; }
  testing::TestStore& fixture() { return *fixture_; }

  Reply Call(const Caller& who, const std::string& method, const std::string& path,
             const std::string& body = "", const std::string& type = "application/json",
             httplib::Headers extra = {}) {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    httplib::Headers h = std::move(extra);
    if (!who.cookie.empty()) h.emplace("Cookie", "cl_session=" + who.cookie);
    if (!who.csrf.empty()) h.emplace("X-CSRF-Token", who.csrf);
    if (!who.bearer.empty()) h.emplace("Authorization", "Bearer " + who.bearer);
    httplib::Result r = method == "GET"      ? c.Get(path.c_str(), h)
                        : method == "DELETE" ? c.Delete(path.c_str(), h)
                        : method == "PUT"    ? c.Put(path.c_str(), h, body, type.c_str())
                        : method == "PATCH"  ? c.Patch(path.c_str(), h, body, type.c_str())
                                             : c.Post(path.c_str(), h, body, type.c_str());
    if (!r) return {-1, "transport error " + httplib::to_string(r.error()), {}};
    Reply reply{r->status, r->body, r->headers};
    if (log_responses_) LogResponse(method, path, reply);
    return reply;
  }
  // For answers made from records a test wrote into the store by hand, which
  // need not be what the server would have written.
  void StopLoggingResponses() { log_responses_ = false; }

  Caller SignIn(const std::string& login) {
    Reply r =
        Call({}, "POST", "/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    Caller c;
    c.csrf = r.Json().value("csrf_token", "");
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie" && v.rfind("cl_session=", 0) == 0) {
        c.cookie = v.substr(11, v.find(';') - 11);
        EXPECT_NE(v.find("HttpOnly"), std::string::npos);
        EXPECT_NE(v.find("SameSite=Strict"), std::string::npos);
      }
    return c;
  }

 private:
  std::unique_ptr<testing::TestStore> fixture_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<Store> store_;
  std::thread thread_;
  std::unique_ptr<testing::NginxProxy> nginx_;
  int port_ = 0;
  int direct_port_ = 0;
  bool ready_ = false;
  bool log_responses_ = true;
};

// Two tenants: unit SH-A (the manager's and member's; its 2025 inventory is
// assigned to the verifier; its consent lets Bank1 see totals) and SH-B
// (nobody's but the programme's).
class City {
 public:
  explicit City(Server& s) : s_(s) {
    Store& st = s.store();
    Actor setup{"setup", "test"};
    auto ok = [](const auto& r) { EXPECT_TRUE(r.ok()) << r.error().ToString(); };
    ok(st.Registry().PutUnit({"SH-A", "91310107MA18FPQ95F", "上海甲百货有限公司",
                              "Shanghai A Store", "310000", "上海市", "普陀区", "F5211", 12500.0},
                             setup));
    ok(st.Registry().PutUnit({"SH-B",
                              "91310116MA1CL0012H",
                              "上海乙石化有限公司",
                              "Shanghai B Chem",
                              "310000",
                              "上海市",
                              "金山区",
                              "C2614",
                              {}},
                             setup));
    for (const char* u : {"SH-A", "SH-B"}) {
      ok(st.Registry().PutSite({"S1", u, "主厂区", "", "Asia/Shanghai"}, setup));
      MeterRecord m;
      m.id = std::string(u) + "/E1";
      m.unit_id = u;
      m.site_id = "S1";
      m.carrier = "electricity";
      m.unit_of_measure = "kWh";
      ok(st.Registry().PutMeter(m, setup));
    }
    const std::string hash = *HashPassword(kPassword);
    auto user = [&](const char* login, Role role, std::vector<std::string> units, const char* org) {
      UserRecord u;
      u.login = login;
      u.display_name = login;
      u.role = RoleName(role);
      u.password_hash = hash;
      u.units = std::move(units);
      u.organisation = org;
      ok(st.Identity().CreateUser(u, setup));
    };
    user("admin", Role::kProgrammeAdmin, {}, "");
    user("staff", Role::kProgrammeStaff, {}, "");
    user("manager", Role::kUnitManager, {"SH-A"}, "");
    user("member", Role::kUnitMember, {"SH-A"}, "");
    user("verifier", Role::kVerifier, {}, "VC1");
    user("bank", Role::kBankAnalyst, {}, "Bank1");
    user("manager-b", Role::kUnitManager, {"SH-B"}, "");
    ok(st.Access().AssignVerifier({"SH-A", 2025, "verifier", "", ""}, setup));
    for (const auto& r : kRoles)
      if (r != "public" && r != "token") callers[r] = s.SignIn(r);
    Reply t = s.Call(callers["manager"], "POST", "/api/v1/tokens",
                     json{{"unit", "SH-A"}, {"days", 30}, {"label", "meter gateway"}}.dump());
    EXPECT_EQ(t.status, 201) << t.body;
    callers["token"] = {"", "", t.Json().value("token", "")};
  }
  std::map<std::string, Caller> callers;

 private:
  Server& s_;
};

class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(GetParam());
    if (!server_->ready()) GTEST_SKIP() << "store not available";
    city_ = std::make_unique<City>(*server_);
  }
  void TearDown() override {
    city_.reset();
    server_.reset();
  }
  Reply As(const std::string& role, const std::string& method, const std::string& path,
           const std::string& body = "", const std::string& type = "application/json",
           httplib::Headers h = {}) {
    return server_->Call(city_->callers[role], method, path, body, type, std::move(h));
  }
  std::unique_ptr<Server> server_;
  std::unique_ptr<City> city_;
};

double ElectricityKwh(const json& doc) {
  double sum = 0;
  for (const auto& line : doc["units"][0]["lines"])
    if (line["activity"] == "electricity") sum += line["quantity"].get<double>();
  return sum;
}

TEST_P(ApiTest, InventoryWorkflowEndToEnd) {
  // A meter gateway sends three days of readings, gzipped, with one bad row
  // and one row for another tenant's meter.
  std::string csv = Readings("SH-A/E1", 3, 10.0);
  csv += "SH-A/E1,2025-01-09T00:00:00+08:00,ten\n";
  csv += "SH-B/E1,2025-01-01T00:00:00+08:00,5\n";
  httplib::Headers gz = {{"Content-Encoding", "gzip"}};
  Reply up = server_->Call(city_->callers["token"], "POST", "/api/v1/readings?name=gw.csv",
                           Gzip(csv), "text/csv", gz);
  ASSERT_EQ(up.status, 201) << up.body;
  json batch = up.Json()["batch"];
  EXPECT_EQ(batch["accepted"], 288);  // 3 days x 96 quarter hours
  EXPECT_EQ(batch["rejected"], 2);
  // The answer names the batch as the store keeps it.
  Reply kept = As("token", "GET", "/api/v1/batches/" + batch["id"].dump());
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(batch["created_at"].get<std::string>().size(), 20u);  // 2025-01-01T00:00:00Z
  EXPECT_EQ(batch["created_at"], kept.Json()["created_at"]);
  EXPECT_EQ(batch["created_by"], kept.Json()["created_by"]);
  Reply rejects = As("token", "GET", "/api/v1/batches/" + batch["id"].dump() + "/rejects");
  ASSERT_EQ(rejects.status, 200) << rejects.body;
  std::set<std::string> kinds;
  const json rejected = rejects.Json();
  for (const auto& r : rejected["rejects"]) {
    kinds.insert(r["kind"].get<std::string>());
    EXPECT_EQ(r["file"], "gw.csv");
    EXPECT_GT(r["line"].get<int>(), 288);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"bad_number", "unknown_meter"}));
  // Sending it again stores nothing twice.
  Reply again =
      server_->Call(city_->callers["token"], "POST", "/api/v1/readings", Gzip(csv), "text/csv", gz);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Json()["batch"]["accepted"], 0);
  EXPECT_EQ(again.Json()["batch"]["unchanged"], 288);

  // Read back: every reading, and 3 daily buckets of 96 readings of 10 kWh.
  Reply back = As("member", "GET",
                  "/api/v1/units/SH-A/meters/SH-A%2FE1/readings?from=2025-01-01&to=2025-01-03");
  ASSERT_EQ(back.status, 200) << back.body;
  const json series = back.Json();
  ASSERT_EQ(series["readings"].size(), 288u);
  EXPECT_EQ(series["readings"][0]["at"], "2024-12-31T16:00:00Z");  // 00:00 in Shanghai
  EXPECT_EQ(series["readings"][0]["value"], 10.0);
  Reply bucketed = As("member", "GET",
                      "/api/v1/units/SH-A/meters/SH-A%2FE1/readings?from=2025-01-01&to=2025-01-03"
                      "&buckets=3");
  ASSERT_EQ(bucketed.status, 200) << bucketed.body;
  const json spans = bucketed.Json()["buckets"];
  ASSERT_EQ(spans.size(), 3u);
  for (const auto& b : spans) {
    EXPECT_EQ(b["count"], 96);
    EXPECT_EQ(b["min"], 10.0);
    EXPECT_EQ(b["max"], 10.0);
  }
  EXPECT_EQ(As("member", "GET",
               "/api/v1/units/SH-A/meters/SH-A%2FE1/readings?from=2025-01-01&to=2026-12-31")
                .status,
            422);
  // Compute the draft: 288 readings of 10 kWh = 2,880 kWh (hand calculation).
  Reply made = As("manager", "POST", "/api/v1/inventories",
                  json{{"unit", "SH-A"}, {"year", 2025}, {"methodology", "shanghai"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = made.Json()["id"].dump();
  const std::string at = "/api/v1/inventories/" + id;
  Reply got = As("member", "GET", at);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json()["status"], "draft");
  EXPECT_NEAR(ElectricityKwh(got.Json()["document"]), 2880.0, 1e-9);
  EXPECT_EQ(As("member", "GET", at + "/explanation").status, 200);

  // Draft -> submitted: frozen. The verifier cannot see drafts, then can.
  EXPECT_EQ(As("verifier", "GET", at).status, 404);
  EXPECT_EQ(As("member", "POST", at + "/submit", "{}").status, 403);
  Reply sub = As("manager", "POST", at + "/submit", "{}");
  ASSERT_EQ(sub.status, 200) << sub.body;
  EXPECT_EQ(sub.Json()["status"], "submitted");
  EXPECT_EQ(As("manager", "POST", at + "/submit", "{}").status, 409);
  EXPECT_EQ(As("verifier", "GET", at).status, 200);
  EXPECT_EQ(server_->fixture().Raw("UPDATE inventories SET document='{}' WHERE id=" + id).empty(),
            false)
      << "the schema must refuse changing a submitted inventory";

  // Verification needs an opinion; the bank sees figures, not lines.
  Reply no_opinion = As("verifier", "POST", at + "/verify", "{}");
  EXPECT_EQ(no_opinion.status, 422);
  EXPECT_EQ(no_opinion.Type(), "application/problem+json");
  EXPECT_EQ(no_opinion.Json()["errors"][0]["pointer"], "#/opinion");
  EXPECT_EQ(As("bank", "GET", at).status, 404);  // not verified yet
  // A structured conclusion: a finding on a line the inventory has.
  const json doc = As("manager", "GET", at).Json();
  EXPECT_TRUE(doc.contains("submitted_at")) << "submitted, so it says when";
  const std::string line = doc["document"]["units"][0]["lines"][0]["id"];
  json bad_conclusion = {{"opinion", "x"}, {"conclusion", "fail"}};
  Reply refused = As("verifier", "POST", at + "/verify", bad_conclusion.dump());
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.Json()["errors"][0]["pointer"], "#/conclusion") << refused.body;
  json bad_line = {{"opinion", "x"}, {"findings", {{{"line", "no-such-line"}, {"text", "t"}}}}};
  Reply unknown = As("verifier", "POST", at + "/verify", bad_line.dump());
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.Json()["errors"][0]["pointer"], "#/findings/0/line") << unknown.body;
  json with_findings = {{"opinion", "Reconciled with the January bill."},
                        {"findings", {{{"line", line}, {"text", "meter photo missing"}}}}};
  Reply ver = As("verifier", "POST", at + "/verify", with_findings.dump());
  ASSERT_EQ(ver.status, 200) << ver.body;
  const json reviewed = As("manager", "GET", at).Json();
  EXPECT_EQ(reviewed["reviews"][0]["conclusion"], "pass_with_findings");
  EXPECT_EQ(reviewed["reviews"][0]["findings"][0]["line"], line);
  EXPECT_EQ(reviewed["reviews"][0]["findings"][0]["text"], "meter photo missing");
  EXPECT_EQ(As("bank", "GET", at).status, 404);  // verified, but no consent yet
  ASSERT_EQ(As("manager", "POST", "/api/v1/consents",
               json{{"unit", "SH-A"},
                    {"bank", "Bank1"},
                    {"scopes", {"totals", "intensities"}},
                    {"year_from", 2024},
                    {"year_to", 2025},
                    {"expires", "2099-12-31"}}
                   .dump())
                .status,
            201);
  Reply bank = As("bank", "GET", at);
  ASSERT_EQ(bank.status, 200) << bank.body;
  EXPECT_FALSE(bank.Json().contains("document"));
  EXPECT_GT(bank.Json()["figures"]["total_tco2e"].get<double>(), 0);
  EXPECT_EQ(bank.Json()["reviews"][0]["opinion"], "Reconciled with the January bill.");
  EXPECT_EQ(As("public", "GET", at).status, 404);

  // Published: public — the figures, not the unit's workings.
  EXPECT_EQ(As("manager", "POST", at + "/publish", "{}").status, 403);
  ASSERT_EQ(As("staff", "POST", at + "/publish", "{}").status, 200);
  Reply pub = As("public", "GET", at);
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.Json()["status"], "published");
  Caller other = server_->SignIn("manager-b");
  EXPECT_EQ(server_->Call(other, "GET", at).status, 200);
  EXPECT_EQ(server_->Call(other, "GET", at + "/explanation").status, 404);
  EXPECT_EQ(server_->Call(other, "POST", at + "/restatement", "{}").status, 404);

  // A correction is a new version and needs a reason, kept with it (its
  // unit's people read it in the history) and in the audit log.
  Reply bad = As("manager", "POST", at + "/corrections", "{}");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.Json()["errors"][0]["pointer"], "#/reason");
  Reply fix = As("manager", "POST", at + "/corrections",
                 json{{"reason", "January bill received late"}}.dump());
  ASSERT_EQ(fix.status, 201) << fix.body;
  EXPECT_EQ(fix.Json()["version"], 2);
  EXPECT_EQ(fix.Json()["supersedes"].dump(), id);
  EXPECT_EQ(fix.Json()["reason"], "January bill received late");
  Reply listed = As("member", "GET", "/api/v1/inventories?unit=SH-A");
  ASSERT_EQ(listed.status, 200);
  int with_reason = 0;
  const json versions = listed.Json();
  for (const auto& i : versions["inventories"])
    with_reason += i.value("reason", "") == "January bill received late" ? 1 : 0;
  EXPECT_EQ(with_reason, 1) << listed.body;

  Reply audit = As("admin", "GET", "/api/v1/audit?limit=1000");
  ASSERT_EQ(audit.status, 200);
  bool correction = false, verified = false;
  const json entries = audit.Json();
  for (const auto& e : entries["entries"]) {
    if (e["action"] == "correct") {
      correction = e["reason"] == "January bill received late" && e["actor"] == "manager" &&
                   e["origin"] == "api 127.0.0.1";
    }
    if (e["entity"] == "inventory" &&
        e["after"].get<std::string>().find("verified") != std::string::npos)
      verified = e["actor"] == "verifier" && e["reason"] == "Reconciled with the January bill.";
  }
  EXPECT_TRUE(correction);
  EXPECT_TRUE(verified);
  Reply check = As("staff", "GET", "/api/v1/audit/verification");
  ASSERT_EQ(check.status, 200);
  EXPECT_EQ(check.Json()["intact"], true);
  // Tampering with the table directly (after dropping its guard) is detected.
  EXPECT_NE(server_->fixture().Raw("UPDATE audit_log SET actor='mallory' WHERE seq=3"), "");
  ASSERT_EQ(server_->fixture().Raw(GetParam() == "sqlite"
                                       ? "DROP TRIGGER audit_log_no_update"
                                       : "DROP TRIGGER audit_log_append_only ON audit_log"),
            "");
  EXPECT_EQ(server_->fixture().Raw("UPDATE audit_log SET actor='mallory' WHERE seq=3"), "");
  EXPECT_EQ(As("staff", "GET", "/api/v1/audit/verification").Json()["intact"], false);
}

TEST_P(ApiTest, BankConsentIsGrantedScopedAndRevoked) {
  // Inventory of SH-A 2025, verified.
  ASSERT_EQ(server_
                ->Call(city_->callers["token"], "POST", "/api/v1/readings",
                       Readings("SH-A/E1", 1, 4.0), "text/csv")
                .status,
            201);
  Reply made = As("manager", "POST", "/api/v1/inventories",
                  json{{"unit", "SH-A"}, {"year", 2025}, {"methodology", "shanghai"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string at = "/api/v1/inventories/" + made.Json()["id"].dump();
  ASSERT_EQ(As("manager", "POST", at + "/submit", "{}").status, 200);
  ASSERT_EQ(As("verifier", "POST", at + "/verify", json{{"opinion", "ok"}}.dump()).status, 200);
  EXPECT_EQ(As("bank", "GET", at).status, 404);  // no consent yet

  json grant = {{"unit", "SH-A"},    {"bank", "Bank1"}, {"scopes", {"totals"}},
                {"year_from", 2025}, {"year_to", 2025}, {"expires", "2099-12-31"}};
  EXPECT_EQ(As("member", "POST", "/api/v1/consents", grant.dump()).status, 403);
  json other = grant;
  other["unit"] = "SH-B";
  EXPECT_EQ(As("manager", "POST", "/api/v1/consents", other.dump()).status, 404);
  json typo = grant;
  typo["bank"] = "Bank 1";  // not a registered bank: refused, not granted to nobody
  Reply t = As("manager", "POST", "/api/v1/consents", typo.dump());
  EXPECT_EQ(t.status, 422);
  EXPECT_EQ(t.Json()["errors"][0]["pointer"], "#/bank") << t.body;
  Reply banks = As("manager", "GET", "/api/v1/banks");
  ASSERT_EQ(banks.status, 200);
  EXPECT_EQ(banks.Json()["banks"], json::parse(R"([{"name":"Bank1"}])")) << banks.body;
  json wrong = grant;
  wrong["scopes"] = {"totals", "everything"};
  Reply w = As("manager", "POST", "/api/v1/consents", wrong.dump());
  EXPECT_EQ(w.status, 422);
  EXPECT_EQ(w.Json()["errors"][0]["pointer"], "#/scopes/1") << w.body;
  Reply g = As("manager", "POST", "/api/v1/consents", grant.dump());
  ASSERT_EQ(g.status, 201) << g.body;
  Reply seen = As("bank", "GET", at);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_FALSE(seen.Json()["figures"].contains("intensities"));           // not in the scope
  EXPECT_EQ(As("bank", "GET", "/api/v1/units/SH-A/meters").status, 404);  // readings not granted
  EXPECT_EQ(As("bank", "GET", "/api/v1/units/SH-B").status, 404);
  Reply list = As("bank", "GET", "/api/v1/consents");
  ASSERT_EQ(list.Json()["consents"].size(), 1u);

  const std::string consent = "/api/v1/consents/" + g.Json()["id"].dump();
  EXPECT_EQ(As("bank", "DELETE", consent).status, 403);
  EXPECT_EQ(As("manager", "DELETE", consent).status, 204);
  EXPECT_EQ(As("bank", "GET", at).status, 404);
  EXPECT_EQ(As("manager", "DELETE", consent).status, 404);

  // Consent years hold on the meter routes too (issue 14: a readings consent
  // for 2020 exposed 2025's readings), and a verifier reads only the years
  // it is assigned to (SH-A 2025, by City).
  json readings = {{"unit", "SH-A"},    {"bank", "Bank1"}, {"scopes", {"readings"}},
                   {"year_from", 2020}, {"year_to", 2020}, {"expires", "2099-12-31"}};
  ASSERT_EQ(As("manager", "POST", "/api/v1/consents", readings.dump()).status, 201);
  const std::string meter = "/api/v1/units/SH-A/meters/SH-A%2FE1/readings";
  EXPECT_EQ(As("bank", "GET", meter + "?from=2025-01-01&to=2025-01-31").status, 403);
  EXPECT_EQ(As("bank", "GET", meter + "?from=2019-12-01&to=2020-01-31").status, 403);
  EXPECT_EQ(As("bank", "GET", meter + "?from=2020-01-01&to=2020-01-31").status, 200);
  EXPECT_EQ(As("verifier", "GET", meter + "?from=2025-01-01&to=2025-01-31").status, 200);
  EXPECT_EQ(As("verifier", "GET", meter + "?from=2024-12-01&to=2025-01-31").status, 403);
  EXPECT_EQ(As("manager", "GET", meter + "?from=2024-12-01&to=2025-01-31").status, 200);
}

// Every route × every role × own and another tenant's resource. Each cell:
// y = the route served the caller (any status but 401, 403, 404),
// u = 401, f = 403, n = 404. Columns: public admin staff manager member
// verifier bank token.
struct Expect {
  const char* own;
  const char* other;
};
const std::map<std::string, Expect>& Matrix() {
  static const std::map<std::string, Expect> m = {
      {"health", {"yyyyyyyy", "yyyyyyyy"}},
      {"metrics", {"yyyyyyyy", "yyyyyyyy"}},
      {"openapi", {"yyyyyyyy", "yyyyyyyy"}},
      {"auditCheckpoint", {"yyyyyyyy", "yyyyyyyy"}},
      {"signIn", {"yyyyyyyy", "yyyyyyyy"}},
      {"getSession", {"uyyyyyyy", "uyyyyyyy"}},
      {"signOut", {"uyyyyyyf", "uyyyyyyf"}},
      {"changePassword", {"uyyyyyyf", "uyyyyyyf"}},
      {"listUsers", {"uyyfffff", "uyyfffff"}},
      {"createUser", {"uyffffff", "uyffffff"}},
      {"getUser", {"uyyfffff", "unnfffff"}},
      {"changeUser", {"uyffffff", "unffffff"}},
      {"resetPassword", {"uyffffff", "unffffff"}},
      {"endSessions", {"uyffffff", "unffffff"}},
      {"listTokens", {"uyfyffff", "uyfyffff"}},
      {"issueToken", {"uyfyffff", "uyfyffff"}},
      {"revokeToken", {"uyfyffff", "uyfnffff"}},
      {"listUnits", {"uyyyyyyf", "uyyyyyyf"}},
      {"getUnit", {"uyyyyyyf", "uyynnnnf"}},
      {"putUnit", {"uyyfffff", "uyyfffff"}},
      {"listSites", {"uyyyyyff", "uyynnnff"}},
      {"putSite", {"uyyyffff", "uyynffff"}},
      {"listMeters", {"uyyyyynf", "uyynnnnf"}},
      {"getMeter", {"uyyyyynf", "uyynnnnf"}},
      {"putMeter", {"uyyyffff", "uyynffff"}},
      {"meterReadings", {"uyyyyynf", "uyynnnnf"}},
      {"listActivities", {"uyyyyyff", "uyynnnff"}},
      {"importReadings", {"uyyyyffy", "uyyyyffy"}},
      {"importActivities", {"uyyyyffy", "uyyyyffy"}},
      {"listBatches", {"uyyyyffy", "uyyyyffy"}},
      {"getBatch", {"uyyyyffy", "uyynnffn"}},
      {"listRejects", {"uyyyyffy", "uyynnffn"}},
      {"listInventories", {"yyyyyyyy", "yyyyyyyy"}},
      {"computeInventory", {"uyyyyfff", "uyyyyfff"}},
      {"getInventory", {"nyyyyyyn", "nyynnnnn"}},
      {"explainInventory", {"uyyyyyff", "uyynnnff"}},
      {"submitInventory", {"uyfyffff", "uyfnffff"}},
      {"verifyInventory", {"uffffyff", "uffffnff"}},
      {"returnInventory", {"uffffyff", "uffffnff"}},
      {"putReviewReport", {"uffffyff", "uffffnff"}},
      {"getReviewReport", {"uyyyyyff", "uyynnnff"}},
      {"publishInventory", {"uyyfffff", "uyyfffff"}},
      {"correctInventory", {"uyyyyfff", "uyynnfff"}},
      {"restateInventory", {"uyyyyyff", "uyynnnff"}},
      {"listAssignments", {"uyyyyyff", "uyyyyyff"}},
      {"assignVerifier", {"uyyfffff", "uyyfffff"}},
      {"listConsents", {"uyyyyfyf", "uyyyyfyf"}},
      {"grantConsent", {"uffyffff", "uffyffff"}},
      {"revokeConsent", {"uffyffff", "uffnffff"}},
      {"listBanks", {"uyyyffff", "uyyyffff"}},
      {"listDatasets", {"yyyyyyyy", "yyyyyyyy"}},
      {"getDataset", {"yyyyyyyy", "yyyyyyyy"}},
      {"publishDataset", {"uyffffff", "uyffffff"}},
      {"listMethodologies", {"yyyyyyyy", "yyyyyyyy"}},
      {"cityOverview", {"yyyyyyyy", "yyyyyyyy"}},
      {"meterCompleteness", {"uyyyyfff", "uyyyyfff"}},
      {"programmeWorklist", {"uyyfffff", "uyyfffff"}},
      {"programmeCalendar", {"uyyyyyyf", "uyyyyyyf"}},
      {"listAudit", {"uyyfffff", "uyyfffff"}},
      {"verifyAudit", {"uyyfffff", "uyyfffff"}},
  };
  return m;
}

TEST_P(ApiTest, AuthorizationMatrixHasNoLeaks) {
  Store& st = server_->store();
  Actor setup{"setup", "test"};
  // Inventories of both units, verified; a batch per writer; consents of
  // both units (SH-B's to another bank); a spare token per token-holder.
  for (const char* meter : {"SH-A/E1", "SH-B/E1"})
    ASSERT_EQ(As("admin", "POST", "/api/v1/readings", Readings(meter, 1, 2.0), "text/csv").status,
              201);
  std::map<std::string, std::string> inventory;
  for (const char* unit : {"SH-A", "SH-B"}) {
    Reply r = As("admin", "POST", "/api/v1/inventories",
                 json{{"unit", unit}, {"year", 2025}, {"methodology", "shanghai"}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    int64_t id = r.Json()["id"];
    ASSERT_TRUE(
        st.Inventories().SetInventoryStatus(id, InventoryStatus::kSubmitted, setup, "").ok());
    ASSERT_TRUE(
        st.Inventories()
            .PutReviewReport({id, "r.pdf", 9, Sha256Hex("%PDF-1.4\n"), "", "", "%PDF-1.4\n"}, setup)
            .ok());
    ASSERT_TRUE(
        st.Inventories().SetInventoryStatus(id, InventoryStatus::kVerified, setup, "ok").ok());
    inventory[unit] = std::to_string(id);
  }
  std::map<std::string, std::string> batch;
  for (const char* role : {"admin", "staff", "manager", "member", "token"}) {
    Reply r = As(role, "POST", "/api/v1/readings", "meter_id,timestamp,value\n", "text/csv");
    ASSERT_EQ(r.status, 201) << role << r.body;
    batch[role] = r.Json()["batch"]["id"].dump();
  }
  // A batch the unit's gateway token sent is also its people's; not another
  // unit's manager's.
  for (const char* role : {"manager", "member"}) {
    EXPECT_EQ(As(role, "GET", "/api/v1/batches/" + batch["token"]).status, 200) << role;
    EXPECT_EQ(As(role, "GET", "/api/v1/batches/" + batch["token"] + "/rejects").status, 200)
        << role;
    const json listed = As(role, "GET", "/api/v1/batches").Json();
    bool seen = false;
    for (const auto& b : listed["batches"]) seen = seen || b["id"].dump() == batch["token"];
    EXPECT_TRUE(seen) << role;
  }
  Caller manager_b = server_->SignIn("manager-b");
  EXPECT_EQ(server_->Call(manager_b, "GET", "/api/v1/batches/" + batch["token"]).status, 404);
  const json others = server_->Call(manager_b, "GET", "/api/v1/batches").Json();
  for (const auto& b : others["batches"]) EXPECT_NE(b["id"].dump(), batch["token"]);
  BatchRecord foreign;
  foreign.source = "elsewhere.csv";
  auto foreign_id = st.Imports().CreateBatch(foreign, {"manager-b", "test"});
  ASSERT_TRUE(foreign_id.ok());
  ConsentRecord c{0, "SH-A", "Bank1", {"totals"}, 2025, 2025, 4102444800, std::nullopt, "", ""};
  auto consent_a = st.Access().CreateConsent(c, setup);
  c.unit_id = "SH-B";
  c.bank = "Bank2";
  auto consent_b = st.Access().CreateConsent(c, setup);
  ASSERT_TRUE(consent_a.ok() && consent_b.ok());
  std::map<std::string, std::string> token;
  for (const char* role : {"admin", "manager"}) {
    Reply r = As(role, "POST", "/api/v1/tokens", json{{"unit", "SH-A"}, {"days", 1}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    token[role] = r.Json()["id"].dump();
  }
  auto b_user = st.Identity().GetUser("manager-b");
  auto b_token = IssueApiToken(
      st, **b_user, "SH-B", "ingest", 1, "",
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), setup);
  ASSERT_TRUE(b_token.ok());

  Reply doc = As("public", "GET", "/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  // Routes in table order, writes that end something last.
  std::vector<std::pair<std::string, std::string>> ops;  // (method, path)
  std::map<std::string, std::string> op_of;
  const json described = doc.Json();
  for (const auto& [path, methods] : described["paths"].items())
    for (const auto& [method, op] : methods.items()) {
      std::string m = method;
      for (auto& ch : m) ch = static_cast<char>(std::toupper(ch));
      ops.push_back({m, path});
      op_of[m + " " + path] = op["operationId"];
    }
  std::stable_sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) {
    return (a.first == "DELETE") < (b.first == "DELETE");
  });
  ASSERT_EQ(ops.size(), Matrix().size()) << "a route without a row in the matrix";

  int cells = 0;
  for (const auto& [method, path] : ops) {
    const std::string op = op_of[method + " " + path];
    auto row = Matrix().find(op);
    ASSERT_NE(row, Matrix().end()) << op << " has no row in the matrix";
    if (op == "signOut") continue;  // below, after everything else
    for (int tenant = 0; tenant < 2; ++tenant) {
      const bool own = tenant == 0;
      for (size_t ri = 0; ri < kRoles.size(); ++ri) {
        const std::string& role = kRoles[ri];
        std::string p = path;
        auto put = [&](const std::string& name, const std::string& value) {
          size_t at = p.find("{" + name + "}");
          if (at != std::string::npos) p.replace(at, name.size() + 2, value);
        };
        put("unit", own ? "SH-A" : "SH-B");
        put("site", "S1");
        put("meter", own ? "SH-A%2FE1" : "SH-B%2FE1");
        put("year", "2025");
        put("dataset", "gwp");
        put("version", "2024.08");
        // A user nobody signs in as here (ending its sessions changes no
        // other cell); on the other side a login that does not exist.
        put("login", own ? "manager-b" : "nobody-here");
        std::string id;
        if (path.find("/inventories/") != std::string::npos)
          id = inventory[own ? "SH-A" : "SH-B"];
        else if (path.find("/batches/") != std::string::npos)
          id = own ? (batch.count(role) ? batch[role] : batch["manager"])
                   : std::to_string(*foreign_id);
        else if (path.find("/consents/") != std::string::npos)
          id = std::to_string(own ? *consent_a : *consent_b);
        else if (path.find("/tokens/") != std::string::npos)
          id = own ? (token.count(role) ? token[role] : token["manager"])
                   : std::to_string(b_token->id);
        put("id", id);
        // A body that every route refuses after authorizing (an unknown
        // field), so that no cell changes what the next one sees — except
        // the DELETEs, which run last.
        std::string body = R"({"probe-field":1})";
        std::string type = "application/json";
        if (op == "importReadings" || op == "importActivities") {
          body = "";
          type = "text/csv";
        }
        Reply r = As(role, method, p, body, type);
        char want = (own ? row->second.own : row->second.other)[ri];
        char got = r.status == 401 ? 'u' : r.status == 403 ? 'f' : r.status == 404 ? 'n' : 'y';
        EXPECT_EQ(got, want) << method << " " << p << " as " << role << " ("
                             << (own ? "own" : "other") << "): " << r.status << " " << r.body;
        if (r.status >= 400) {
          EXPECT_EQ(r.Type(), "application/problem+json") << method << " " << p;
        }
        // A refused caller learns nothing of the other tenant.
        if (!own && (got == 'n' || got == 'f')) {
          EXPECT_EQ(r.body.find("SH-B/E1\""), std::string::npos) << r.body;
        }
        ++cells;
      }
    }
  }
  EXPECT_EQ(cells, 2 * 8 * (static_cast<int>(Matrix().size()) - 1));
  for (size_t ri = 0; ri < kRoles.size(); ++ri) {
    Reply r = As(kRoles[ri], "DELETE", "/api/v1/session");
    char want = Matrix().at("signOut").own[ri];
    char got = r.status == 401 ? 'u' : r.status == 403 ? 'f' : r.status == 404 ? 'n' : 'y';
    EXPECT_EQ(got, want) << "signOut as " << kRoles[ri] << ": " << r.status;
  }
  // Signed out: the old cookie is worthless.
  EXPECT_EQ(As("manager", "GET", "/api/v1/session").status, 401);
}

// The programme office's overview sums the units' inventories; everyone
// else gets published inventories only. Hand calculation: 3 days x 96
// readings x 2 kWh = 576 kWh on SH-A/E1 in January 2025 (GB/T 2589-2020
// Annex A: 0.1229 kgce/kWh -> 0.0707904 tce; Shanghai 0.42 tCO2/MWh
// (沪环气〔2022〕34号) -> 0.24192 tCO2); 1 day x 96 x 5 kWh = 480 kWh on SH-B/E1.
TEST_P(ApiTest, OverviewAndCompletenessKeepToWhatEachCallerMaySee) {
  ASSERT_EQ(As("admin", "POST", "/api/v1/readings", Readings("SH-A/E1", 3, 2.0), "text/csv").status,
            201);
  ASSERT_EQ(As("admin", "POST", "/api/v1/readings", Readings("SH-B/E1", 1, 5.0), "text/csv").status,
            201);
  std::map<std::string, int64_t> inventory;
  for (const char* unit : {"SH-A", "SH-B"}) {
    Reply r = As("admin", "POST", "/api/v1/inventories",
                 json{{"unit", unit}, {"year", 2025}, {"methodology", "shanghai"}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    inventory[unit] = r.Json()["id"];
  }
  Store& st = server_->store();
  Actor setup{"setup", "test"};
  ASSERT_TRUE(st.Inventories()
                  .SetInventoryStatus(inventory["SH-B"], InventoryStatus::kSubmitted, setup, "")
                  .ok());
  ASSERT_TRUE(st.Inventories()
                  .SetInventoryStatus(inventory["SH-B"], InventoryStatus::kVerified, setup, "ok")
                  .ok());
  ASSERT_TRUE(st.Inventories()
                  .SetInventoryStatus(inventory["SH-B"], InventoryStatus::kPublished, setup, "")
                  .ok());

  Reply staff = As("staff", "GET", "/api/v1/overview?year=2025");
  ASSERT_EQ(staff.status, 200) << staff.body;
  json o = staff.Json();
  EXPECT_EQ(o["basis"], "latest");
  ASSERT_EQ(o["units"].size(), 2u);
  const json& a = o["units"][0];
  EXPECT_EQ(a["unit"], "SH-A");
  EXPECT_EQ(a["status"], "draft");
  EXPECT_NEAR(a["energy_tce"].get<double>(), 0.0707904, 1e-9);
  EXPECT_NEAR(a["total_tco2e"].get<double>(), 0.24192, 1e-9);
  EXPECT_TRUE(a["tce_per_10k_cny"].is_null());  // no output value recorded
  // SH-A, a department store, has 12 500 m²: 0.0707904 tce = 70.7904 kgce,
  // / 12 500 m² = 0.005663232 kgce/m²; 0.24192 tCO2e (scopes 1 and 2) =
  // 241.92 kgCO2e, / 12 500 = 0.0193536 kgCO2e/m² (hand calculation).
  EXPECT_EQ(a["floor_area_m2"], 12500.0);
  EXPECT_NEAR(a["kgce_per_m2"].get<double>(), 0.005663232, 1e-12);
  EXPECT_NEAR(a["kgco2e_per_m2"].get<double>(), 0.0193536, 1e-9);
  EXPECT_TRUE(o["units"][1]["floor_area_m2"].is_null());  // SH-B, a factory: none
  EXPECT_TRUE(o["units"][1]["kgce_per_m2"].is_null());
  // Months: everything in January, both units together.
  double jan = 0;
  for (const auto& m : o["months"]) {
    EXPECT_EQ(m["month"], "2025-01");
    EXPECT_EQ(m["carrier"], "electricity");
    jan += m["energy_tce"].get<double>();
  }
  EXPECT_NEAR(jan, (576 + 480) * 0.1229 / 1000, 1e-9);

  for (const char* role : {"public", "manager", "member", "verifier", "bank"}) {
    Reply r = As(role, "GET", "/api/v1/overview?year=2025");
    ASSERT_EQ(r.status, 200) << role << r.body;
    json p = r.Json();
    EXPECT_EQ(p["basis"], "published") << role;
    ASSERT_EQ(p["units"].size(), 1u) << role;
    EXPECT_EQ(p["units"][0]["unit"], "SH-B");
    EXPECT_EQ(r.body.find("SH-A"), std::string::npos) << role << ": an unpublished unit leaks";
  }
  // The programme can ask for what the public sees.
  Reply as_public = As("staff", "GET", "/api/v1/overview?year=2025&basis=published");
  EXPECT_EQ(as_public.Json()["basis"], "published");
  EXPECT_EQ(as_public.Json()["units"].size(), 1u);
  EXPECT_EQ(As("staff", "GET", "/api/v1/overview?basis=everything").status, 422);
  // Without a year: the latest year with a visible inventory.
  EXPECT_EQ(As("public", "GET", "/api/v1/overview").Json()["year"], 2025);
  EXPECT_EQ(As("public", "GET", "/api/v1/overview?year=20x5").status, 422);

  // Completeness: 2025 is over, so the whole year is due: 365 x 96 = 35,040
  // readings per 15-minute meter; SH-A/E1 has 288, SH-B/E1 96; nothing
  // since January, so both are late.
  Reply all = As("staff", "GET", "/api/v1/completeness?year=2025");
  ASSERT_EQ(all.status, 200) << all.body;
  const json meters = all.Json()["meters"];
  ASSERT_EQ(meters.size(), 2u);
  const json& ma = meters[0];
  EXPECT_EQ(ma["meter"], "SH-A/E1");
  EXPECT_EQ(ma["expected"], 35040);
  EXPECT_EQ(ma["stored"], 288);
  EXPECT_EQ(ma["last_month"], "2025-01");
  EXPECT_EQ(ma["status"], "late");
  EXPECT_EQ(ma["short_months"].size(), 12u);
  // A year that has not begun: nothing is due, nothing is judged.
  Reply future = As("staff", "GET", "/api/v1/completeness?year=2099");
  ASSERT_EQ(future.status, 200);
  EXPECT_EQ(future.Json()["meters"][0]["status"], "not_due");
  EXPECT_TRUE(future.Json()["meters"][0]["coverage"].is_null());
  Reply mine = As("member", "GET", "/api/v1/completeness?year=2025");
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.Json()["meters"].size(), 1u);
  EXPECT_EQ(mine.body.find("SH-B"), std::string::npos);
  EXPECT_EQ(As("bank", "GET", "/api/v1/completeness?year=2025").status, 403);

  // The public figures are kept until the store changes (issue 14, item 9):
  // an ETag, and 304 without a body for a client that has the answer.
  auto etag_of = [](const Reply& r) {
    auto it = r.headers.find("ETag");
    return it == r.headers.end() ? std::string() : it->second;
  };
  const std::string path = "/api/v1/overview?year=2025";
  Reply first = As("public", "GET", path);
  const std::string etag = etag_of(first);
  ASSERT_FALSE(etag.empty()) << first.body;
  EXPECT_EQ(first.headers.find("Cache-Control")->second, "no-cache");
  Reply same = As("public", "GET", path, "", "application/json", {{"If-None-Match", etag}});
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(As("manager", "GET", path).body, first.body);  // one answer for every such caller
  // Staff's own view (every state) is never the kept one.
  EXPECT_NE(As("staff", "GET", path, "", "application/json", {{"If-None-Match", etag}}).status,
            304);
  // A publication moves the audit head: the next answer is new, with SH-A.
  for (auto to :
       {InventoryStatus::kSubmitted, InventoryStatus::kVerified, InventoryStatus::kPublished})
    ASSERT_TRUE(st.Inventories().SetInventoryStatus(inventory["SH-A"], to, setup, "").ok());
  Reply fresh = As("public", "GET", path, "", "application/json", {{"If-None-Match", etag}});
  ASSERT_EQ(fresh.status, 200);
  EXPECT_NE(etag_of(fresh), etag);
  EXPECT_EQ(fresh.Json()["units"].size(), 2u);
}

// An inventory read goes through the store for everything that can change:
// a draft's document (nothing stops another process from replacing it), the
// status and the reviews. Only the document of an inventory past draft, which
// the schema freezes, is served from memory.
TEST_P(ApiTest, InventoryReadsFollowTheStoreAndOnlyFrozenDocumentsAreKept) {
  // The documents below are written into the store by hand: tiny stand-ins,
  // not inventory documents as the server computes them.
  server_->StopLoggingResponses();
  Actor by{"setup", "test"};
  InventoryRecord inv;
  inv.unit_id = "SH-A";
  inv.year = 2025;
  inv.methodology = "shanghai";
  inv.pins = "{}";
  inv.document = R"({"units":[{"unit_id":"SH-A","total_tco2e":1.5}]})";
  auto id = server_->store().Inventories().CreateInventory(inv, by);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  const std::string path = "/api/v1/inventories/" + std::to_string(*id);
  auto total = [&](const std::string& role) {
    Reply r = As(role, "GET", path);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.Json()["document"]["units"][0]["total_tco2e"].get<double>() : -1;
  };
  EXPECT_EQ(total("manager"), 1.5);
  // Another process rewrites the draft: the next read has it.
  ASSERT_EQ(server_->fixture().Raw(
                "UPDATE inventories SET document='{\"units\":[{\"unit_id\":\"SH-A\",\"total_"
                "tco2e\":2.5}]}' WHERE id=" +
                std::to_string(*id)),
            "");
  EXPECT_EQ(total("manager"), 2.5);
  // Submitted, then verified with an opinion, by another process: the status
  // and the review show at once; the frozen document reads the same each time.
  ASSERT_TRUE(server_->store()
                  .Inventories()
                  .SetInventoryStatus(*id, InventoryStatus::kSubmitted, by, "")
                  .ok());
  EXPECT_EQ(As("manager", "GET", path).Json()["status"], "submitted");
  EXPECT_EQ(total("manager"), 2.5);
  ASSERT_TRUE(server_->store()
                  .Inventories()
                  .SetInventoryStatus(*id, InventoryStatus::kVerified, by, "looks right")
                  .ok());
  Reply verified = As("staff", "GET", path);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.Json()["status"], "verified");
  ASSERT_EQ(verified.Json()["reviews"].size(), 1u);
  EXPECT_EQ(verified.Json()["reviews"][0]["opinion"], "looks right");
  EXPECT_EQ(total("staff"), 2.5);
  EXPECT_EQ(total("manager"), 2.5);
  // Still nobody else's.
  Caller other = server_->SignIn("manager-b");
  EXPECT_EQ(server_->Call(other, "GET", path).status, 404);
}

// A read may use a session this process checked within session_cache_s; a
// session ended elsewhere (another server process, the command line) is
// refused to writes at once and to reads once that time has passed.
TEST_P(ApiTest, ASessionEndedElsewhereIsRefusedWithinTheCacheTime) {
  for (double seconds : {0.0, 2.0}) {
    ServerConfig config;
    config.identity.session_cache_s = seconds;
    Server server(GetParam(), config);
    ASSERT_TRUE(server.ready());
    City city(server);
    Caller manager = city.callers["manager"];
    ASSERT_EQ(server.Call(manager, "GET", "/api/v1/session").status, 200);
    const auto ended = std::chrono::steady_clock::now();
    ASSERT_TRUE(server.store().Identity().DeleteSession(TokenHash(manager.cookie)).ok());
    const int read = server.Call(manager, "GET", "/api/v1/session").status;
    if (seconds == 0) {
      EXPECT_EQ(read, 401);
      continue;
    }
    if (std::chrono::steady_clock::now() - ended < std::chrono::duration<double>(seconds)) {
      EXPECT_EQ(read, 200);  // checked a moment ago
    }
    EXPECT_EQ(server
                  .Call(manager, "POST", "/api/v1/tokens",
                        json{{"unit", "SH-A"}, {"days", 1}, {"label", "x"}}.dump())
                  .status,
              401);
    std::this_thread::sleep_until(ended + std::chrono::duration<double>(seconds + 0.1));
    EXPECT_EQ(server.Call(manager, "GET", "/api/v1/session").status, 401);
  }
}

// The web app's files: served from memory with their types and security
// headers; an app page (any plain path) gets index.html; the API keeps its
// paths; a missing asset is a 404; odd paths never reach a file.
TEST(WebFilesTest, ServesTheAppBesideTheApi) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("cl-web-" + std::to_string(::getpid()));
  const fs::path dir = root / "dist";
  fs::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<!doctype html><title>CarbonLedger</title>";
  std::ofstream(dir / "assets" / "app-1a2b.js") << "console.log('app')";
  std::ofstream(root / "secret.txt") << "not for the web";
  ServerConfig config;
  config.web_dir = dir.string();
  Server s("sqlite", config);
  ASSERT_TRUE(s.ready());
  httplib::Client c("127.0.0.1", s.port());
  auto index = c.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<title>CarbonLedger</title>"), std::string::npos);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
  auto page = c.Get("/units/SH-0001/meters/SH-0001%2FE1?year=2025");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->body, index->body);
  auto js = c.Get("/assets/app-1a2b.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log('app')");
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(c.Get("/assets/gone-9z9z.js")->status, 404);
  auto dotted = c.Get("/units/SH-A/meters/SH-A%2FE1.2");
  EXPECT_EQ(dotted->status, 200);
  EXPECT_EQ(dotted->body, index->body);
  EXPECT_EQ(js->get_header_value("Vary"), "Accept-Encoding");
  // The API's own paths stay the API's, found or not.
  auto health = c.Get("/healthz");
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"status\""), std::string::npos);
  auto missing = c.Get("/api/v1/no-such-thing");
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("Content-Type"), "application/problem+json");
  // Nothing outside the folder, however the path is spelled.
  for (const char* odd : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt",
                          "/assets/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt"}) {
    auto r = c.Get(odd);
    ASSERT_TRUE(r) << odd;
    EXPECT_EQ(r->body.find("not for the web"), std::string::npos) << odd;
    EXPECT_NE(r->status, 200) << odd;
  }
  // Brotli is never offered (httplib's runs at quality 11): gzip instead.
  std::string big(200000, 'x');
  std::ofstream(dir / "assets" / "big-3c4d.js") << big;
  Server s2("sqlite", config);
  httplib::Client c2("127.0.0.1", s2.port());
  c2.set_decompress(false);
  auto gz = c2.Get("/assets/big-3c4d.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
  EXPECT_LT(gz->body.size(), big.size() / 10);
  fs::remove_all(root);
}

TEST_P(ApiTest, WritesNeedTheCsrfTokenAndTokensOnlyIngest) {
  Caller no_csrf = city_->callers["manager"];
  no_csrf.csrf.clear();
  Reply r = server_->Call(no_csrf, "POST", "/api/v1/tokens", json{{"unit", "SH-A"}}.dump());
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("X-CSRF-Token"), std::string::npos);
  Caller forged = city_->callers["manager"];
  forged.csrf = city_->callers["member"].csrf;
  EXPECT_EQ(server_->Call(forged, "POST", "/api/v1/tokens", json{{"unit", "SH-A"}}.dump()).status,
            403);
  // A unit member without units writes nothing anywhere.
  UserRecord lone;
  lone.login = "lone";
  lone.role = "unit_member";
  lone.password_hash = *HashPassword(kPassword);
  ASSERT_TRUE(server_->store().Identity().CreateUser(lone, {"setup", "test"}).ok());
  Reply none = server_->Call(server_->SignIn("lone"), "POST", "/api/v1/readings",
                             Readings("SH-B/E1", 1, 1.0), "text/csv");
  ASSERT_EQ(none.status, 201) << none.body;
  EXPECT_EQ(none.Json()["batch"]["accepted"], 0);
  // A unit names its meters "<unit>/...": it cannot take another unit's ids.
  const std::string meter =
      R"({"site":"S1","carrier":"electricity","unit_of_measure":"kWh","interval":"15min"})";
  Reply squat = As("manager", "PUT", "/api/v1/units/SH-A/meters/SH-B%2FE9", meter);
  EXPECT_EQ(squat.status, 422) << squat.body;
  EXPECT_EQ(As("manager", "PUT", "/api/v1/units/SH-A/meters/SH-A%2FE9", meter).status, 201);
  EXPECT_EQ(As("manager", "PUT", "/api/v1/units/SH-A/meters/SH-A%2FE9", meter).status, 200);
  // A token reaches only its unit's meters.
  Reply up = As("token", "POST", "/api/v1/readings", Readings("SH-B/E1", 1, 1.0), "text/csv");
  ASSERT_EQ(up.status, 201);
  EXPECT_EQ(up.Json()["batch"]["accepted"], 0);
  EXPECT_EQ(up.Json()["batch"]["rejected"], 96);
  // A revoked token is refused.
  Reply t = As("manager", "POST", "/api/v1/tokens", json{{"unit", "SH-A"}}.dump());
  ASSERT_EQ(t.status, 201);
  Caller machine{"", "", t.Json()["token"]};
  EXPECT_EQ(server_->Call(machine, "GET", "/api/v1/session").status, 200);
  EXPECT_EQ(As("manager", "DELETE", "/api/v1/tokens/" + t.Json()["id"].dump()).status, 204);
  EXPECT_EQ(server_->Call(machine, "GET", "/api/v1/session").status, 401);
  Caller junk{"", "", "clt_not-a-token"};
  EXPECT_EQ(server_->Call(junk, "GET", "/api/v1/session").status, 401);
}

TEST_P(ApiTest, TheAdminPublishesADatasetVersionThatInventoriesPin) {
  // GWP 2024.08 with one value changed (CH4 AR5 28 -> 30), as a new version.
  std::string rows;
  {
    std::ifstream in(std::string(CL_SOURCE_DATA_DIR) + "/reference/gwp/2024.08.csv");
    rows.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_NE(rows.find("CH4,AR5,28,"), std::string::npos);
  std::string changed = rows;
  changed.replace(changed.find("CH4,AR5,28,"), 11, "CH4,AR5,30,");
  const std::string at =
      "/api/v1/datasets/gwp/2099.01?title=GWP%20test%20edition&published=2099-01-01";
  EXPECT_EQ(As("staff", "PUT", at, changed, "text/csv").status, 403);
  Reply untitled = As("admin", "PUT", "/api/v1/datasets/gwp/2099.01", changed, "text/csv");
  EXPECT_EQ(untitled.status, 422);
  std::string broken =
      changed + "CH4,AR6,lots,tCO2e/t,global,,,x,S,\n" + "N2O,AR6,many,tCO2e/t,global,,,x,S,\n";
  Reply bad = As("admin", "PUT", at, broken, "text/csv");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_NE(bad.body.find("store:gwp/2099.01:"), std::string::npos) << bad.body;  // file:line
  // Both bad rows are listed, each at its place in the file.
  std::set<int> lines;
  const json problem = bad.Json();
  for (const json& e : problem["errors"]) {
    EXPECT_EQ(e.value("file", ""), "store:gwp/2099.01") << e;
    lines.insert(e.value("line", 0));
  }
  EXPECT_EQ(lines.size(), 2u) << bad.body;
  EXPECT_EQ(As("admin", "PUT", "/api/v1/datasets/nope/1?title=x", changed, "text/csv").status, 422);
  Reply ok = As("admin", "PUT", at, changed, "text/csv");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(As("admin", "PUT", at, changed, "text/csv").status, 409);  // never changed
  Reply shown = As("public", "GET", "/api/v1/datasets/gwp/2099.01");
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.Json()["title"], "GWP test edition");

  // New inventories use it; it is recorded in their pins.
  ASSERT_EQ(As("token", "POST", "/api/v1/readings", Readings("SH-A/E1", 1, 3.0), "text/csv").status,
            201);
  Reply made = As("manager", "POST", "/api/v1/inventories",
                  json{{"unit", "SH-A"}, {"year", 2025}, {"methodology", "shanghai"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.Json()["datasets"]["gwp"], "2099.01");
  // Kept in the store: a restarted server still has it.
  ServerConfig c;
  c.store = server_->fixture().target();
  c.data_dir = CL_SOURCE_DATA_DIR;
  c.access_log = false;
  auto again = Api::Open(c);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  ApiRequest req;
  req.method = "GET";
  req.target = "/api/v1/datasets/gwp/2099.01";
  EXPECT_EQ((*again)->Handle(req).status, 200);
  bool audited = false;
  const json log = As("admin", "GET", "/api/v1/audit?limit=1000").Json();
  for (const auto& e : log["entries"])
    audited = audited || (e["action"] == "publish" && e["entity_id"] == "gwp/2099.01" &&
                          e["actor"] == "admin");
  EXPECT_TRUE(audited);
}

// The writes no other test makes succeed, so that their answers are checked
// against api/openapi.json too: a unit and a site registered, then updated; a
// verifier assigned; an inventory returned by its verifier and restated.
TEST_P(ApiTest, RegistryWritesReturnsAndRestatementsAnswerAsDocumented) {
  const json unit = {{"credit_code", "91310115MA1K4C0X2B"},
                     {"name_zh", "上海丙制造有限公司"},
                     {"name_en", "Shanghai C Works"},
                     {"province", "310000"},
                     {"city", "上海市"},
                     {"district", "浦东新区"},
                     {"industry_code", "C3311"}};
  Reply made_unit = As("admin", "PUT", "/api/v1/units/SH-C", unit.dump());
  ASSERT_EQ(made_unit.status, 201) << made_unit.body;
  Reply same_unit = As("staff", "PUT", "/api/v1/units/SH-C", unit.dump());
  ASSERT_EQ(same_unit.status, 200) << same_unit.body;
  EXPECT_EQ(same_unit.Json()["name_en"], "Shanghai C Works");
  EXPECT_TRUE(same_unit.Json()["floor_area_m2"].is_null());
  json with_area = unit;
  with_area["floor_area_m2"] = 8200.5;
  Reply area = As("admin", "PUT", "/api/v1/units/SH-C", with_area.dump());
  ASSERT_EQ(area.status, 200) << area.body;
  EXPECT_EQ(As("staff", "GET", "/api/v1/units/SH-C").Json()["floor_area_m2"], 8200.5);
  for (const json& bad : {json(-1), json(0), json("8200")}) {
    with_area["floor_area_m2"] = bad;
    Reply refused = As("admin", "PUT", "/api/v1/units/SH-C", with_area.dump());
    EXPECT_EQ(refused.status, 422) << bad << refused.body;
    EXPECT_NE(refused.body.find("floor_area_m2"), std::string::npos) << refused.body;
  }
  const json site = {{"name", "仓库"}, {"district", "普陀区"}};
  Reply made_site = As("manager", "PUT", "/api/v1/units/SH-A/sites/S2", site.dump());
  ASSERT_EQ(made_site.status, 201) << made_site.body;
  EXPECT_EQ(made_site.Json()["time_zone"], "Asia/Shanghai");
  EXPECT_EQ(As("manager", "PUT", "/api/v1/units/SH-A/sites/S2", site.dump()).status, 200);
  Reply assigned =
      As("staff", "PUT", "/api/v1/assignments/SH-A/2024", json{{"verifier", "verifier"}}.dump());
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(assigned.Json(), json({{"unit", "SH-A"}, {"year", 2024}, {"verifier", "verifier"}}));

  ASSERT_EQ(As("token", "POST", "/api/v1/readings", Readings("SH-A/E1", 1, 2.0), "text/csv").status,
            201);
  Reply made = As("manager", "POST", "/api/v1/inventories",
                  json{{"unit", "SH-A"}, {"year", 2025}, {"methodology", "shanghai"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string at = "/api/v1/inventories/" + made.Json()["id"].dump();
  ASSERT_EQ(As("manager", "POST", at + "/submit", "{}").status, 200);
  Reply returned = As("verifier", "POST", at + "/return",
                      json{{"opinion", "The January bill is missing."}}.dump());
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(returned.Json()["status"], "returned");
  Reply restated = As("member", "POST", at + "/restatement", "{}");
  ASSERT_EQ(restated.status, 200) << restated.body;
  EXPECT_EQ(restated.Json()["schema"], "carbonledger.restatement/1");
  EXPECT_EQ(restated.Json()["units"][0]["unit_id"], "SH-A");
}

// The assigned verifier's report file: a PDF, attached while the inventory
// is under review, replaced by a second upload, frozen with the decision;
// read by the unit's people and the programme, by no one else.
TEST_P(ApiTest, AVerifierAttachesAPdfReportThatTheUnitAndTheProgrammeRead) {
  ASSERT_EQ(As("admin", "POST", "/api/v1/readings", Readings("SH-A/E1", 1, 2.0), "text/csv").status,
            201);
  Reply made = As("manager", "POST", "/api/v1/inventories",
                  json{{"unit", "SH-A"}, {"year", 2025}, {"methodology", "shanghai"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string at = "/api/v1/inventories/" + made.Json()["id"].dump();
  const std::string pdf = "%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n";
  const std::string name = "?file_name=%E6%A0%B8%E6%9F%A5%E6%8A%A5%E5%91%8A.pdf";  // 核查报告.pdf
  // A draft is not under review: the verifier does not even see it.
  EXPECT_EQ(As("verifier", "PUT", at + "/report" + name, pdf, "application/pdf").status, 404);
  ASSERT_EQ(As("manager", "POST", at + "/submit", "{}").status, 200);
  // Not a PDF, no name, a path for a name: refused, naming the field.
  Reply text = As("verifier", "PUT", at + "/report" + name, "hello", "application/pdf");
  EXPECT_EQ(text.status, 422) << text.body;
  EXPECT_EQ(text.Json()["code"], "report.not_pdf") << text.body;
  EXPECT_EQ(As("verifier", "PUT", at + "/report", pdf, "application/pdf").Json()["code"],
            "report.bad_name");
  EXPECT_EQ(As("verifier", "PUT", at + "/report?file_name=..%2Fx.pdf", pdf, "application/pdf")
                .Json()["code"],
            "report.bad_name");
  // Only the assigned verifier attaches one; the unit's manager may not.
  EXPECT_EQ(As("manager", "PUT", at + "/report" + name, pdf, "application/pdf").status, 403);
  EXPECT_EQ(As("manager", "GET", at + "/report").status, 404);  // none yet
  Reply first = As("verifier", "PUT", at + "/report" + name, "%PDF-1.4\nfirst", "application/pdf");
  ASSERT_EQ(first.status, 201) << first.body;
  Reply put = As("verifier", "PUT", at + "/report" + name, pdf, "application/pdf");
  ASSERT_EQ(put.status, 201) << put.body;
  EXPECT_EQ(put.Json()["file_name"], "核查报告.pdf");
  EXPECT_EQ(put.Json()["size_bytes"], pdf.size());
  EXPECT_EQ(put.Json()["sha256"], Sha256Hex(pdf));
  EXPECT_EQ(put.Json()["uploaded_by"], "verifier");
  // Read back byte for byte by the unit's member, as an attachment.
  Reply got = As("member", "GET", at + "/report");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, pdf);
  EXPECT_EQ(got.Type(), "application/pdf");
  const std::string disposition = got.headers.find("Content-Disposition")->second;
  // Sent percent-encoded (RFC 8187); the test client decodes header values.
  EXPECT_NE(disposition.find("attachment; filename=\"report.pdf\"; filename*=UTF-8''核查报告.pdf"),
            std::string::npos)
      << disposition;
  EXPECT_EQ(As("staff", "GET", at + "/report").body, pdf);
  EXPECT_EQ(As("bank", "GET", at + "/report").status, 403);
  EXPECT_EQ(As("public", "GET", at + "/report").status, 401);
  // The inventory names it; the decision freezes it.
  EXPECT_EQ(As("manager", "GET", at).Json()["report"]["sha256"], Sha256Hex(pdf));
  ASSERT_EQ(As("verifier", "POST", at + "/verify",
               json{{"opinion", "Reasonable assurance."}, {"conclusion", "pass"}}.dump())
                .status,
            200);
  Reply late = As("verifier", "PUT", at + "/report" + name, pdf, "application/pdf");
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.Json()["code"], "report.not_under_review");
  // Both uploads are in the audit log with their SHA-256.
  const std::string audit = As("admin", "GET", "/api/v1/audit?limit=1000").body;
  EXPECT_NE(audit.find("attach report"), std::string::npos);
  EXPECT_NE(audit.find("replace report"), std::string::npos);
  EXPECT_NE(audit.find(Sha256Hex(pdf)), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

// --- hostile requests (SQLite; the transport and parsing are the same) --------

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

std::string Raw(int port, const std::string& request) {
  int fd = Connect(port);
  if (fd < 0) return "";
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos) {
      size_t len_at = out.find("Content-Length: ");
      size_t head = out.find("\r\n\r\n") + 4;
      if (len_at != std::string::npos && out.size() >= head + std::stoul(out.substr(len_at + 16)))
        break;
    }
  }
  close(fd);
  return out;
}

class HostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerConfig c;
    c.max_json_bytes = 64 * 1024;
    c.max_upload_bytes = 1 << 20;
    c.read_timeout_s = 1;
    c.header_timeout_s = 1;
    server_ = std::make_unique<Server>("sqlite", c);
    ASSERT_TRUE(server_->ready());
    city_ = std::make_unique<City>(*server_);
  }
  Reply As(const std::string& role, const std::string& method, const std::string& path,
           const std::string& body = "", const std::string& type = "application/json",
           httplib::Headers h = {}) {
    return server_->Call(city_->callers[role], method, path, body, type, std::move(h));
  }
  void ExpectProblem(const Reply& r, int status, const std::string& pointer = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Type(), "application/problem+json") << r.body;
    json p = r.Json();
    ASSERT_TRUE(p.is_object()) << r.body;
    EXPECT_EQ(p["status"], status);
    EXPECT_TRUE(p.contains("title") && p.contains("detail")) << r.body;
    if (!pointer.empty()) {
      ASSERT_TRUE(p.contains("errors")) << r.body;
      EXPECT_EQ(p["errors"][0]["pointer"], pointer) << r.body;
    }
  }
  std::unique_ptr<Server> server_;
  std::unique_ptr<City> city_;
};

// A login can never pass for a token ("token:N" in the audit log and on
// batches) or for the public.
TEST_F(HostileTest, LoginsThatWouldPassForSomeoneElseAreRefused) {
  auto user = [&](const std::string& login) {
    return As("admin", "POST", "/api/v1/users",
              json{{"login", login}, {"role", "programme_staff"}, {"password", kPassword}}.dump());
  };
  for (const char* login : {"token:1", "public", "", " admin", "-x", "a/b", "名字"})
    ExpectProblem(user(login), 422, "#/login");
  EXPECT_EQ(user("mgr@chem.example").status, 201);
  EXPECT_EQ(user("wang.li_2").status, 201);
}

TEST_F(HostileTest, MalformedBodiesGetProblemDetails) {
  const std::string inv = "/api/v1/inventories";
  ExpectProblem(As("manager", "POST", inv, "{\"unit\": "), 400);
  ExpectProblem(As("manager", "POST", inv, "[1,2]"), 400, "#");
  ExpectProblem(
      As("manager", "POST", inv, R"({"unit":"SH-A","year":"2025","methodology":"shanghai"})"), 422,
      "#/year");
  ExpectProblem(As("manager", "POST", inv, R"({"unit":"SH-A","year":1e400,"methodology":"x"})"),
                400);
  ExpectProblem(As("manager", "POST", inv,
                   R"({"unit":"SH-A","year":123456789012345678901234567890,"methodology":"x"})"),
                422, "#/year");
  ExpectProblem(As("manager", "POST", inv, R"({"unit":["SH-A"],"year":2025})"), 422, "#/unit");
  ExpectProblem(As("manager", "POST", inv, R"({"unit":"SH-A","year":2025,"methodology":"nope"})"),
                422, "#/methodology");
  ExpectProblem(As("manager", "POST", inv, std::string(100000, '[') + std::string(100000, ']')),
                413);
  ExpectProblem(As("manager", "POST", inv, std::string(5000, '[') + std::string(5000, ']')), 400);
  ExpectProblem(As("manager", "POST", inv, "{\"unit\":\"\xff\xfe\"}"), 400);
  ExpectProblem(As("manager", "POST", inv, "{}", "text/plain"), 415);
  ExpectProblem(
      As("manager", "POST", inv, R"({"unit":"SH-A","year":2025,"methodology":"shanghai","x":1})"),
      422, "#/x");
  ExpectProblem(As("manager", "POST", inv, std::string(70 * 1024, ' ')), 413);
  ExpectProblem(As("public", "POST", "/api/v1/session", R"({"login":"admin","password":5})"), 422,
                "#/password");
}

TEST_F(HostileTest, HostileTargetsGetProblemDetails) {
  ExpectProblem(As("admin", "GET", "/api/v1/units/%2e%2e"), 400);
  ExpectProblem(As("admin", "GET", "/api/v1/units/%2e%2e%2f%2e%2e%2fetc%2fpasswd"), 404);
  ExpectProblem(As("admin", "GET", "/api/v1/units/a%00b"), 400);
  ExpectProblem(As("admin", "GET", "/api/v1/units/%ff%fe"), 400);
  ExpectProblem(As("admin", "GET", "/api/v1/units/%zz"), 400);
  ExpectProblem(As("admin", "GET", "/api/v1/nothing-here"), 404);
  std::string head =
      Raw(server_->port(), "HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head.substr(0, 200);
  ExpectProblem(As("admin", "GET", "/api/v1/inventories/-1"), 404);
  ExpectProblem(As("admin", "GET", "/api/v1/inventories/99999999999999999999999"), 404);
  Reply r = As("admin", "PUT", "/api/v1/inventories", "{}");
  ExpectProblem(r, 405);
  EXPECT_NE(r.headers.find("Allow"), r.headers.end());
  std::string huge = Raw(server_->port(), "GET /api/v1/units/" + std::string(20000, 'a') +
                                              " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(huge.rfind("HTTP/1.1 414", 0), 0u) << huge.substr(0, 200);
  std::string garbage = Raw(server_->port(), "\x01\x02 nonsense\r\n\r\n");
  EXPECT_TRUE(garbage.empty() || garbage.rfind("HTTP/1.1 400", 0) == 0) << garbage.substr(0, 200);
}

TEST_F(HostileTest, UploadsAreBoundedAfterDecompression) {
  // 8 MiB of a repeated row, gzipped to a few KiB: refused past the 1 MiB limit.
  std::string big;
  while (big.size() < (size_t{8} << 20)) big += "SH-A/E1,2025-01-01T00:00:00+08:00,1\n";
  Reply bomb = As("manager", "POST", "/api/v1/readings", Gzip(big), "text/csv",
                  {{"Content-Encoding", "gzip"}});
  ExpectProblem(bomb, 413);
  // Nobody's upload is read at all: refused before the body.
  ExpectProblem(As("public", "POST", "/api/v1/readings", Gzip(big), "text/csv",
                   {{"Content-Encoding", "gzip"}}),
                401);
  Reply broken = As("manager", "POST", "/api/v1/readings", "not gzip at all", "text/csv",
                    {{"Content-Encoding", "gzip"}});
  EXPECT_GE(broken.status, 400) << broken.body;
  EXPECT_TRUE(broken.status == -1 || broken.Type() == "application/problem+json") << broken.body;
  // Nothing half-stored: the batches list holds no readings from either.
  Reply batches = As("manager", "GET", "/api/v1/batches");
  const json listed = batches.Json();
  for (const auto& b : listed["batches"]) EXPECT_EQ(b["accepted"], 0);
  // The server still answers.
  EXPECT_EQ(As("public", "GET", "/healthz").status, 200);
}

TEST_F(HostileTest, SlowLorisIsClosed) {
  int fd = Connect(server_->port());
  ASSERT_GE(fd, 0);
  std::string part = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  send(fd, part.data(), part.size(), MSG_NOSIGNAL);
  // The header deadline (1 s here) passes without the rest of the headers.
  auto start = std::chrono::steady_clock::now();
  // The server answers with a problem (400) and closes, or just closes.
  std::string got;
  char buf[1024];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) got.append(buf, static_cast<size_t>(n));
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  close(fd);
  EXPECT_TRUE(got.empty() || (got.rfind("HTTP/1.1 400", 0) == 0 &&
                              got.find("application/problem+json") != std::string::npos))
      << got;
  EXPECT_LT(waited, 8.0) << "the connection was held open";
  EXPECT_EQ(As("public", "GET", "/healthz").status, 200);
}

TEST_F(HostileTest, SignInBacksOffAndRateLimits) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(As("public", "POST", "/api/v1/session",
                 json{{"login", "member"}, {"password", "wrong password!"}}.dump())
                  .status,
              401);
  Reply locked = As("public", "POST", "/api/v1/session",
                    json{{"login", "member"}, {"password", kPassword}}.dump());
  ExpectProblem(locked, 429);
  EXPECT_NE(locked.headers.find("Retry-After"), locked.headers.end());
}

TEST_F(HostileTest, ParallelWrongPasswordsAllCountTowardsTheBackOff) {
  std::vector<std::thread> threads;
  std::atomic<int> refused{0}, waiting{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      Reply r = As("public", "POST", "/api/v1/session",
                   json{{"login", "staff"}, {"password", "wrong password!"}}.dump());
      if (r.status == 401) ++refused;
      if (r.status == 429) ++waiting;
    });
  for (auto& t : threads) t.join();
  // 3 free failures (IdentityPolicy), then the account waits: no guess is lost.
  EXPECT_EQ(refused.load(), 3);
  EXPECT_EQ(waiting.load(), 5);
}

TEST(ApiRateLimit, PerCallerRateLimitAnswers429) {
  ServerConfig c;
  Server s("sqlite", c);
  ASSERT_TRUE(s.ready());
  // Default limits (100/s, burst 400) are overridden by Server for the other
  // tests; here a tiny bucket is set through a second server.
  c.rate_per_second = 1;
  c.rate_burst = 3;
  c.store = s.fixture().target();
  c.data_dir = CL_SOURCE_DATA_DIR;
  c.access_log = false;
  auto api = Api::Open(c);
  ASSERT_TRUE(api.ok());
  int limited = 0;
  for (int i = 0; i < 10; ++i) {
    ApiRequest req;
    req.method = "GET";
    req.target = "/healthz";
    req.remote = "192.0.2.7";
    ApiResponse r = (*api)->Handle(req);
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(r.content_type, "application/problem+json");
    }
  }
  EXPECT_EQ(limited, 7);
}

TEST(ApiMetrics, PrometheusTextCountsRequests) {
  Server s("sqlite");
  ASSERT_TRUE(s.ready());
  for (int i = 0; i < 3; ++i) s.Call({}, "GET", "/healthz");
  s.Call({}, "GET", "/api/v1/nope");
  Reply m = s.Call({}, "GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("carbonledger_http_requests_total{route=\"health\",code=\"2xx\"} 3"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("carbonledger_http_requests_total{route=\"other\",code=\"4xx\"} 1"),
            std::string::npos);
  EXPECT_NE(
      m.body.find(
          "carbonledger_http_request_duration_seconds_bucket{route=\"health\",le=\"+Inf\"} 3"),
      std::string::npos);
}

// --- through nginx (docs/deploy.md; always, not only under api_through_nginx) --

std::string Request(const std::string& method, const std::string& path,
                    const std::string& headers = "", const std::string& body = "") {
  return method + " " + path + " HTTP/1.1\r\nHost: carbon.test\r\nConnection: close\r\n" + headers +
         (body.empty() ? "" : "Content-Length: " + std::to_string(body.size()) + "\r\n") + "\r\n" +
         body;
}

// The audit log's origin (of a failed sign-in here) is the address nginx saw,
// whatever the client claimed in X-Forwarded-For; a client that is itself a
// trusted proxy (127.0.0.1 here) is believed about whom it forwards for.
TEST(ThroughNginx, TheAuditLogRecordsTheAddressNginxSaw) {
  Server s("sqlite", {}, /*through_nginx=*/true);
  ASSERT_TRUE(s.ready());
  City city(s);
  auto sign_in = [&](const std::string& source, const std::string& login) {
    return testing::RawHttp(
        source, s.port(),
        Request("POST", "/api/v1/session",
                "X-Forwarded-For: 203.0.113.66\r\nContent-Type: application/json\r\n",
                json{{"login", login}, {"password", "wrong password!"}}.dump()));
  };
  ASSERT_EQ(sign_in("127.0.0.2", "member").status, 401);
  ASSERT_EQ(sign_in("127.0.0.1", "staff").status, 401);
  Reply audit = s.Call(city.callers["admin"], "GET", "/api/v1/audit?limit=1000");
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::map<std::string, std::set<std::string>> origins;  // login -> where it failed from
  const json log = audit.Json();
  for (const json& e : log["entries"])
    if (e["action"] == "sign_in_failed") origins[e["actor"]].insert(e["origin"].get<std::string>());
  EXPECT_EQ(origins["member"], (std::set<std::string>{"api 127.0.0.2"}));
  EXPECT_EQ(origins["staff"], (std::set<std::string>{"api 203.0.113.66"}));
}

// The server's rate limit for callers not signed in counts each address nginx
// forwards for; a client reaching the server directly cannot borrow another
// address's allowance by claiming it.
TEST(ThroughNginx, TheRateLimitCountsEachForwardedAddress) {
  ServerConfig c;
  c.rate_per_second = 0.01;
  c.rate_burst = 3;
  Server s("sqlite", c, /*through_nginx=*/true);
  ASSERT_TRUE(s.ready());
  const std::string health = Request("GET", "/healthz");
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(testing::RawHttp("127.0.0.2", s.port(), health).status, 200);
  testing::RawReply limited = testing::RawHttp("127.0.0.2", s.port(), health);
  EXPECT_EQ(limited.status, 429);
  EXPECT_NE(limited.body.find("this caller's request rate is limited"), std::string::npos)
      << limited.body;  // the server's answer, not nginx's
  EXPECT_EQ(testing::RawHttp("127.0.0.3", s.port(), health).status, 200);
  EXPECT_EQ(testing::RawHttp("127.0.0.2", s.direct_port(),
                             Request("GET", "/healthz", "X-Forwarded-For: 127.0.0.3\r\n"))
                .status,
            429);
}

// nginx's own limits, as deploy/nginx/carbonledger-proxy.conf sets them:
// 1 MiB for JSON bodies but readings uploads far larger, sign-ins limited per
// address, metrics for this host only, refusals as problem documents, no
// version in the Server header.
TEST(ThroughNginx, NginxLimitsAreTheDocumentedOnes) {
  Server s("sqlite", {}, /*through_nginx=*/true);
  ASSERT_TRUE(s.ready());
  City city(s);
  const Caller& admin = city.callers["admin"];
  testing::RawReply big = testing::RawHttp(
      "127.0.0.1", s.port(),
      Request("POST", "/api/v1/tokens",
              "Cookie: cl_session=" + admin.cookie + "\r\nX-CSRF-Token: " + admin.csrf +
                  "\r\nContent-Type: application/json\r\n",
              std::string((1 << 20) + 1, ' ')));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.Header("content-type"), "application/problem+json");
  EXPECT_NE(big.body.find("larger than the proxy takes"), std::string::npos) << big.body;
  EXPECT_EQ(big.Header("server"), "nginx");
  // 28 days a month of 15-minute readings: about 1.5 MB of CSV.
  std::string csv = "meter_id,timestamp,value\n";
  for (int m = 1; m <= 12; ++m)
    for (int d = 1; d <= 28; ++d)
      for (int q = 0; q < 96; ++q) {
        char row[96];
        std::snprintf(row, sizeof row, "SH-A/E1,2025-%02d-%02dT%02d:%02d:00+08:00,1.5\n", m, d,
                      q / 4, q % 4 * 15);
        csv += row;
      }
  ASSERT_GT(csv.size(), size_t{1} << 20);
  testing::RawReply up =
      testing::RawHttp("127.0.0.1", s.port(),
                       Request("POST", "/api/v1/readings",
                               "Authorization: Bearer " + city.callers["token"].bearer +
                                   "\r\nContent-Type: text/csv\r\n",
                               csv));
  ASSERT_EQ(up.status, 201) << up.body;
  EXPECT_EQ(json::parse(up.body)["batch"]["accepted"], 12 * 28 * 96);
  // Sign-ins from one address: 1 + a burst of 10 reach the server, then nginx refuses.
  int refused_by_server = 0, refused_by_nginx = 0;
  for (int i = 0; i < 24; ++i) {
    testing::RawReply r = testing::RawHttp(
        "127.0.0.4", s.port(),
        Request("POST", "/api/v1/session", "Content-Type: application/json\r\n",
                json{{"login", "nobody"}, {"password", "wrong password!"}}.dump()));
    if (r.status == 429 && r.body.find("limited by the proxy") != std::string::npos) {
      ++refused_by_nginx;
      EXPECT_EQ(r.Header("retry-after"), "2");
      EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    } else {
      ++refused_by_server;
    }
  }
  EXPECT_GE(refused_by_server, 11);
  EXPECT_GE(refused_by_nginx, 6);
  // Every route reaches the server as it is written: none is redirected by a
  // location of the shipped file (GET /api/v1/datasets was, to .../datasets/).
  for (const char* path : {"/api/v1/datasets", "/api/v1/datasets/gwp/2024.08", "/healthz"})
    EXPECT_EQ(testing::RawHttp("127.0.0.1", s.port(), Request("GET", path)).status, 200) << path;
  // Metrics: this host only.
  EXPECT_EQ(testing::RawHttp("127.0.0.1", s.port(), Request("GET", "/metrics")).status, 200);
  testing::RawReply metrics = testing::RawHttp("127.0.0.5", s.port(), Request("GET", "/metrics"));
  EXPECT_EQ(metrics.status, 403);
  EXPECT_EQ(metrics.Header("content-type"), "application/problem+json");
}

// The whole site as shipped (deploy/nginx/carbonledger.conf with its TLS
// server) is accepted by nginx -t, with a throwaway certificate.
TEST(ThroughNginx, TheShippedSiteConfigurationIsValid) {
  EXPECT_EQ(testing::CheckSiteConfiguration(), "");
}

}  // namespace
}  // namespace cl
