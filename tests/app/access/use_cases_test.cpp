// The rules that moved up from the API's routes and the store into the use
// cases: granting a bank consent (access/access.h), adding a user
// (identity/accounts.h), what a bank sees of an inventory
// (inventory/bank_view.h) and the inventory workflow (inventory/inventories.h). On the in-memory
// FakeStore: the rules, not the storage, are under test.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "access/access.h"
#include "identity/accounts.h"
#include "inventory/bank_view.h"
#include "inventory/inventories.h"
#include "store/store.h"
#include "support/fake_store.h"

namespace cl {
namespace {

// 2030-01-01T00:00:00Z, UTC seconds.
constexpr int64_t kNow = 1'893'456'000;

class UseCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::MakeFakeStore();
    ASSERT_TRUE(
        store_->Registry()
            .PutUnit({"U1", "91310116MA1CL0012H", "甲", "A", "310000", "", "", "", {}}, admin_)
            .ok());
    // Bank1 is registered (it has an analyst); Bank2's only analyst is disabled.
    for (const auto& [login, bank, disabled] :
         {std::tuple{"a@bank1", "Bank1", false}, std::tuple{"a@bank2", "Bank2", true}}) {
      UserRecord u;
      u.login = login;
      u.role = "bank_analyst";
      u.organisation = bank;
      u.password_hash = "not a hash";
      u.disabled = disabled;
      ASSERT_TRUE(store_->Identity().CreateUser(u, admin_).ok());
    }
  }
  ConsentGrant Grant() {
    return {"U1", "Bank1", {"totals", "intensities"}, 2024, 2025, "2030-06-30"};
  }
  std::string FieldOf(const Result<ConsentRecord>& r) {
    return r.ok() ? "" : r.error().where().field;
  }
  std::unique_ptr<Store> store_;
  Actor admin_{"admin", "test"};
};

TEST_F(UseCasesTest, AConsentGrantIsCheckedFieldByFieldAndKeptThroughTheEndOfItsDay) {
  ConsentGrant g = Grant();
  g.bank = "Bank 1";  // a typo names no registered bank
  EXPECT_EQ(FieldOf(GrantConsent(*store_, g, kNow, admin_)), "bank");
  g.bank = "Bank2";  // its only analyst is disabled
  EXPECT_EQ(FieldOf(GrantConsent(*store_, g, kNow, admin_)), "bank");
  EXPECT_EQ(*RegisteredBanks(*store_), std::vector<std::string>{"Bank1"});
  g = Grant();
  g.scopes = {"totals", "everything"};
  EXPECT_EQ(FieldOf(GrantConsent(*store_, g, kNow, admin_)), "scopes/1");
  g = Grant();
  g.scopes.clear();
  EXPECT_EQ(FieldOf(GrantConsent(*store_, g, kNow, admin_)), "scopes");
  g = Grant();
  g.year_from = 1989;
  EXPECT_EQ(FieldOf(GrantConsent(*store_, g, kNow, admin_)), "year_from");
  g = Grant();
  g.year_to = 2023;
  EXPECT_EQ(FieldOf(GrantConsent(*store_, g, kNow, admin_)), "year_to");
  g = Grant();
  g.expires = "2029-12-31";  // ended at kNow exactly
  EXPECT_EQ(FieldOf(GrantConsent(*store_, g, kNow, admin_)), "expires");
  g.expires = "31/12/2030";
  EXPECT_EQ(FieldOf(GrantConsent(*store_, g, kNow, admin_)), "expires");
  EXPECT_TRUE(store_->Access().ListConsents()->empty());  // nothing kept from a refusal

  auto c = GrantConsent(*store_, Grant(), kNow, admin_);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_GT(c->id, 0);
  // 2030-06-30 + one day, 00:00 UTC: 181 days after kNow (hand count: Jan 31 + Feb 28 +
  // Mar 31 + Apr 30 + May 31 + Jun 30 = 181).
  EXPECT_EQ(c->expires_at, kNow + 181 * 86400);
  EXPECT_TRUE(*ConsentCovers(*store_, "Bank1", "U1", "intensities", 2025, kNow));
  EXPECT_FALSE(*ConsentCovers(*store_, "Bank1", "U1", "readings", 2025, kNow));
  EXPECT_FALSE(*ConsentCovers(*store_, "Bank1", "U1", "totals", 2023, kNow));
  EXPECT_FALSE(*ConsentCovers(*store_, "Bank2", "U1", "totals", 2025, kNow));
  EXPECT_FALSE(*ConsentCovers(*store_, "Bank1", "U1", "totals", 2025, c->expires_at));
  EXPECT_TRUE(*ConsentCovers(*store_, "Bank1", "U1", "totals", std::nullopt, kNow));
  EXPECT_FALSE(*ConsentCovers(*store_, "Bank1", "U1", "totals", 0, kNow));  // not "any year"
}

TEST_F(UseCasesTest, AddingAUserFollowsTheRoleRulesAndNeverReturnsTheHash) {
  NewUser n{"m@u1", "张经理", "unit_manager", "correct horse battery", {}, ""};
  auto field = [&](const NewUser& u) {
    auto r = AddUser(*store_, u, IdentityPolicy{}, admin_);
    return r.ok() ? std::string() : r.error().where().field;
  };
  EXPECT_EQ(field(n), "units");
  n.units = {"U1", "U9"};
  EXPECT_EQ(field(n), "units/1");  // U9 is not registered
  n.units = {"U1"};
  n.role = "root";
  EXPECT_EQ(field(n), "role");
  n.role = "bank_analyst";
  EXPECT_EQ(field(n), "organisation");
  n.role = "unit_manager";
  n.login = "token:3";
  EXPECT_EQ(field(n), "login");
  n.login = "m@u1";
  n.password = "short";
  EXPECT_EQ(field(n), "password");
  EXPECT_FALSE(store_->Identity().GetUser("m@u1")->has_value());

  n.password = "correct horse battery";
  auto u = AddUser(*store_, n, IdentityPolicy{}, admin_);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_GT(u->id, 0);
  EXPECT_TRUE(u->password_hash.empty());
  auto stored = store_->Identity().GetUser("m@u1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ((*stored)->units, std::vector<std::string>{"U1"});
}

TEST_F(UseCasesTest, ABankSeesTotalsAndIntensitiesOnlyWithThatScope) {
  const std::string doc = R"({"units":[{"unit_id":"U1","name_zh":"甲","name_en":"A",
    "credit_code":"91310116MA1CL0012H","energy_tce":12.5,"total_tco2e":30.25,
    "lines":[{"id":"a.csv:2"}],"intensities":{"tce_per_10k_cny":0.5,"per_product":{}}}]})";
  nlohmann::json totals = BankFigures(doc, false);
  EXPECT_EQ(totals, nlohmann::json::parse(
                        R"({"unit_id":"U1","name_zh":"甲","name_en":"A","energy_tce":12.5,
                            "total_tco2e":30.25})"));
  nlohmann::json with = BankFigures(doc, true);
  EXPECT_EQ(with["intensities"]["tce_per_10k_cny"], 0.5);
  EXPECT_FALSE(with.contains("lines"));
  EXPECT_FALSE(with.contains("credit_code"));
  EXPECT_EQ(BankFigures("not json", true), nlohmann::json::object());
  EXPECT_EQ(BankFigures(R"({"units":[]})", true), nlohmann::json::object());
}

// A verifier's structured conclusion: pass, pass_with_findings (with at
// least one finding) or fail on a return; each finding on a line the
// inventory has, or on the whole. A refused review changes nothing.
TEST_F(UseCasesTest, AReviewCarriesItsConclusionAndFindingsOnRealLines) {
  InventoryRecord inv;
  inv.unit_id = "U1";
  inv.year = 2023;
  inv.methodology = "shanghai";
  inv.pins = "{}";
  inv.document =
      R"({"units":[{"lines":[{"id":"store:activities:1"},{"id":"store:activities:2"}]}]})";
  auto id = store_->Inventories().CreateInventory(inv, admin_);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(SetInventoryStatus(*store_, *id, InventoryStatus::kSubmitted, admin_, "").ok());
  EXPECT_FALSE((*store_->Inventories().GetInventoryHead(*id))->submitted_at.empty());
  auto field = [&](InventoryStatus to, const ReviewDetails& r) {
    Status st = ReviewInventory(*store_, *id, to, admin_, "opinion", r);
    return st.ok() ? std::string("ok") : st.error().where().field;
  };
  using S = InventoryStatus;
  EXPECT_EQ(field(S::kVerified, {"fail", {}}), "conclusion");
  EXPECT_EQ(field(S::kReturned, {"pass", {}}), "conclusion");
  EXPECT_EQ(field(S::kVerified, {"pass_with_findings", {}}), "findings");
  EXPECT_EQ(field(S::kVerified, {"pass_with_findings", {{"store:activities:9", "no such line"}}}),
            "findings/0/line");
  EXPECT_EQ(field(S::kVerified, {"pass_with_findings", {{"", ""}}}), "findings/0/text");
  EXPECT_EQ((*store_->Inventories().GetInventoryHead(*id))->status, S::kSubmitted);
  EXPECT_TRUE(store_->Inventories().ListReviews(*id)->empty());  // refusals leave nothing

  const std::vector<ReviewFinding> findings = {
      {"store:activities:2", "the June bill is an estimate"}, {"", "no meter photo"}};
  EXPECT_EQ(field(S::kVerified, {"pass_with_findings", findings}), "ok");
  auto reviews = store_->Inventories().ListReviews(*id);
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->size(), 1u);
  EXPECT_EQ((*reviews)[0].conclusion, "pass_with_findings");
  EXPECT_EQ((*reviews)[0].findings, findings);
}

// draft -> submitted -> verified -> published, or submitted -> returned
// (model/records.h InventoryTransitionAllowed): every other step is refused
// and changes nothing; each allowed step is audited.
TEST_F(UseCasesTest, TheWorkflowMovesOneAllowedStepAtATime) {
  InventoryRecord inv;
  inv.unit_id = "U1";
  inv.year = 2023;
  inv.methodology = "shanghai";
  inv.pins = "{}";
  inv.document = R"({"units":[]})";
  auto id = store_->Inventories().CreateInventory(inv, admin_);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  auto status = [&] { return (*store_->Inventories().GetInventoryHead(*id))->status; };
  auto refused = [&](InventoryStatus to) {
    Status st = SetInventoryStatus(*store_, *id, to, admin_, "why");
    return !st.ok() && st.error().kind() == ErrorKind::kConflict;
  };
  const size_t audited = store_->Audit().ListAudit(0, 1000)->size();
  EXPECT_TRUE(refused(InventoryStatus::kVerified));
  EXPECT_TRUE(refused(InventoryStatus::kPublished));
  EXPECT_EQ(status(), InventoryStatus::kDraft);
  EXPECT_EQ(store_->Audit().ListAudit(0, 1000)->size(), audited);  // refusals leave no trace
  ASSERT_TRUE(SetInventoryStatus(*store_, *id, InventoryStatus::kSubmitted, admin_, "").ok());
  EXPECT_TRUE(refused(InventoryStatus::kPublished));
  EXPECT_TRUE(refused(InventoryStatus::kDraft));
  ASSERT_TRUE(SetInventoryStatus(*store_, *id, InventoryStatus::kVerified, admin_, "ok").ok());
  EXPECT_TRUE(refused(InventoryStatus::kReturned));
  ASSERT_TRUE(SetInventoryStatus(*store_, *id, InventoryStatus::kPublished, admin_, "").ok());
  EXPECT_TRUE(refused(InventoryStatus::kVerified));
  EXPECT_EQ(status(), InventoryStatus::kPublished);
  EXPECT_EQ(store_->Audit().ListAudit(0, 1000)->size(), audited + 3);
  EXPECT_EQ(
      SetInventoryStatus(*store_, *id + 99, InventoryStatus::kSubmitted, admin_, "").error().kind(),
      ErrorKind::kNotFound);
}

}  // namespace
}  // namespace cl
