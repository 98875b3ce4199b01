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
#include "model/records.h"

namespace cl {

class Store;  // store/store.h

Result<int64_t> CreateUser(Store& store, const UserRecord& user, const Actor& by);
Status DeleteSession(Store& store, const std::string& token_hash);
Result<std::optional<ApiTokenRecord>> GetApiToken(Store& store, int64_t id);
Result<std::optional<UserRecord>> GetUser(Store& store, const std::string& login);
Result<std::optional<UserRecord>> GetUserById(Store& store, int64_t id);
Result<std::vector<ApiTokenRecord>> ListApiTokens(Store& store, int64_t user_id);
Status RevokeApiToken(Store& store, int64_t id, int64_t at, const Actor& by);

}  // namespace cl
