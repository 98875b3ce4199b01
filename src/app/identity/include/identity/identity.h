// Who is calling: users who sign in with a password (argon2id, libsodium),
// browser sessions with a CSRF token, and API tokens for machines that send
// readings — scoped to one unit and one scope, expiring, revocable. Only
// hashes of secrets are stored; a secret is shown once, when it is made.
// Roles and what each may do: docs/roles.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/timestamp.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h: the use cases below take a connection

enum class Role {
  kProgrammeAdmin,  // runs the platform: users, datasets, everything
  kProgrammeStaff,  // reads everything, runs programmes
  kUnitManager,     // their own units: data, inventories, consents, tokens
  kUnitMember,      // their own units: data and inventories
  kVerifier,        // inventories assigned to them
  kBankAnalyst,     // units that granted their bank consent
};
const char* RoleName(Role r);  // "programme_admin", ...
Result<Role> ParseRole(std::string_view text);
// Programme roles see every unit; the others only their own (or assigned).
bool SeesEveryUnit(Role r);

// Sign-in back-off and lifetimes. Operational settings, not domain numbers.
struct IdentityPolicy {
  // Back-off per login and client address: after free_failures failed
  // sign-ins of a login from one address, that address waits first_wait_s,
  // doubling, at most longest_wait_s; other addresses do not.
  int free_failures = 3;
  int64_t first_wait_s = 2;
  int64_t longest_wait_s = 900;                       // at most 15 minutes
  int64_t forget_failures_s = 86400;                  // a back-off quiet this long is forgotten
  int64_t temporary_password_s = int64_t{3} * 86400;  // a reset's password lasts 3 days
  int64_t session_s = int64_t{8} * 3600;              // a browser session lasts a working day
  int64_t longest_token_days = 366;
  size_t shortest_password = 10;
  // A read may use a session (and its user) checked within this many seconds
  // by this process; 0 checks the store on every request. Writes always do.
  double session_cache_s = 1;
};

// A login: 1-100 letters, digits and . _ - @, starting with a letter or
// digit. No ':' (the audit log and batches name a token "token:N"), and not
// "public" (the caller without credentials).
Status CheckLogin(std::string_view login);

// argon2id with libsodium's interactive limits; refuses passwords shorter
// than the policy allows.
Result<std::string> HashPassword(std::string_view password, const IdentityPolicy& policy = {});
bool VerifyPassword(const std::string& hash, std::string_view password);

// SHA-256 of a token, hex: how tokens are stored and looked up.
std::string TokenHash(std::string_view token);

struct SignedIn {
  UserRecord user;            // user.temporary_until != 0: must change the password first
  std::string session_token;  // for the HttpOnly cookie
  std::string csrf_token;     // for the X-CSRF-Token header of every write
  int64_t expires_at = 0;
};

// A wrong login, a disabled account, an expired temporary password and a
// wrong password get the same answer. After policy.free_failures failures
// of a login from `address`, sign-ins of that login from that address wait,
// doubling each time, whether the login exists or not; signing in while it
// waits fails with kRateLimited (SignInWait says how long). Other addresses
// are not held back, so nobody can lock someone else out from elsewhere.
Result<SignedIn> SignIn(Store& store, const std::string& login, std::string_view password,
                        Instant now, const std::string& address, const IdentityPolicy& policy = {});
// Seconds `login` must wait before signing in from `address` (0: none).
Result<int64_t> SignInWait(Store& store, const std::string& login, const std::string& address,
                           Instant now);
// Counts a failed password check of `login` from `address` towards the
// back-off (a sign-in, or a wrong current password when changing it).
Status CountFailure(Store& store, const std::string& login, const std::string& address,
                    int64_t user_id, Instant now, const IdentityPolicy& policy);

// The signed-in user of a session cookie; for writes, also the CSRF token.
// *expires_at, when given, receives the session's end (UTC seconds).
Result<UserRecord> SessionUser(Store& store, std::string_view session_token, Instant now,
                               int64_t* expires_at = nullptr);
Status CheckCsrf(Store& store, std::string_view session_token, std::string_view csrf_token);
Status SignOut(Store& store, std::string_view session_token);

struct IssuedToken {
  int64_t id = 0;
  std::string token;  // shown once
  int64_t expires_at = 0;
};
// A token for `unit_id` and `scope` ("ingest"), for `days` days. The user
// must be a unit manager of the unit, or a programme admin.
Result<IssuedToken> IssueApiToken(Store& store, const UserRecord& user, const std::string& unit_id,
                                  const std::string& scope, int days, const std::string& label,
                                  Instant now, const Actor& by, const IdentityPolicy& policy = {});
// Whether `issuer` may still act through a token for `unit_id`: enabled,
// and a programme admin or a unit manager of that unit. A token whose issuer
// lost the unit or the role stops working (and is revoked when that changes).
bool TokenIssuerEntitled(const UserRecord& issuer, const std::string& unit_id);

struct AuthenticatedToken {
  ApiTokenRecord token;
  UserRecord issuer;  // without its password hash
};
// The token and its issuer if the token is known, not revoked, not expired
// and its issuer still entitled (TokenIssuerEntitled).
Result<AuthenticatedToken> AuthenticateToken(Store& store, std::string_view token, Instant now);

}  // namespace cl
