// Users, sessions and API tokens on both stores: passwords hashed with
// argon2id, secrets never stored or audited in clear, back-off after failed
// sign-ins, tokens scoped, expiring and revocable.
#include "identity/identity.h"

#include <gtest/gtest.h>

#include "identity/accounts.h"
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
      ASSERT_TRUE(
          store_->Registry()
              .PutUnit({id, "91310116MA1CL0012H", "甲", "A", "310000", "", "", "", {}}, admin_)
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

TEST_P(IdentityTest, FailedSignInsBackOffPerAddressAndAnUnknownLoginLooksTheSame) {
  EXPECT_EQ(SignIn(*store_, "nobody", kPassword, At(0), "x").error().message(),
            SignIn(*store_, "manager@u1", "wrong password!", At(0), "x").error().message());
  // Failures 2 and 3 from address x: the third starts a 2 s wait there, the
  // fourth 4 s (IdentityPolicy: 3 free failures, then 2 s doubling).
  EXPECT_EQ(SignIn(*store_, "manager@u1", "wrong password!", At(1), "x").error().kind(),
            ErrorKind::kUnauthenticated);
  EXPECT_EQ(SignIn(*store_, "manager@u1", "wrong password!", At(2), "x").error().kind(),
            ErrorKind::kUnauthenticated);
  auto locked = SignIn(*store_, "manager@u1", kPassword, At(3), "x");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().kind(), ErrorKind::kRateLimited);
  EXPECT_NE(locked.error().message().find("try again in 1 s"), std::string::npos);
  // The user at another address is not held back by failures from x.
  ASSERT_TRUE(SignIn(*store_, "manager@u1", kPassword, At(3), "y").ok());
  EXPECT_FALSE(SignIn(*store_, "manager@u1", "wrong password!", At(4), "x").ok());
  EXPECT_EQ(*SignInWait(*store_, "manager@u1", "x", At(4)), 4);
  EXPECT_EQ(SignIn(*store_, "manager@u1", kPassword, At(7), "x").error().kind(),
            ErrorKind::kRateLimited);
  ASSERT_TRUE(SignIn(*store_, "manager@u1", kPassword, At(8), "x").ok());
  EXPECT_EQ(store_->Identity().GetSignInBackoff("manager@u1", "x")->failures, 0);
  // A login that does not exist waits exactly as one that does: same kind,
  // same message, same wait.
  for (int i = 0; i < 3; ++i) {
    (void)SignIn(*store_, "nobody", "wrong password!", At(10), "z");
    (void)SignIn(*store_, "manager@u1", "wrong password!", At(10), "z");
  }
  auto unknown = SignIn(*store_, "nobody", "wrong password!", At(11), "z");
  auto known = SignIn(*store_, "manager@u1", "wrong password!", At(11), "z");
  EXPECT_EQ(unknown.error().kind(), ErrorKind::kRateLimited);
  EXPECT_EQ(unknown.error().kind(), known.error().kind());
  EXPECT_EQ(unknown.error().message(), known.error().message());
  // Only the existing account's failures are audited (an unknown login is
  // not a record): 1 + 2 + 1 from x, 3 from z.
  int failures = 0;
  auto audit = store_->Audit().ListAudit(0, 1000);
  for (const auto& e : *audit) failures += e.action == "sign_in_failed";
  EXPECT_EQ(failures, 7);
  // A back-off quiet for a day is forgotten at the next sign-in.
  ASSERT_TRUE(SignIn(*store_, "manager@u1", kPassword, At(11 + 86400 + 1), "w").ok());
  EXPECT_EQ(store_->Identity().GetSignInBackoff("nobody", "z")->failures, 0);
}

TEST_P(IdentityTest, ApiTokensAreScopedExpiringAndRevocable) {
  auto t = IssueApiToken(*store_, manager_, "U1", "ingest", 30, "SCADA gateway", At(0), admin_);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->token.rfind("clt_", 0), 0u);
  auto rec = AuthenticateToken(*store_, t->token, At(100));
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->token.unit_id, "U1");
  EXPECT_EQ(rec->token.scope, "ingest");
  EXPECT_EQ(rec->issuer.login, "manager@u1");
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

TEST_P(IdentityTest, ATokenStopsWhenItsIssuerLosesTheUnitOrTheRole) {
  const int64_t t0 = 1'800'000'000;
  auto t1 = IssueApiToken(*store_, manager_, "U1", "ingest", 30, "", At(0), admin_);
  ASSERT_TRUE(t1.ok());
  // Units changed through the use case: the U1 token is revoked, audited.
  auto changed = ChangeUser(*store_, "manager@u1", {.units = std::vector<std::string>{"U2"}},
                            "admin", t0 + 10, admin_);
  ASSERT_TRUE(changed.ok()) << changed.error().ToString();
  EXPECT_EQ(AuthenticateToken(*store_, t1->token, At(11)).error().message(),
            "the API token was revoked");
  // Units changed behind its back (straight in the store): the token is not
  // revoked, but its issuer no longer manages the unit, so it stops anyway.
  auto me = **store_->Identity().GetUser("manager@u1");
  auto t2 = IssueApiToken(*store_, me, "U2", "ingest", 30, "", At(20), admin_);
  ASSERT_TRUE(t2.ok());
  ASSERT_TRUE(store_->Identity().SetUserUnits(me.id, {"U1"}, admin_).ok());
  EXPECT_EQ(AuthenticateToken(*store_, t2->token, At(21)).error().message(),
            "the API token's issuer may no longer act for unit 'U2'");
  // A manager made a member loses the tokens of every unit.
  me = **store_->Identity().GetUser("manager@u1");
  auto t3 = IssueApiToken(*store_, me, "U1", "ingest", 30, "", At(30), admin_);
  ASSERT_TRUE(t3.ok());
  ASSERT_TRUE(
      ChangeUser(*store_, "manager@u1", {.role = "unit_member"}, "admin", t0 + 31, admin_).ok());
  EXPECT_EQ(AuthenticateToken(*store_, t3->token, At(32)).error().message(),
            "the API token was revoked");
  // Revoked through the use case: t1 (unit), then t3 and the stale t2 (role).
  EXPECT_EQ(AuthenticateToken(*store_, t2->token, At(33)).error().message(),
            "the API token was revoked");
  int revokes = 0;
  auto audit = store_->Audit().ListAudit(0, 1000);
  for (const auto& e : *audit) revokes += e.action == "revoke";
  EXPECT_EQ(revokes, 3);
}

TEST_P(IdentityTest, ADisabledUserIsOutAndTheLastAdminStays) {
  const int64_t t0 = 1'800'000'000;
  auto s = SignIn(*store_, "manager@u1", kPassword, At(0), "a");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(ChangeUser(*store_, "manager@u1", {.disabled = true}, "admin", t0 + 1, admin_).ok());
  EXPECT_FALSE(SessionUser(*store_, s->session_token, At(2)).ok());
  EXPECT_EQ(*store_->Identity().CountSessions(manager_.id, t0 + 2), 0);
  // A disabled account answers as a wrong password does.
  EXPECT_EQ(SignIn(*store_, "manager@u1", kPassword, At(3), "a").error().message(),
            "wrong login or password");
  ASSERT_TRUE(ChangeUser(*store_, "manager@u1", {.disabled = false}, "admin", t0 + 4, admin_).ok());
  EXPECT_TRUE(SignIn(*store_, "manager@u1", kPassword, At(5), "a").ok());
  // A unit manager needs a unit; a verifier an organisation.
  EXPECT_EQ(
      ChangeUser(*store_, "manager@u1", {.units = std::vector<std::string>{}}, "admin", t0, admin_)
          .error()
          .where()
          .field,
      "units");
  EXPECT_EQ(
      ChangeUser(*store_, "manager@u1", {.role = "verifier"}, "admin", t0, admin_).error().kind(),
      ErrorKind::kInvalidInput);
  // The only programme admin can be neither disabled nor demoted.
  UserRecord root;
  root.login = "root";
  root.role = RoleName(Role::kProgrammeAdmin);
  root.password_hash = *HashPassword(kPassword);
  ASSERT_TRUE(store_->Identity().CreateUser(root, admin_).ok());
  auto last = ChangeUser(*store_, "root", {.disabled = true}, "", t0, admin_);
  EXPECT_EQ(last.error().kind(), ErrorKind::kConflict);
  EXPECT_NE(last.error().message().find("last enabled programme admin"), std::string::npos);
  EXPECT_EQ(ChangeUser(*store_, "root", {.role = "programme_staff"}, "root", t0, admin_)
                .error()
                .message(),
            "you cannot disable your own account or give it another role");
  ASSERT_TRUE(
      ChangeUser(*store_, "manager@u1", {.role = "programme_admin"}, "root", t0, admin_).ok());
  EXPECT_TRUE(ChangeUser(*store_, "root", {.disabled = true}, "manager@u1", t0, admin_).ok());
  EXPECT_EQ(ChangeUser(*store_, "ghost", {.disabled = true}, "root", t0, admin_).error().kind(),
            ErrorKind::kNotFound);
}

TEST_P(IdentityTest, AResetPasswordIsTemporaryAndMustBeChanged) {
  const int64_t t0 = 1'800'000'000;
  const IdentityPolicy policy;
  auto before = SignIn(*store_, "manager@u1", kPassword, At(0), "a");
  ASSERT_TRUE(before.ok());
  auto temp = ResetPassword(*store_, "manager@u1", policy, t0 + 1, admin_);
  ASSERT_TRUE(temp.ok()) << temp.error().ToString();
  EXPECT_EQ(temp->password.size(), 19u);  // 4 groups of 4, 3 dashes
  EXPECT_EQ(temp->valid_until, t0 + 1 + policy.temporary_password_s);
  EXPECT_FALSE(SessionUser(*store_, before->session_token, At(2)).ok());  // sessions ended
  EXPECT_FALSE(SignIn(*store_, "manager@u1", kPassword, At(3), "a").ok());
  // Past its validity the temporary password is a wrong password.
  EXPECT_EQ(SignIn(*store_, "manager@u1", temp->password, At(1 + policy.temporary_password_s), "b")
                .error()
                .message(),
            "wrong login or password");
  auto in = SignIn(*store_, "manager@u1", temp->password, At(4), "a");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->user.temporary_until, temp->valid_until);
  auto other = SignIn(*store_, "manager@u1", temp->password, At(5), "c");
  ASSERT_TRUE(other.ok());
  const std::string keep = TokenHash(in->session_token);
  auto wrong = ChangeOwnPassword(*store_, manager_.id, "not it at all", "a brand new secret", keep,
                                 "a", policy, t0 + 6, admin_);
  EXPECT_EQ(wrong.error().where().field, "current_password");
  EXPECT_EQ(ChangeOwnPassword(*store_, manager_.id, temp->password, temp->password, keep, "a",
                              policy, t0 + 6, admin_)
                .error()
                .where()
                .field,
            "new_password");
  ASSERT_TRUE(ChangeOwnPassword(*store_, manager_.id, temp->password, "a brand new secret", keep,
                                "a", policy, t0 + 7, admin_)
                  .ok());
  EXPECT_EQ((*store_->Identity().GetUser("manager@u1"))->temporary_until, 0);
  EXPECT_TRUE(SessionUser(*store_, in->session_token, At(8)).ok());      // kept
  EXPECT_FALSE(SessionUser(*store_, other->session_token, At(8)).ok());  // ended
  EXPECT_TRUE(SignIn(*store_, "manager@u1", "a brand new secret", At(9), "a").ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, IdentityTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl
