// Users, sessions and API tokens on both stores: passwords hashed with
// argon2id, secrets never stored or audited in clear, back-off after failed
// sign-ins, tokens scoped, expiring and revocable.
#include "identity/identity.h"

#include <gtest/gtest.h>

#include "store/store.h"
#include "store_fixture.h"

namespace cl {
namespace {

class IdentityTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fixture_ = std::make_unique<testing::TestStore>(GetParam());
    bool skip = false;
    std::string target = fixture_->Create(&skip);
    if (skip) GTEST_SKIP() << "PostgreSQL not configured";
    auto s = OpenStore(target);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
    for (const char* id : {"U1", "U2"})
      ASSERT_TRUE(store_->Registry()
                      .PutUnit({id, "91310116MA1CL0012H", "甲", "A", "310000", "", "", ""}, admin_)
                      .ok());
    UserRecord m;
    m.login = "manager@u1";
    m.display_name = "张经理";
    m.role = RoleName(Role::kUnitManager);
    m.password_hash = *HashPassword(kPassword);
    m.units = {"U1"};
    auto id = store_->Identity().CreateUser(m, admin_);
    ASSERT_TRUE(id.ok()) << id.error().ToString();
    manager_ = **store_->Identity().GetUserById(*id);
  }
  void TearDown() override {
    store_.reset();
    fixture_.reset();
  }

  Instant At(int64_t s) { return Instant(std::chrono::seconds(1'800'000'000 + s)); }

  static constexpr const char* kPassword = "correct horse battery";
  std::unique_ptr<testing::TestStore> fixture_;
  std::unique_ptr<Store> store_;
  Actor admin_{"admin", "test"};
  UserRecord manager_;
};

TEST_P(IdentityTest, PasswordsAreArgon2idAndNeverStoredInClear) {
  EXPECT_EQ(manager_.password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(manager_.password_hash.find(kPassword), std::string::npos);
  EXPECT_TRUE(VerifyPassword(manager_.password_hash, kPassword));
  EXPECT_FALSE(VerifyPassword(manager_.password_hash, "correct horse battery!"));
  EXPECT_FALSE(HashPassword("short").ok());
  EXPECT_EQ(manager_.units, std::vector<std::string>{"U1"});
  EXPECT_EQ(store_->Identity().CreateUser(manager_, admin_).error().kind(), ErrorKind::kConflict);
}

TEST_P(IdentityTest, SignInMakesASessionWithCsrfAndSignOutEndsIt) {
  auto s = SignIn(*store_, "manager@u1", kPassword, At(0), "127.0.0.1");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->session_token.rfind("cls_", 0), 0u);
  EXPECT_TRUE(s->user.password_hash.empty());
  auto who = SessionUser(*store_, s->session_token, At(60));
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->login, "manager@u1");
  EXPECT_TRUE(CheckCsrf(*store_, s->session_token, s->csrf_token).ok());
  EXPECT_EQ(CheckCsrf(*store_, s->session_token, "clc_forged").error().kind(),
            ErrorKind::kForbidden);
  EXPECT_EQ(SessionUser(*store_, s->session_token, At(8 * 3600)).error().kind(),
            ErrorKind::kUnauthenticated);  // expired
  ASSERT_TRUE(SignOut(*store_, s->session_token).ok());
  EXPECT_FALSE(SessionUser(*store_, s->session_token, At(61)).ok());
  // The store holds only hashes of the session and CSRF tokens.
  EXPECT_FALSE(store_->Identity().FindSession(s->session_token)->has_value());
}

TEST_P(IdentityTest, FailedSignInsBackOffAndAnUnknownLoginLooksTheSame) {
  EXPECT_EQ(SignIn(*store_, "nobody", kPassword, At(0), "x").error().message(),
            SignIn(*store_, "manager@u1", "wrong password!", At(0), "x").error().message());
  // Failures 2 and 3: the third starts a 2 s wait, the fourth 4 s.
  EXPECT_EQ(SignIn(*store_, "manager@u1", "wrong password!", At(1), "x").error().kind(),
            ErrorKind::kUnauthenticated);
  EXPECT_EQ(SignIn(*store_, "manager@u1", "wrong password!", At(2), "x").error().kind(),
            ErrorKind::kUnauthenticated);
  auto locked = SignIn(*store_, "manager@u1", kPassword, At(3), "x");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().kind(), ErrorKind::kRateLimited);
  EXPECT_NE(locked.error().message().find("try again in 1 s"), std::string::npos);
  EXPECT_FALSE(SignIn(*store_, "manager@u1", "wrong password!", At(4), "x").ok());
  EXPECT_EQ((*store_->Identity().GetUser("manager@u1"))->locked_until, 1'800'000'000 + 4 + 4);
  EXPECT_EQ(SignIn(*store_, "manager@u1", kPassword, At(7), "x").error().kind(),
            ErrorKind::kRateLimited);
  ASSERT_TRUE(SignIn(*store_, "manager@u1", kPassword, At(8), "x").ok());
  EXPECT_EQ((*store_->Identity().GetUser("manager@u1"))->failed_logins, 0);
  int failures = 0;
  auto audit = store_->Audit().ListAudit(0, 1000);
  for (const auto& e : *audit) failures += e.action == "sign_in_failed";
  EXPECT_EQ(failures, 4);
}

TEST_P(IdentityTest, ApiTokensAreScopedExpiringAndRevocable) {
  auto t = IssueApiToken(*store_, manager_, "U1", "ingest", 30, "SCADA gateway", At(0), admin_);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->token.rfind("clt_", 0), 0u);
  auto rec = AuthenticateToken(*store_, t->token, At(100));
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->unit_id, "U1");
  EXPECT_EQ(rec->scope, "ingest");
  EXPECT_EQ(AuthenticateToken(*store_, t->token, At(30 * 86400)).error().message(),
            "the API token has expired");
  EXPECT_FALSE(AuthenticateToken(*store_, "clt_guess", At(0)).ok());
  // Another unit's token, a wrong scope, too long a life: refused.
  EXPECT_EQ(IssueApiToken(*store_, manager_, "U2", "ingest", 30, "", At(0), admin_).error().kind(),
            ErrorKind::kForbidden);
  EXPECT_FALSE(IssueApiToken(*store_, manager_, "U1", "admin", 30, "", At(0), admin_).ok());
  EXPECT_FALSE(IssueApiToken(*store_, manager_, "U1", "ingest", 4000, "", At(0), admin_).ok());
  ASSERT_TRUE(store_->Identity().RevokeApiToken(t->id, 1'800'000'200, admin_).ok());
  EXPECT_EQ(AuthenticateToken(*store_, t->token, At(300)).error().message(),
            "the API token was revoked");
  EXPECT_EQ(store_->Identity().RevokeApiToken(t->id, 1'800'000'300, admin_).error().kind(),
            ErrorKind::kNotFound);
  // Neither the token nor the password appears anywhere in the audit log.
  auto audit = store_->Audit().ListAudit(0, 1000);
  for (const auto& e : *audit) {
    for (const std::string* f : {&e.before, &e.after, &e.reason, &e.entity_id}) {
      EXPECT_EQ(f->find(t->token), std::string::npos);
      EXPECT_EQ(f->find("argon2"), std::string::npos);
    }
  }
  EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());
}

TEST_P(IdentityTest, RolesParseAndOnlyProgrammeRolesSeeEveryUnit) {
  for (Role r : {Role::kProgrammeAdmin, Role::kProgrammeStaff, Role::kUnitManager,
                 Role::kUnitMember, Role::kVerifier, Role::kBankAnalyst})
    EXPECT_EQ(*ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root").ok());
  EXPECT_TRUE(SeesEveryUnit(Role::kProgrammeStaff));
  EXPECT_FALSE(SeesEveryUnit(Role::kBankAnalyst));
  EXPECT_EQ(store_->Identity().SetUserUnits(manager_.id, {"U9"}, admin_).error().kind(),
            ErrorKind::kNotFound);
  ASSERT_TRUE(store_->Identity().SetUserUnits(manager_.id, {"U1", "U2"}, admin_).ok());
  EXPECT_EQ((*store_->Identity().GetUserById(manager_.id))->units,
            (std::vector<std::string>{"U1", "U2"}));
}

INSTANTIATE_TEST_SUITE_P(Stores, IdentityTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl
