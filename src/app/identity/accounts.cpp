#include "identity/accounts.h"

#include <sodium.h>

#include <algorithm>

#include "store/store.h"

namespace cl {
namespace {

Error Invalid(const std::string& message, const std::string& field, const std::string& code,
              ProblemParams params = {}) {
  return Error::InvalidInput(message, {"", 0, 0, field}).WithCode(code, std::move(params));
}

// `e` placed at `field`, keeping its code.
Error At(const Error& e, const std::string& field) {
  return Invalid(e.message(), field, e.code(), e.params());
}

// Who the role needs beside it: an organisation, or units that exist.
Status CheckAttachments(Store& store, Role role, const std::vector<std::string>& units,
                        const std::string& organisation) {
  if ((role == Role::kBankAnalyst || role == Role::kVerifier) && organisation.empty())
    return Invalid("a bank analyst or verifier needs an organisation", "organisation",
                   "user.needs_organisation");
  const bool unit_people = role == Role::kUnitManager || role == Role::kUnitMember;
  if (unit_people && units.empty())
    return Invalid("a unit manager or member needs at least one unit", "units", "user.needs_units");
  for (size_t i = 0; i < units.size(); ++i) {
    CL_ASSIGN_OR_RETURN(auto unit, store.Registry().GetUnit(units[i]));
    if (!unit)
      return Invalid("unit '" + units[i] + "' does not exist", "units/" + std::to_string(i),
                     "unit.not_found", {{"unit", units[i]}});
  }
  return Ok{};
}

Result<Account> Summarise(Store& store, UserRecord user, int64_t now) {
  Account a;
  CL_ASSIGN_OR_RETURN(a.active_sessions, store.Identity().CountSessions(user.id, now));
  CL_ASSIGN_OR_RETURN(auto tokens, store.Identity().ListApiTokens(user.id));
  for (const auto& t : tokens) a.active_tokens += !t.revoked_at && t.expires_at > now ? 1 : 0;
  user.password_hash.clear();
  a.user = std::move(user);
  return a;
}

Result<UserRecord> Existing(Store& store, const std::string& login) {
  CL_ASSIGN_OR_RETURN(auto u, store.Identity().GetUser(login));
  if (!u)
    return Error::NotFound("user '" + login + "' does not exist")
        .WithCode("user.not_found", {{"login", login}});
  return std::move(*u);
}

bool ActiveAdmin(const UserRecord& u) {
  return !u.disabled && u.role == RoleName(Role::kProgrammeAdmin);
}

// Nobody disables or demotes themselves; an enabled programme admin stays.
Status CheckKeepsAnAdmin(Store& store, const UserRecord& before, const UserRecord& after,
                         const std::string& by_user) {
  if (!ActiveAdmin(before) || ActiveAdmin(after)) return Ok{};
  if (before.login == by_user)
    return Error::Conflict("you cannot disable your own account or give it another role")
        .WithCode("user.self_demotion");
  CL_ASSIGN_OR_RETURN(auto all, store.Identity().ListUsers());
  for (const auto& u : all)
    if (u.login != before.login && ActiveAdmin(u)) return Ok{};
  return Error::Conflict("'" + before.login +
                         "' is the last enabled programme admin: make another one first")
      .WithCode("user.last_admin", {{"login", before.login}});
}

// Revokes the user's live tokens that it may no longer act through.
Status RevokeUnentitledTokens(Store& store, const UserRecord& user, int64_t now, const Actor& by) {
  CL_ASSIGN_OR_RETURN(auto tokens, store.Identity().ListApiTokens(user.id));
  for (const auto& t : tokens)
    if (!t.revoked_at && t.expires_at > now && !TokenIssuerEntitled(user, t.unit_id))
      CL_RETURN_IF_ERROR(store.Identity().RevokeApiToken(t.id, now, by));
  return Ok{};
}

// 16 letters and digits that cannot be mistaken for each other, in groups
// of four: about 79 bits, easy to read out over the telephone.
std::string TemporaryText() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  }
  return out;
}

}  // namespace

Result<UserRecord> AddUser(Store& store, const NewUser& user, const IdentityPolicy& policy,
                           const Actor& by) {
  if (auto st = CheckLogin(user.login); !st.ok()) return At(st.error(), "login");
  auto role = ParseRole(user.role);
  if (!role.ok()) return At(role.error(), "role");
  CL_RETURN_IF_ERROR(CheckAttachments(store, *role, user.units, user.organisation));
  auto hash = HashPassword(user.password, policy);
  if (!hash.ok()) return At(hash.error(), "password");
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

Result<std::vector<Account>> ListAccounts(Store& store, int64_t now) {
  CL_ASSIGN_OR_RETURN(auto users, store.Identity().ListUsers());
  std::vector<Account> out;
  out.reserve(users.size());
  for (auto& u : users) {
    CL_ASSIGN_OR_RETURN(auto a, Summarise(store, std::move(u), now));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<Account>> GetAccount(Store& store, const std::string& login, int64_t now) {
  CL_ASSIGN_OR_RETURN(auto u, store.Identity().GetUser(login));
  if (!u) return std::optional<Account>();
  CL_ASSIGN_OR_RETURN(auto a, Summarise(store, std::move(*u), now));
  return std::optional<Account>(std::move(a));
}

Result<UserRecord> ChangeUser(Store& store, const std::string& login, const UserChange& change,
                              const std::string& by_user, int64_t now, const Actor& by) {
  CL_ASSIGN_OR_RETURN(UserRecord before, Existing(store, login));
  UserRecord after = before;
  if (change.display_name) after.display_name = *change.display_name;
  if (change.organisation) after.organisation = *change.organisation;
  if (change.units) after.units = *change.units;
  if (change.disabled) after.disabled = *change.disabled;
  if (change.role) {
    auto role = ParseRole(*change.role);
    if (!role.ok()) return At(role.error(), "role");
    after.role = RoleName(*role);
  }
  CL_ASSIGN_OR_RETURN(Role role, ParseRole(after.role));
  CL_RETURN_IF_ERROR(CheckAttachments(store, role, after.units, after.organisation));
  CL_RETURN_IF_ERROR(CheckKeepsAnAdmin(store, before, after, by_user));
  if (after.display_name != before.display_name || after.role != before.role ||
      after.organisation != before.organisation || after.disabled != before.disabled)
    CL_RETURN_IF_ERROR(store.Identity().UpdateUser(after, by));
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  if (sorted(after.units) != sorted(before.units))
    CL_RETURN_IF_ERROR(store.Identity().SetUserUnits(after.id, after.units, by));
  if (after.disabled && !before.disabled)
    CL_RETURN_IF_ERROR(store.Identity().DeleteUserSessions(after.id, "", by));
  CL_RETURN_IF_ERROR(RevokeUnentitledTokens(store, after, now, by));
  after.password_hash.clear();
  return after;
}

Result<TemporaryPassword> ResetPassword(Store& store, const std::string& login,
                                        const IdentityPolicy& policy, int64_t now,
                                        const Actor& by) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  CL_ASSIGN_OR_RETURN(UserRecord user, Existing(store, login));
  TemporaryPassword t{TemporaryText(), now + policy.temporary_password_s};
  CL_ASSIGN_OR_RETURN(std::string hash, HashPassword(t.password, policy));
  CL_RETURN_IF_ERROR(store.Identity().SetPasswordHash(user.id, hash, t.valid_until, by));
  CL_RETURN_IF_ERROR(store.Identity().DeleteUserSessions(user.id, "", by));
  return t;
}

Status ChangeOwnPassword(Store& store, int64_t user_id, std::string_view current,
                         std::string_view next, const std::string& keep_session_hash,
                         const std::string& address, const IdentityPolicy& policy, int64_t now,
                         const Actor& by) {
  CL_ASSIGN_OR_RETURN(auto user, store.Identity().GetUserById(user_id));
  if (!user) return Error::NotFound("the user does not exist").WithCode("session.user_gone");
  const Instant at{std::chrono::seconds(now)};
  CL_ASSIGN_OR_RETURN(int64_t wait, SignInWait(store, user->login, address, at));
  if (wait > 0)
    return Error::RateLimited("too many wrong passwords; try again in " + std::to_string(wait) +
                              " s")
        .WithCode("password.backoff", {{"seconds", std::to_string(wait)}});
  if (!VerifyPassword(user->password_hash, current)) {
    CL_RETURN_IF_ERROR(CountFailure(store, user->login, address, user->id, at, policy));
    return Invalid("the current password is wrong", "current_password", "password.current_wrong");
  }
  if (next == current)
    return Invalid("the new password must differ from the current one", "new_password",
                   "password.unchanged");
  auto hash = HashPassword(next, policy);
  if (!hash.ok()) return At(hash.error(), "new_password");
  CL_RETURN_IF_ERROR(store.Identity().SetPasswordHash(user->id, *hash, 0, by));
  CL_RETURN_IF_ERROR(store.Identity().DeleteUserSessions(user->id, keep_session_hash, by));
  return Ok{};
}

Result<int> EndSessions(Store& store, const std::string& login, const Actor& by) {
  CL_ASSIGN_OR_RETURN(UserRecord user, Existing(store, login));
  return store.Identity().DeleteUserSessions(user.id, "", by);
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
