// Defect: an API token kept working after its issuer lost the unit (issue 14).
//
// A unit manager's meter-gateway token stops as soon as the manager loses
// the unit or the role, or is disabled — whether that is done through the
// platform (the token is revoked, audited) or straight in the database
// (the token is refused at use).
#include "security_fixture.h"

namespace cl::security {
namespace {

using nlohmann::json;

class TokenAfterIssuerLosesUnit : public StoreCase {
 protected:
  // A token issued by `manager` for SH-CHEM-01, and proof that it works.
  std::string Token(const Caller& manager) {
    ApiResponse t = CallAs(manager, "POST", "/api/v1/tokens", R"({"unit":"SH-CHEM-01","days":30})");
    EXPECT_EQ(t.status, 201) << t.body;
    std::string token = json::parse(t.body).value("token", "");
    EXPECT_EQ(CallAs({}, "GET", "/api/v1/session", "", token).status, 200);
    return token;
  }
};

TEST_P(TokenAfterIssuerLosesUnit, TheTokenStopsWithTheIssuersRight) {
  OpenApi();
  AddUser("zhou", Role::kUnitManager, {"SH-CHEM-01", "SH-AUTO-01"});
  Caller manager;
  ASSERT_EQ(SignInAs("zhou", "correct horse battery", "10.0.0.1", &manager).status, 200);

  // The unit taken away through the API: revoked at once, audited.
  std::string token = Token(manager);
  ASSERT_EQ(CallAs(Admin(), "PATCH", "/api/v1/users/zhou", R"({"units":["SH-AUTO-01"]})").status,
            200);
  ApiResponse used = CallAs({}, "GET", "/api/v1/session", "", token);
  EXPECT_EQ(used.status, 401);
  EXPECT_NE(used.body.find("revoked"), std::string::npos) << used.body;
  EXPECT_EQ(Audited("revoke"), 1);

  // The unit given back, a new token, then the role changed: revoked.
  ASSERT_EQ(CallAs(Admin(), "PATCH", "/api/v1/users/zhou", R"({"units":["SH-CHEM-01"]})").status,
            200);
  token = Token(manager);
  ASSERT_EQ(CallAs(Admin(), "PATCH", "/api/v1/users/zhou", R"({"role":"unit_member"})").status,
            200);
  EXPECT_EQ(CallAs({}, "GET", "/api/v1/session", "", token).status, 401);
  EXPECT_EQ(Audited("revoke"), 2);

  // The unit taken away in the database itself, where nothing revokes:
  // the token is refused when it is used.
  ASSERT_EQ(CallAs(Admin(), "PATCH", "/api/v1/users/zhou", R"({"role":"unit_manager"})").status,
            200);
  ASSERT_EQ(SignInAs("zhou", "correct horse battery", "10.0.0.1", &manager).status, 200);
  token = Token(manager);
  auto zhou = **store_->Identity().GetUser("zhou");
  ASSERT_TRUE(store_->Identity().SetUserUnits(zhou.id, {"SH-AUTO-01"}, actor_).ok());
  ApiResponse refused = CallAs({}, "GET", "/api/v1/session", "", token);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("may no longer act for unit"), std::string::npos) << refused.body;

  // A disabled issuer's tokens stop too.
  ASSERT_TRUE(store_->Identity().SetUserUnits(zhou.id, {"SH-CHEM-01"}, actor_).ok());
  EXPECT_EQ(CallAs({}, "GET", "/api/v1/session", "", token).status, 200);
  ASSERT_EQ(CallAs(Admin(), "PATCH", "/api/v1/users/zhou", R"({"disabled":true})").status, 200);
  EXPECT_EQ(CallAs({}, "GET", "/api/v1/session", "", token).status, 401);
}

INSTANTIATE_TEST_SUITE_P(Stores, TokenAfterIssuerLosesUnit, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl::security
