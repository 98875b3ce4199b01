#include "identity/identity.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "store/store.h"

namespace cl {
namespace {

struct RoleEntry {
  Role role;
  const char* name;
};
constexpr std::array<RoleEntry, 6> kRoles = {{
    {Role::kProgrammeAdmin, "programme_admin"},
    {Role::kProgrammeStaff, "programme_staff"},
    {Role::kUnitManager, "unit_manager"},
    {Role::kUnitMember, "unit_member"},
    {Role::kVerifier, "verifier"},
    {Role::kBankAnalyst, "bank_analyst"},
}};

// 32 random bytes as URL-safe base64 without padding, after a prefix that
// says what the secret is (so a leaked one is recognisable in logs).
std::string RandomToken(const char* prefix) {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char out[64];
  sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(prefix) + out;
}

int64_t Seconds(Instant t) { return t.time_since_epoch().count(); }

Error WrongCredentials() {
  return Error::Unauthenticated("wrong login or password").WithCode("session.wrong_credentials");
}

}  // namespace

const char* RoleName(Role r) {
  for (const auto& x : kRoles)
    if (x.role == r) return x.name;
  return "?";
}

Result<Role> ParseRole(std::string_view text) {
  for (const auto& x : kRoles)
    if (text == x.name) return x.role;
  std::string known;
  for (const auto& x : kRoles) known += std::string(known.empty() ? "" : ", ") + x.name;
  return Error::InvalidInput("unknown role '" + std::string(text) + "'; one of " + known)
      .WithCode("user.unknown_role", {{"role", std::string(text)}});
}

bool SeesEveryUnit(Role r) { return r == Role::kProgrammeAdmin || r == Role::kProgrammeStaff; }

Status CheckLogin(std::string_view login) {
  const Location at{"", 0, 0, "login"};
  if (login.empty() || login.size() > 100)
    return Error::InvalidInput("a login has 1 to 100 characters", at).WithCode("user.login_length");
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(login.front()))
    return Error::InvalidInput("a login starts with a letter or a digit", at)
        .WithCode("user.login_start");
  for (char c : login)
    if (!alnum(c) && c != '.' && c != '_' && c != '-' && c != '@')
      return Error::InvalidInput(
                 "a login has only letters, digits and . _ - @ (not '" + std::string(1, c) + "')",
                 at)
          .WithCode("user.login_chars", {{"char", std::string(1, c)}});
  if (login == "public")
    return Error::InvalidInput("'public' is reserved", at)
        .WithCode("user.login_reserved", {{"login", "public"}});
  return Ok{};
}

Result<std::string> HashPassword(std::string_view password, const IdentityPolicy& policy) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  if (password.size() < policy.shortest_password)
    return Error::InvalidInput("a password needs at least " +
                               std::to_string(policy.shortest_password) + " characters")
        .WithCode("password.too_short", {{"min", std::to_string(policy.shortest_password)}});
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Error::Internal("out of memory hashing a password");
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string TokenHash(std::string_view token) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

Result<int64_t> SignInWait(Store& store, const std::string& login, const std::string& address,
                           Instant now) {
  CL_ASSIGN_OR_RETURN(auto b, store.Identity().GetSignInBackoff(login, address));
  return std::max<int64_t>(b.locked_until - Seconds(now), 0);
}

Status CountFailure(Store& store, const std::string& login, const std::string& address,
                    int64_t user_id, Instant now, const IdentityPolicy& policy) {
  CL_ASSIGN_OR_RETURN(auto b, store.Identity().GetSignInBackoff(login, address));
  const int64_t t = Seconds(now);
  SignInOutcome o{login,          address, user_id, false,
                  b.failures + 1, 0,       t,       t - policy.forget_failures_s};
  if (o.failures >= policy.free_failures) {
    int shift = std::min(o.failures - policy.free_failures, 20);
    o.locked_until = t + std::min(policy.longest_wait_s, policy.first_wait_s << shift);
  }
  return store.Identity().RecordSignIn(o, Actor{login, address});
}

Result<SignedIn> SignIn(Store& store, const std::string& login, std::string_view password,
                        Instant now, const std::string& address, const IdentityPolicy& policy) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  const int64_t t = Seconds(now);
  // The back-off first, and the same for every login: whether one exists
  // must not show in the answer.
  CL_ASSIGN_OR_RETURN(int64_t wait, SignInWait(store, login, address, now));
  if (wait > 0)
    return Error::RateLimited("too many failed sign-ins; try again in " + std::to_string(wait) +
                              " s")
        .WithCode("session.backoff", {{"seconds", std::to_string(wait)}});
  CL_ASSIGN_OR_RETURN(auto found, store.Identity().GetUser(login));
  const bool usable =
      found && !found->disabled && (found->temporary_until == 0 || found->temporary_until > t);
  if (!usable) {
    // Spend the time a real check takes, so that timing does not tell
    // which logins exist.
    static const std::string dummy = HashPassword("not-a-password-at-all").value();
    (void)VerifyPassword(dummy, password);
    CL_RETURN_IF_ERROR(CountFailure(store, login, address, found ? found->id : 0, now, policy));
    return WrongCredentials();
  }
  UserRecord user = std::move(*found);
  if (!VerifyPassword(user.password_hash, password)) {
    CL_RETURN_IF_ERROR(CountFailure(store, login, address, user.id, now, policy));
    return WrongCredentials();
  }
  CL_RETURN_IF_ERROR(store.Identity().RecordSignIn(
      {login, address, user.id, true, 0, 0, t, t - policy.forget_failures_s},
      Actor{login, address}));
  SignedIn s;
  s.user = user;
  s.session_token = RandomToken("cls_");
  s.csrf_token = RandomToken("clc_");
  s.expires_at = t + policy.session_s;
  CL_RETURN_IF_ERROR(
      store.Identity().CreateSession({TokenHash(s.session_token), user.id, TokenHash(s.csrf_token),
                                      s.expires_at, NowUtc(), address}));
  s.user.password_hash.clear();
  return s;
}

Result<UserRecord> SessionUser(Store& store, std::string_view session_token, Instant now,
                               int64_t* expires_at) {
  auto session = store.Identity().FindSession(TokenHash(session_token));
  if (!session.ok()) return session.error();
  if (!session->has_value() || (*session)->expires_at <= Seconds(now))
    return Error::Unauthenticated("the session has expired; sign in again")
        .WithCode("session.expired");
  auto user = store.Identity().GetUserById((*session)->user_id);
  if (!user.ok()) return user.error();
  if (!user->has_value() || (*user)->disabled)
    return Error::Unauthenticated("the session's user no longer exists")
        .WithCode("session.user_gone");
  UserRecord u = **user;
  u.password_hash.clear();
  if (expires_at) *expires_at = (*session)->expires_at;
  return u;
}

Status CheckCsrf(Store& store, std::string_view session_token, std::string_view csrf_token) {
  auto session = store.Identity().FindSession(TokenHash(session_token));
  if (!session.ok()) return session.error();
  if (!session->has_value())
    return Error::Unauthenticated("no such session").WithCode("session.unknown");
  const std::string given = TokenHash(csrf_token);
  const std::string& want = (*session)->csrf_hash;
  if (given.size() != want.size() || sodium_memcmp(given.data(), want.data(), want.size()) != 0)
    return Error::Forbidden("missing or wrong X-CSRF-Token header").WithCode("session.csrf");
  return Ok{};
}

Status SignOut(Store& store, std::string_view session_token) {
  return store.Identity().DeleteSession(TokenHash(session_token));
}

Result<IssuedToken> IssueApiToken(Store& store, const UserRecord& user, const std::string& unit_id,
                                  const std::string& scope, int days, const std::string& label,
                                  Instant now, const Actor& by, const IdentityPolicy& policy) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to initialise");
  auto role = ParseRole(user.role);
  if (!role.ok()) return role.error();
  const bool own = std::find(user.units.begin(), user.units.end(), unit_id) != user.units.end();
  if (!(*role == Role::kProgrammeAdmin || (*role == Role::kUnitManager && own)))
    return Error::Forbidden("only a manager of unit '" + unit_id +
                            "' or a programme admin may issue its tokens")
        .WithCode("token.manager_only", {{"unit", unit_id}});
  if (scope != "ingest")
    return Error::InvalidInput("unknown token scope '" + scope + "' (ingest)")
        .WithCode("token.unknown_scope", {{"scope", scope}});
  if (days < 1 || days > policy.longest_token_days)
    return Error::InvalidInput("a token lives 1 to " + std::to_string(policy.longest_token_days) +
                               " days")
        .WithCode("token.lifetime", {{"max_days", std::to_string(policy.longest_token_days)}});
  auto unit = store.Registry().GetUnit(unit_id);
  if (!unit.ok()) return unit.error();
  if (!unit->has_value())
    return Error::NotFound("unit '" + unit_id + "' does not exist")
        .WithCode("unit.not_found", {{"unit", unit_id}});
  IssuedToken issued;
  issued.token = RandomToken("clt_");
  issued.expires_at = Seconds(now) + int64_t{days} * 86400;
  ApiTokenRecord rec;
  rec.token_hash = TokenHash(issued.token);
  rec.user_id = user.id;
  rec.unit_id = unit_id;
  rec.scope = scope;
  rec.label = label;
  rec.expires_at = issued.expires_at;
  auto id = store.Identity().CreateApiToken(rec, by);
  if (!id.ok()) return id.error();
  issued.id = *id;
  return issued;
}

bool TokenIssuerEntitled(const UserRecord& issuer, const std::string& unit_id) {
  if (issuer.disabled) return false;
  if (issuer.role == RoleName(Role::kProgrammeAdmin)) return true;
  return issuer.role == RoleName(Role::kUnitManager) &&
         std::find(issuer.units.begin(), issuer.units.end(), unit_id) != issuer.units.end();
}

Result<AuthenticatedToken> AuthenticateToken(Store& store, std::string_view token, Instant now) {
  CL_ASSIGN_OR_RETURN(auto rec, store.Identity().FindApiToken(TokenHash(token)));
  if (!rec) return Error::Unauthenticated("unknown API token").WithCode("token.unknown");
  if (rec->revoked_at)
    return Error::Unauthenticated("the API token was revoked").WithCode("token.revoked");
  if (rec->expires_at <= Seconds(now))
    return Error::Unauthenticated("the API token has expired").WithCode("token.expired");
  CL_ASSIGN_OR_RETURN(auto issuer, store.Identity().GetUserById(rec->user_id));
  if (!issuer || !TokenIssuerEntitled(*issuer, rec->unit_id))
    return Error::Unauthenticated("the API token's issuer may no longer act for unit '" +
                                  rec->unit_id + "'")
        .WithCode("token.issuer_gone", {{"unit", rec->unit_id}});
  issuer->password_hash.clear();
  return AuthenticatedToken{std::move(*rec), std::move(*issuer)};
}

}  // namespace cl
