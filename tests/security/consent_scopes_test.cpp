// Defect: a bank's readings consent for 2020 exposes 2025's readings (consent years ignored on
// meter routes).
//
// Every route a bank analyst or a verifier may call, against consents of
// each scope, year, expiry and revocation (issue 14, item 5): what a
// consent covers answers 200 with its data; what it does not is hidden as
// the route hides it elsewhere (404 for a resource, 403 for years of a
// visible meter); an expired or revoked consent opens nothing, at once.
#include <chrono>
#include <map>
#include <set>

#include "security_fixture.h"

namespace cl::security {
namespace {

using json = nlohmann::json;
constexpr const char* kPassword = "correct horse battery";
constexpr const char* kUnit = "SH-CHEM-01";
const std::string kMeter = "/api/v1/units/SH-CHEM-01/meters/SH-CHEM-01%2FE1";

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// 96 readings of meter E1 on one local day.
std::string Day(const std::string& date) {
  std::string csv = "meter_id,timestamp,value\n";
  for (int q = 0; q < 96; ++q) {
    char ts[64];
    std::snprintf(ts, sizeof ts, "%sT%02d:%02d:00+08:00", date.c_str(), q / 4, q % 4 * 15);
    csv += std::string("SH-CHEM-01/E1,") + ts + ",2\n";
  }
  return csv;
}

class ConsentScopes : public StoreCase {
 protected:
  void SetUp() override {
    StoreCase::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    OpenApi();
    if (HasFatalFailure()) return;
    AddUser("bank", Role::kBankAnalyst, "Bank1");
    AddUser("verifier", Role::kVerifier, "VC1");
    AddUser("verifier-2024", Role::kVerifier, "VC2");
    ASSERT_TRUE(store_->Access().AssignVerifier({kUnit, 2025, "verifier", "", ""}, actor_).ok());
    ASSERT_TRUE(
        store_->Access().AssignVerifier({kUnit, 2024, "verifier-2024", "", ""}, actor_).ok());
    Import("2024.csv", Day("2024-03-05"));
    Import("2025.csv", Day("2025-03-05"));
    bank_ = SignIn("bank");
    verifier_ = SignIn("verifier");
    verifier_2024_ = SignIn("verifier-2024");
    inventory_[2024] = VerifiedInventory(2024, verifier_2024_);
    inventory_[2025] = VerifiedInventory(2025, verifier_);
  }

  void AddUser(const std::string& login, Role role, const std::string& organisation) {
    UserRecord u;
    u.login = login;
    u.display_name = login;
    u.role = RoleName(role);
    u.password_hash = *HashPassword(kPassword);
    u.organisation = organisation;
    ASSERT_TRUE(store_->Identity().CreateUser(u, actor_).ok());
  }

  // A signed-in user's cookie and CSRF token.
  struct Session {
    std::string cookie, csrf;
  };
  Session SignIn(const std::string& login) {
    ApiResponse r =
        As({}, "POST", "/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    Session s;
    s.csrf = json::parse(r.body).value("csrf_token", "");
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie" && v.rfind("cl_session=", 0) == 0) s.cookie = v.substr(0, v.find(';'));
    return s;
  }

  ApiResponse As(const Session& who, const std::string& method, const std::string& target,
                 const std::string& body = "") {
    ApiRequest req{method, target, {}, body, "", "127.0.0.1"};
    if (!who.cookie.empty()) {
      req.headers.emplace_back("Cookie", who.cookie);
      req.headers.emplace_back("X-CSRF-Token", who.csrf);
    }
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    return api_->Handle(req);
  }

  // An inventory of kUnit computed, submitted by the admin and verified by `verifier`.
  std::string VerifiedInventory(int year, const Session& verifier) {
    ApiResponse made =
        Call("POST", "/api/v1/inventories",
             json{{"unit", kUnit}, {"year", year}, {"methodology", "shanghai"}}.dump());
    EXPECT_EQ(made.status, 201) << made.body;
    const std::string at = "/api/v1/inventories/" + json::parse(made.body)["id"].dump();
    EXPECT_EQ(Call("POST", at + "/submit", "{}").status, 200);
    ApiResponse v = As(verifier, "POST", at + "/verify", json{{"opinion", "ok"}}.dump());
    EXPECT_EQ(v.status, 200) << v.body;
    return at;
  }

  // A consent of Bank1 (or `bank`) for kUnit, `expires_at` from now.
  int64_t Grant(std::vector<std::string> scopes, int from, int to, int64_t expires_in = 86400,
                const std::string& bank = "Bank1") {
    ConsentRecord c;
    c.unit_id = kUnit;
    c.bank = bank;
    c.scopes = std::move(scopes);
    c.year_from = from;
    c.year_to = to;
    c.expires_at = Now() + expires_in;
    auto id = store_->Access().CreateConsent(c, actor_);
    EXPECT_TRUE(id.ok());
    consents_.push_back(id.ok() ? *id : 0);
    return id.ok() ? *id : 0;
  }

  // Every consent granted so far revoked: the next case starts with none.
  void RevokeAll() {
    for (int64_t id : consents_) (void)store_->Access().RevokeConsent(id, Now(), actor_);
    consents_.clear();
  }

  int Bank(const std::string& target) { return As(bank_, "GET", target).status; }
  std::string Readings(const std::string& from, const std::string& to) {
    return kMeter + "/readings?from=" + from + "&to=" + to;
  }
  // The inventory years the bank's list shows of kUnit.
  std::set<int> ListedYears() {
    std::set<int> years;
    ApiResponse r = As(bank_, "GET", "/api/v1/inventories?unit=SH-CHEM-01");
    EXPECT_EQ(r.status, 200);
    const json body = json::parse(r.body);
    for (const auto& inv : body["inventories"]) years.insert(inv["year"].get<int>());
    return years;
  }
  bool UnitListed() {
    ApiResponse r = As(bank_, "GET", "/api/v1/units");
    const json body = json::parse(r.body);
    for (const auto& u : body["units"])
      if (u["id"] == kUnit) return true;
    return false;
  }

  // Nothing of kUnit is open to the bank.
  void ExpectNothingOpen(const std::string& why) {
    SCOPED_TRACE(why);
    EXPECT_FALSE(UnitListed());
    EXPECT_EQ(Bank("/api/v1/units/SH-CHEM-01"), 404);
    EXPECT_EQ(Bank("/api/v1/units/SH-CHEM-01/meters"), 404);
    EXPECT_EQ(Bank(kMeter), 404);
    EXPECT_EQ(Bank(Readings("2025-03-01", "2025-03-31")), 404);
    EXPECT_EQ(Bank(Readings("2024-03-01", "2024-03-31")), 404);
    EXPECT_EQ(Bank(inventory_[2024]), 404);
    EXPECT_EQ(Bank(inventory_[2025]), 404);
    EXPECT_TRUE(ListedYears().empty());
  }

  Session bank_, verifier_, verifier_2024_;
  std::map<int, std::string> inventory_;
  std::vector<int64_t> consents_;
};

TEST_P(ConsentScopes, WithoutALiveConsentOfItsBankNothingOpens) {
  ExpectNothingOpen("no consent");
  Grant({"totals", "intensities", "licence", "readings"}, 2024, 2025, 86400, "Bank2");
  ExpectNothingOpen("another bank's consent");
  Grant({"licence"}, 2024, 2025);
  ExpectNothingOpen("licence: no route shows a licence yet");
  Grant({"intensities"}, 2024, 2025);
  ExpectNothingOpen("intensities alone: an intensity with its output value is the total");
}

TEST_P(ConsentScopes, TotalsOpenTheVerifiedTotalsOfTheirYearsOnly) {
  Grant({"totals"}, 2025, 2025);
  EXPECT_TRUE(UnitListed());
  EXPECT_EQ(Bank("/api/v1/units/SH-CHEM-01"), 200);
  ApiResponse inv = As(bank_, "GET", inventory_[2025]);
  ASSERT_EQ(inv.status, 200) << inv.body;
  const json figures = json::parse(inv.body)["figures"];
  EXPECT_TRUE(figures.contains("total_tco2e")) << inv.body;
  EXPECT_FALSE(figures.contains("intensities"));
  EXPECT_FALSE(json::parse(inv.body).contains("document"));
  EXPECT_EQ(Bank(inventory_[2024]), 404);
  EXPECT_EQ(ListedYears(), std::set<int>{2025});
  // Not readings: no meter, no reading, of any year.
  EXPECT_EQ(Bank("/api/v1/units/SH-CHEM-01/meters"), 404);
  EXPECT_EQ(Bank(kMeter), 404);
  EXPECT_EQ(Bank(Readings("2025-03-01", "2025-03-31")), 404);

  Grant({"intensities"}, 2024, 2025);  // intensities for both years, totals for 2025 only
  inv = As(bank_, "GET", inventory_[2025]);
  ASSERT_EQ(inv.status, 200);
  EXPECT_TRUE(json::parse(inv.body)["figures"].contains("intensities"));
  EXPECT_EQ(Bank(inventory_[2024]), 404);
}

TEST_P(ConsentScopes, ReadingsOpenMetersAndTheReadingsOfTheirYearsOnly) {
  Grant({"readings"}, 2024, 2024);
  EXPECT_EQ(Bank("/api/v1/units/SH-CHEM-01/meters"), 200);
  EXPECT_EQ(Bank(kMeter), 200);
  ApiResponse r = As(bank_, "GET", Readings("2024-03-01", "2024-03-31"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["readings"].size(), 96u);
  EXPECT_EQ(Bank(Readings("2025-03-01", "2025-03-31")), 403);
  EXPECT_EQ(Bank(Readings("2024-12-01", "2025-01-31")), 403);
  EXPECT_EQ(Bank(Readings("2023-12-01", "2024-01-31")), 403);
  EXPECT_EQ(Bank(Readings("2024-01-01", "2025-12-31") + "&buckets=12"), 403);
  // A year no consent names, not even one that could stand for "any year".
  EXPECT_EQ(Bank(Readings("0000-01-01", "0000-01-31")), 403);
  // Not totals: no unit record, no inventory.
  EXPECT_FALSE(UnitListed());
  EXPECT_EQ(Bank("/api/v1/units/SH-CHEM-01"), 404);
  EXPECT_EQ(Bank(inventory_[2024]), 404);
  EXPECT_TRUE(ListedYears().empty());
}

TEST_P(ConsentScopes, AnExpiredOrRevokedConsentOpensNothingAtOnce) {
  const std::vector<std::string> all = {"totals", "intensities", "licence", "readings"};
  Grant(all, 2024, 2025, -1);
  ExpectNothingOpen("expired a second ago");
  const int64_t live = Grant(all, 2024, 2025);
  // Seen once (the session and the inventory's document are now cached)...
  EXPECT_EQ(Bank(inventory_[2025]), 200);
  EXPECT_EQ(Bank(Readings("2025-03-01", "2025-03-31")), 200);
  ASSERT_TRUE(store_->Access().RevokeConsent(live, Now(), actor_).ok());
  ExpectNothingOpen("revoked");  // ...and closed by the next request
  consents_.clear();
  Grant(all, 2024, 2025);
  EXPECT_EQ(Bank(inventory_[2024]), 200);
  RevokeAll();
  ExpectNothingOpen("revoked again");
}

TEST_P(ConsentScopes, RoutesABankMayNotCallStayClosedWhateverItsConsent) {
  Grant({"totals", "intensities", "licence", "readings"}, 2024, 2025);
  for (const std::string& target :
       {std::string("/api/v1/units/SH-CHEM-01/sites"),
        std::string("/api/v1/units/SH-CHEM-01/activities"), inventory_[2025] + "/explanation",
        std::string("/api/v1/completeness"), std::string("/api/v1/batches"),
        std::string("/api/v1/assignments")})
    EXPECT_EQ(Bank(target), 403) << target;
  EXPECT_EQ(As(bank_, "POST", inventory_[2025] + "/restatement", "{}").status, 403);
}

TEST_P(ConsentScopes, AVerifierSeesOnlyItsAssignedYears) {
  EXPECT_EQ(As(verifier_, "GET", inventory_[2025]).status, 200);
  EXPECT_EQ(As(verifier_, "GET", inventory_[2025] + "/explanation").status, 200);
  EXPECT_EQ(As(verifier_, "GET", inventory_[2024]).status, 404);
  EXPECT_EQ(As(verifier_, "GET", inventory_[2024] + "/explanation").status, 404);
  ApiResponse list = As(verifier_, "GET", "/api/v1/inventories?unit=SH-CHEM-01");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(json::parse(list.body)["inventories"].size(), 1u) << list.body;
  EXPECT_EQ(json::parse(list.body)["inventories"][0]["year"], 2025);
  EXPECT_EQ(As(verifier_, "GET", Readings("2025-03-01", "2025-03-31")).status, 200);
  EXPECT_EQ(As(verifier_, "GET", Readings("2024-03-01", "2024-03-31")).status, 403);
  EXPECT_EQ(As(verifier_, "GET", Readings("0000-01-01", "0000-01-31")).status, 403);
  // The registry has no year (docs/roles.md §Years); other units stay hidden.
  EXPECT_EQ(As(verifier_, "GET", "/api/v1/units/SH-CHEM-01/meters").status, 200);
  EXPECT_EQ(As(verifier_, "GET", "/api/v1/units/SH-AUTO-01").status, 404);
  EXPECT_EQ(As(verifier_, "GET", "/api/v1/units/SH-AUTO-01/activities").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Stores, ConsentScopes, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace cl::security
