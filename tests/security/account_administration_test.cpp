// Defect: there was no way to disable a user, change a role, reset a password or end sessions
// (issue 14).
//
// Through the API, as the programme admin: each of these works, takes effect
// at once for the user's live session, and is in the audit log.
#include "security_fixture.h"

namespace cl::security {
namespace {

using nlohmann::json;

class AccountAdministration : public StoreCase {};

TEST_P(AccountAdministration, DisableChangeResetAndEndSessionsTakeEffectAndAreAudited) {
  OpenApi();
  AddUser("li.na", Role::kUnitManager, {"SH-CHEM-01"});
  Caller user;
  ASSERT_EQ(SignInAs("li.na", "correct horse battery", "10.0.0.1", &user).status, 200);
  ASSERT_EQ(CallAs(user, "GET", "/api/v1/units/SH-CHEM-01").status, 200);

  // Disabled: the live session stops, and signing in answers like a wrong password.
  ApiResponse off = CallAs(Admin(), "PATCH", "/api/v1/users/li.na", R"({"disabled":true})");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(json::parse(off.body)["disabled"], true);
  EXPECT_EQ(CallAs(user, "GET", "/api/v1/units/SH-CHEM-01").status, 401);
  EXPECT_EQ(SignInAs("li.na", "correct horse battery", "10.0.0.1").status, 401);
  ASSERT_EQ(CallAs(Admin(), "PATCH", "/api/v1/users/li.na", R"({"disabled":false})").status, 200);
  ASSERT_EQ(SignInAs("li.na", "correct horse battery", "10.0.0.1", &user).status, 200);

  // A new unit: the session sees it on its next request.
  EXPECT_EQ(CallAs(user, "GET", "/api/v1/units/SH-AUTO-01").status, 404);
  ApiResponse moved = CallAs(Admin(), "PATCH", "/api/v1/users/li.na",
                             R"({"units":["SH-CHEM-01","SH-AUTO-01"],"role":"unit_member"})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(json::parse(moved.body)["role"], "unit_member");
  EXPECT_EQ(CallAs(user, "GET", "/api/v1/units/SH-AUTO-01").status, 200);

  // A reset: the session ends; the temporary password signs in only to be changed.
  ApiResponse reset = CallAs(Admin(), "POST", "/api/v1/users/li.na/password-reset", "{}");
  ASSERT_EQ(reset.status, 201) << reset.body;
  const std::string temp = json::parse(reset.body)["temporary_password"];
  EXPECT_EQ(CallAs(user, "GET", "/api/v1/units/SH-CHEM-01").status, 401);
  ApiResponse in = SignInAs("li.na", temp, "10.0.0.1", &user);
  ASSERT_EQ(in.status, 200);
  EXPECT_EQ(json::parse(in.body)["must_change_password"], true);
  EXPECT_EQ(CallAs(user, "GET", "/api/v1/units/SH-CHEM-01").status, 403);
  EXPECT_EQ(CallAs(user, "GET", "/api/v1/session").status, 200);
  ApiResponse changed =
      CallAs(user, "POST", "/api/v1/session/password",
             json{{"current_password", temp}, {"new_password", "my own new secret"}}.dump());
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(CallAs(user, "GET", "/api/v1/units/SH-CHEM-01").status, 200);

  // Ended sessions: out everywhere.
  Caller second;
  ASSERT_EQ(SignInAs("li.na", "my own new secret", "10.0.0.2", &second).status, 200);
  ApiResponse ended = CallAs(Admin(), "DELETE", "/api/v1/users/li.na/sessions");
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(json::parse(ended.body)["ended"], 2);
  EXPECT_EQ(CallAs(user, "GET", "/api/v1/session").status, 401);
  EXPECT_EQ(CallAs(second, "GET", "/api/v1/session").status, 401);

  // Every change is in the audit log, under the user's login, and the chain holds.
  EXPECT_EQ(Audited("update"), 3);        // disabled, enabled, role
  EXPECT_EQ(Audited("units"), 2);         // created with one, then two
  EXPECT_EQ(Audited("password"), 2);      // the reset, the user's own change
  EXPECT_EQ(Audited("end_sessions"), 4);  // disable, reset, own change (others), admin
  auto audit = store_->Audit().ListAudit(0, 100000);
  for (const auto& e : *audit) EXPECT_EQ(e.after.find(temp), std::string::npos);
  EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());
  // Only the programme admin administers; a unit member cannot.
  EXPECT_EQ(CallAs(second, "PATCH", "/api/v1/users/admin", R"({"disabled":true})").status, 401);
  ASSERT_EQ(SignInAs("li.na", "my own new secret", "10.0.0.2", &second).status, 200);
  EXPECT_EQ(CallAs(second, "PATCH", "/api/v1/users/admin", R"({"disabled":true})").status, 403);
  // The admin cannot disable itself (nor the last admin be lost).
  EXPECT_EQ(CallAs(Admin(), "PATCH", "/api/v1/users/admin", R"({"disabled":true})").status, 409);
}

INSTANTIATE_TEST_SUITE_P(Stores, AccountAdministration, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl::security
