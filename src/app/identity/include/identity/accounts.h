// Accounts as use cases: users, API tokens and sessions read, created and
// revoked (sign-in and the checks of a request are in identity.h).
//
// Each function runs on the Store (one connection) it is given and keeps no
// state: calls on different connections may run on several threads at once.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "identity/identity.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h

// A user as asked for, by the programme admin (the API, `carbonledger user add`).
struct NewUser {
  std::string login;
  std::string display_name;
  std::string role;  // roles.md: programme_admin, unit_manager, ...
  std::string password;
  std::vector<std::string> units;  // a unit manager's or member's units
  std::string organisation;        // a bank analyst's bank, a verifier's body
};
// The rules every way of adding a user follows: a valid login, a known role,
// an organisation for a bank analyst or verifier, at least one registered
// unit for unit people, a password the policy accepts (stored as argon2id).
// Every mistake is a kInvalidInput naming its field ("login", "units/1").
// Returns the stored user, without its password hash.
Result<UserRecord> AddUser(Store& store, const NewUser& user, const IdentityPolicy& policy,
                           const Actor& by);
Result<int64_t> CreateUser(Store& store, const UserRecord& user, const Actor& by);

// A user as the programme office sees it: the record (without the password
// hash) and what is live in its name.
struct Account {
  UserRecord user;
  int active_sessions = 0;
  int active_tokens = 0;
};
Result<std::vector<Account>> ListAccounts(Store& store, int64_t now);
Result<std::optional<Account>> GetAccount(Store& store, const std::string& login, int64_t now);

// What the programme admin changes in a user; what is not set stays.
struct UserChange {
  std::optional<std::string> display_name = {};
  std::optional<std::string> role = {};
  std::optional<std::vector<std::string>> units = {};
  std::optional<std::string> organisation = {};
  std::optional<bool> disabled = {};
};
// Applies a change with AddUser's rules for what a role needs, audited.
// Nobody disables or demotes themselves, and the last enabled programme
// admin stays one. A disabled user's sessions end; tokens whose issuer is no
// longer entitled to their unit (TokenIssuerEntitled) are revoked, each
// audited. `by_user` is the admin's login ("" from the command line).
Result<UserRecord> ChangeUser(Store& store, const std::string& login, const UserChange& change,
                              const std::string& by_user, int64_t now, const Actor& by);

// A temporary password, shown once: valid for policy.temporary_password_s
// and to be changed at the next sign-in. The user's sessions end.
struct TemporaryPassword {
  std::string password;
  int64_t valid_until = 0;  // UTC seconds
};
Result<TemporaryPassword> ResetPassword(Store& store, const std::string& login,
                                        const IdentityPolicy& policy, int64_t now, const Actor& by);

// The signed-in user's own change: the current password checked (a wrong
// one counts towards the sign-in back-off of `address`), the new one by the
// policy and different; every other session of the user ends.
Status ChangeOwnPassword(Store& store, int64_t user_id, std::string_view current,
                         std::string_view next, const std::string& keep_session_hash,
                         const std::string& address, const IdentityPolicy& policy, int64_t now,
                         const Actor& by);

// Ends every session of a user; how many ended.
Result<int> EndSessions(Store& store, const std::string& login, const Actor& by);
Status DeleteSession(Store& store, const std::string& token_hash);
Result<std::optional<ApiTokenRecord>> GetApiToken(Store& store, int64_t id);
Result<std::optional<UserRecord>> GetUser(Store& store, const std::string& login);
Result<std::optional<UserRecord>> GetUserById(Store& store, int64_t id);
Result<std::vector<ApiTokenRecord>> ListApiTokens(Store& store, int64_t user_id);
Status RevokeApiToken(Store& store, int64_t id, int64_t at, const Actor& by);

}  // namespace cl
