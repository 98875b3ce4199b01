// Defect: anyone could keep `admin` locked out by failing its sign-in on purpose (issue 14).
//
// The back-off is per login and client address: an attacker's wrong
// guesses make the attacker's address wait, not the admin's.
#include "security_fixture.h"

namespace cl::security {
namespace {

class AdminLockout : public StoreCase {};

TEST_P(AdminLockout, GuessesFromOneAddressDoNotLockTheAdminOutElsewhere) {
  OpenApi();
  int waited = 0;
  for (int i = 0; i < 12; ++i)
    waited += SignInAs("admin", "guess number " + std::to_string(i), "203.0.113.7").status == 429;
  EXPECT_GE(waited, 8);  // the attacker's address waits after 3 failures
  // Even the right password waits at the attacker's address...
  EXPECT_EQ(SignInAs("admin", "correct horse battery", "203.0.113.7").status, 429);
  // ...but the admin, at its own address, signs in at once.
  Caller admin;
  EXPECT_EQ(SignInAs("admin", "correct horse battery", "198.51.100.20", &admin).status, 200);
  EXPECT_EQ(CallAs(admin, "GET", "/api/v1/users").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Stores, AdminLockout, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl::security
