#include "identity/accounts.h"

#include "store/store.h"

namespace cl {
namespace {

Error Invalid(const std::string& message, const std::string& field) {
  return Error::InvalidInput(message, {"", 0, 0, field});
}

// Who the role needs beside it: an organisation, or units that exist.
Status CheckAttachments(Store& store, Role role, const NewUser& user) {
  if ((role == Role::kBankAnalyst || role == Role::kVerifier) && user.organisation.empty())
    return Invalid("a bank analyst or verifier needs an organisation", "organisation");
  const bool unit_people = role == Role::kUnitManager || role == Role::kUnitMember;
  if (unit_people && user.units.empty())
    return Invalid("a unit manager or member needs at least one unit", "units");
  for (size_t i = 0; i < user.units.size(); ++i) {
    CL_ASSIGN_OR_RETURN(auto unit, store.Registry().GetUnit(user.units[i]));
    if (!unit)
      return Invalid("unit '" + user.units[i] + "' does not exist", "units/" + std::to_string(i));
  }
  return Ok{};
}

}  // namespace

Result<UserRecord> AddUser(Store& store, const NewUser& user, const IdentityPolicy& policy,
                           const Actor& by) {
  if (auto st = CheckLogin(user.login); !st.ok()) return Invalid(st.error().message(), "login");
  auto role = ParseRole(user.role);
  if (!role.ok()) return Invalid(role.error().message(), "role");
  CL_RETURN_IF_ERROR(CheckAttachments(store, *role, user));
  auto hash = HashPassword(user.password, policy);
  if (!hash.ok()) return Invalid(hash.error().message(), "password");
  UserRecord u;
  u.login = user.login;
  u.display_name = user.display_name;
  u.role = RoleName(*role);
  u.password_hash = *hash;
  u.units = user.units;
  u.organisation = user.organisation;
  CL_ASSIGN_OR_RETURN(u.id, store.Identity().CreateUser(u, by));
  u.password_hash.clear();
  return u;
}

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
