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
Status DeleteSession(Store& store, const std::string& token_hash);
Result<std::optional<ApiTokenRecord>> GetApiToken(Store& store, int64_t id);
Result<std::optional<UserRecord>> GetUser(Store& store, const std::string& login);
Result<std::optional<UserRecord>> GetUserById(Store& store, int64_t id);
Result<std::vector<ApiTokenRecord>> ListApiTokens(Store& store, int64_t user_id);
Status RevokeApiToken(Store& store, int64_t id, int64_t at, const Actor& by);

}  // namespace cl
