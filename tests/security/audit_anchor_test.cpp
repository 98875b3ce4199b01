// Defect: whoever could write the database file could rewrite, truncate or wipe the audit log with
// recomputed hashes, or edit a verified inventory, a role or a consent directly, and audit verify
// still said "chain intact" (issue 14).
//
// Each case tampers as an attacker holding only the database file would
// (triggers dropped, hashes recomputed, the head fixed), then asks
// VerifyAudit with the programme key's checkpoints (decision 0011).
#include "access/audit_anchor.h"

#include <sys/stat.h>

#include <algorithm>

#include "access/audit_log.h"
#include "identity/accounts.h"
#include "security_fixture.h"
#include "store/audit_payload.h"

namespace cl::security {
namespace {

class AuditAnchorCase : public StoreCase {
 protected:
  void SetUp() override {
    StoreCase::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    anchor_ = {dir_ / "anchor", AuditStoreIdentity(fixture_->target())};
  }

  static bool Sqlite() { return GetParam() == "sqlite"; }

  // The guards an attacker with the file drops first.
  void DropGuards() {
    ASSERT_EQ(fixture_->Raw(Sqlite() ? "DROP TRIGGER audit_log_no_update;"
                                       "DROP TRIGGER audit_log_no_delete;"
                                       "DROP TRIGGER inventories_frozen;"
                                       "DROP TRIGGER IF EXISTS inventories_forward;"
                                     : "ALTER TABLE audit_log DISABLE TRIGGER USER;"
                                       "ALTER TABLE inventories DISABLE TRIGGER USER;"),
              "");
  }

  void Checkpoint() {
    auto c = WriteAuditCheckpoint(*store_, anchor_);
    ASSERT_TRUE(c.ok()) << c.error().ToString();
  }

  std::vector<std::string> Problems(bool anchored = true) {
    auto check = VerifyAudit(*store_, anchored ? &anchor_ : nullptr);
    EXPECT_TRUE(check.ok()) << check.error().ToString();
    return check.ok() ? check->problems : std::vector<std::string>{"verify failed"};
  }

  static bool Mentions(const std::vector<std::string>& problems, const std::string& text) {
    return std::ranges::any_of(
        problems, [&](const std::string& p) { return p.find(text) != std::string::npos; });
  }

  static std::string Joined(const std::vector<std::string>& problems) {
    std::string out;
    for (const auto& p : problems) out += p + "\n";
    return out;
  }

  // Rewrites entry `seq`'s actor and recomputes every hash after it, as a
  // forger would: the chain alone is intact again.
  void Rewrite(int64_t seq) {
    auto all = store_->Audit().ListAudit(0, 100000);
    ASSERT_TRUE(all.ok());
    std::string prev;
    for (auto& e : *all) {
      if (e.seq == seq) e.actor = "mallory";
      e.prev_hash = prev;
      e.hash = Sha256Hex(AuditPayload(e));
      prev = e.hash;
      if (e.seq < seq) continue;
      ASSERT_EQ(
          fixture_->Raw("UPDATE audit_log SET actor='" + e.actor + "', prev_hash='" + e.prev_hash +
                        "', hash='" + e.hash + "' WHERE seq=" + std::to_string(e.seq)),
          "");
    }
    ASSERT_EQ(fixture_->Raw("UPDATE audit_head SET hash='" + prev + "' WHERE id=1"), "");
  }

  int64_t VerifiedInventory() {
    InventoryRecord inv;
    inv.unit_id = "SH-CHEM-01";
    inv.year = 2025;
    inv.methodology = "cn-national";
    inv.pins = "{}";
    inv.document = R"({"totals":{"tco2e":1234.5}})";
    auto id = store_->Inventories().CreateInventory(inv, actor_);
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    for (auto to : {InventoryStatus::kSubmitted, InventoryStatus::kVerified}) {
      auto st = store_->Inventories().SetInventoryStatus(*id, to, actor_, "checked");
      EXPECT_TRUE(st.ok()) << st.error().ToString();
    }
    return *id;
  }

  AuditAnchor anchor_;
};

TEST_P(AuditAnchorCase, AnUntouchedStoreIsIntact) {
  Checkpoint();
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
  auto last = LatestAuditCheckpoint(anchor_);
  ASSERT_TRUE(last.ok() && *last);
  EXPECT_TRUE(AuditCheckpointSigned(**last));
  EXPECT_EQ((*last)->seq, store_->Audit().Head()->seq);
}

TEST_P(AuditAnchorCase, ARewrittenLogWithRecomputedHashesIsReported) {
  Checkpoint();
  DropGuards();
  Rewrite(2);
  EXPECT_TRUE(Problems(/*anchored=*/false).empty()) << "the chain alone cannot tell";
  auto problems = Problems();
  EXPECT_TRUE(Mentions(problems, "the log was rewritten")) << Joined(problems);
  // ...and no new checkpoint anchors the forgery.
  EXPECT_FALSE(WriteAuditCheckpoint(*store_, anchor_).ok());
}

TEST_P(AuditAnchorCase, ATruncatedLogWithItsHeadFixedIsReported) {
  Checkpoint();
  auto head = *store_->Audit().Head();
  auto kept = *store_->Audit().ListAudit(head.seq - 3, 1);
  ASSERT_EQ(kept.size(), 1u);
  DropGuards();
  ASSERT_EQ(fixture_->Raw("DELETE FROM audit_log WHERE seq > " + std::to_string(kept[0].seq) +
                          "; UPDATE audit_head SET seq=" + std::to_string(kept[0].seq) +
                          ", hash='" + kept[0].hash + "' WHERE id=1"),
            "");
  EXPECT_TRUE(Problems(false).empty()) << "the chain alone cannot tell";
  EXPECT_TRUE(Mentions(Problems(), "truncated or wiped")) << Joined(Problems());
}

TEST_P(AuditAnchorCase, AWipedLogIsReported) {
  Checkpoint();
  DropGuards();
  ASSERT_EQ(fixture_->Raw("DELETE FROM audit_log; UPDATE audit_head SET seq=0, hash='' WHERE id=1"),
            "");
  EXPECT_TRUE(Mentions(Problems(), "truncated or wiped")) << Joined(Problems());
}

TEST_P(AuditAnchorCase, AVerifiedInventorysDocumentEditedInTheFileIsReported) {
  int64_t id = VerifiedInventory();
  Checkpoint();
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
  DropGuards();
  ASSERT_EQ(fixture_->Raw("UPDATE inventories SET document='{\"totals\":{\"tco2e\":1.0}}' "
                          "WHERE id=" +
                          std::to_string(id)),
            "");
  EXPECT_TRUE(Mentions(Problems(false), "inventory " + std::to_string(id) +
                                            ": its document differs from what the audit log "
                                            "recorded"))
      << Joined(Problems(false));
  ASSERT_EQ(fixture_->Raw("UPDATE inventories SET status='draft' WHERE id=" + std::to_string(id)),
            "");
  EXPECT_TRUE(Mentions(Problems(false), "its status is \"draft\"")) << Joined(Problems(false));
}

TEST_P(AuditAnchorCase, ARoleEditedInTheFileIsReported) {
  UserRecord u;
  u.login = "viewer1";
  u.role = RoleName(Role::kUnitMember);
  u.password_hash = "x";
  u.units = {"SH-CHEM-01"};
  ASSERT_TRUE(store_->Identity().CreateUser(u, actor_).ok());
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
  ASSERT_EQ(fixture_->Raw("UPDATE users SET role='programme_admin' WHERE login='viewer1'"), "");
  EXPECT_TRUE(Mentions(Problems(), "user viewer1: its role is \"programme_admin\""))
      << Joined(Problems());
}

TEST_P(AuditAnchorCase, ARoleChangedOnThePlatformIsNotAnEditButADisabledFlagInTheFileIs) {
  UserRecord u;
  u.login = "viewer2";
  u.role = RoleName(Role::kUnitMember);
  u.password_hash = "x";
  u.units = {"SH-CHEM-01"};
  ASSERT_TRUE(store_->Identity().CreateUser(u, actor_).ok());
  UserRecord admin = u;
  admin.login = "root";
  admin.role = RoleName(Role::kProgrammeAdmin);
  admin.units = {};
  ASSERT_TRUE(store_->Identity().CreateUser(admin, actor_).ok());
  ASSERT_TRUE(ChangeUser(*store_, "viewer2", {.role = "programme_staff", .disabled = true}, "root",
                         1'800'000'000, actor_)
                  .ok());
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
  ASSERT_EQ(fixture_->Raw("UPDATE users SET disabled=0 WHERE login='viewer2'"), "");
  EXPECT_TRUE(Mentions(Problems(), "user viewer2: its disabled is false")) << Joined(Problems());
}

TEST_P(AuditAnchorCase, AConsentsYearsEditedInTheFileAreReported) {
  ConsentRecord c;
  c.unit_id = "SH-CHEM-01";
  c.bank = "Bank A";
  c.scopes = {"totals"};
  c.year_from = 2020;
  c.year_to = 2020;
  c.expires_at = 4102444800;
  auto id = store_->Access().CreateConsent(c, actor_);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
  ASSERT_EQ(fixture_->Raw("UPDATE consents SET year_to=2030 WHERE id=" + std::to_string(*id)), "");
  EXPECT_TRUE(Mentions(Problems(), "consent " + std::to_string(*id) + ": its year_to is 2030"))
      << Joined(Problems());
}

TEST_P(AuditAnchorCase, AKeyFileOthersMayReadIsRefused) {
  Checkpoint();
  const auto key = anchor_.dir / "audit.key";
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  auto refused = AuditPublicKey(anchor_.dir);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find(key.string()), std::string::npos);
  EXPECT_NE(refused.error().message().find("0644"), std::string::npos);
  EXPECT_FALSE(WriteAuditCheckpoint(*store_, anchor_).ok());
  EXPECT_FALSE(VerifyAudit(*store_, &anchor_).ok());
}

TEST_P(AuditAnchorCase, AForgedCheckpointLineIsReported) {
  Checkpoint();
  auto last = **LatestAuditCheckpoint(anchor_);
  last.seq += 1;  // claims an entry the key never signed
  std::ofstream(anchor_.dir / "audit-checkpoints.jsonl", std::ios::app)
      << AuditCheckpointJson(last) << "\n";
  EXPECT_TRUE(Mentions(Problems(), "its signature does not verify")) << Joined(Problems());
}

// The server checkpoints after a write and publishes the latest, which
// anyone can check with the public key alone.
TEST_P(AuditAnchorCase, TheServerPublishesASignedCheckpointAfterAWrite) {
  ServerConfig config;
  config.store = fixture_->target();
  config.data_dir = CL_SOURCE_DATA_DIR;
  config.web_dir = "/nonexistent/web";
  config.access_log = false;
  config.audit_dir = anchor_.dir.string();
  auto api = Api::Open(config);
  ASSERT_TRUE(api.ok()) << api.error().ToString();
  UserRecord u;
  u.login = "late";
  u.role = RoleName(Role::kProgrammeStaff);
  u.password_hash = *HashPassword("correct horse battery");
  ASSERT_TRUE(store_->Identity().CreateUser(u, actor_).ok());
  ApiRequest sign_in{"POST",
                     "/api/v1/session",
                     {{"Content-Type", "application/json"}},
                     R"({"login":"late","password":"correct horse battery"})",
                     "",
                     "127.0.0.1"};
  ASSERT_EQ((*api)->Handle(sign_in).status, 200);  // audited: a write
  ApiResponse got = (*api)->Handle({"GET", "/api/v1/audit/checkpoint", {}, "", "", "127.0.0.1"});
  ASSERT_EQ(got.status, 200) << got.body;
  auto j = nlohmann::json::parse(got.body);
  AuditCheckpoint c{j["store"], j["seq"], j["hash"], j["at"], j["public_key"], j["signature"]};
  EXPECT_TRUE(AuditCheckpointSigned(c));
  EXPECT_EQ(c.seq, store_->Audit().Head()->seq);
  EXPECT_EQ(c.public_key, *AuditPublicKey(anchor_.dir));
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditAnchorCase, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace cl::security
