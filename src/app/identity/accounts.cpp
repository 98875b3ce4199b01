#include "identity/accounts.h"

#include "store/store.h"

namespace cl {

Result<int64_t> CreateUser(Store& store, const UserRecord& user, const Actor& by) {
  return store.Identity().CreateUser(user, by);
}

Status DeleteSession(Store& store, const std::string& token_hash) {
  return store.Identity().DeleteSession(token_hash);
}

Result<std::optional<ApiTokenRecord>> GetApiToken(Store& store, int64_t id) {
  return store.Identity().GetApiToken(id);
}

Result<std::optional<UserRecord>> GetUser(Store& store, const std::string& login) {
  return store.Identity().GetUser(login);
}

Result<std::optional<UserRecord>> GetUserById(Store& store, int64_t id) {
  return store.Identity().GetUserById(id);
}

Result<std::vector<ApiTokenRecord>> ListApiTokens(Store& store, int64_t user_id) {
  return store.Identity().ListApiTokens(user_id);
}

Status RevokeApiToken(Store& store, int64_t id, int64_t at, const Actor& by) {
  return store.Identity().RevokeApiToken(id, at, by);
}

}  // namespace cl
