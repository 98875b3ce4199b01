// Sign-in, sessions, users and API tokens.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "api_impl.h"
#include "core/encoding.h"
#include "core/timestamp.h"
#include "ingest/activities_import.h"
#include "inventory/stored_inventory.h"
#include "metering/metering.h"
#include "server/openapi.h"

namespace cl::api {
namespace {

ApiResponse SignInRoute(Ctx& ctx);
ApiResponse SessionRoute(Ctx& ctx);
ApiResponse SignOutRoute(Ctx& ctx);
ApiResponse CreateUserRoute(Ctx& ctx);
ApiResponse IssueTokenRoute(Ctx& ctx);
ApiResponse ListTokensRoute(Ctx& ctx);
ApiResponse RevokeTokenRoute(Ctx& ctx);
ApiResponse ChangePasswordRoute(Ctx& ctx);
ApiResponse ListUsersRoute(Ctx& ctx);
ApiResponse GetUserRoute(Ctx& ctx);
ApiResponse ChangeUserRoute(Ctx& ctx);
ApiResponse ResetPasswordRoute(Ctx& ctx);
ApiResponse EndSessionsRoute(Ctx& ctx);
Status TokenTenant(Ctx& ctx, const Route& route);
Status UserTenant(Ctx& ctx, const Route& route);

}  // namespace

std::vector<Route> IdentityRoutes() {
  return {
      {"POST", "/api/v1/session", "signIn", "sign in", kAnyone, nullptr, "", "json", SignInRoute},
      {"GET", "/api/v1/session", "getSession", "read the session", kSignedIn | kToken, nullptr, "",
       "", SessionRoute},
      {"DELETE", "/api/v1/session", "signOut", "sign out", kSignedIn, nullptr, "", "",
       SignOutRoute},
      {"POST", "/api/v1/session/password", "changePassword", "change one's password", kSignedIn,
       nullptr, "", "json", ChangePasswordRoute},
      {"GET", "/api/v1/users", "listUsers", "list users", kProgramme, nullptr, "", "",
       ListUsersRoute},
      {"POST", "/api/v1/users", "createUser", "create users", kAdmin, nullptr, "", "json",
       CreateUserRoute},
      {"GET", "/api/v1/users/{login}", "getUser", "read users", kProgramme, UserTenant, "", "",
       GetUserRoute},
      {"PATCH", "/api/v1/users/{login}", "changeUser", "change users", kAdmin, UserTenant, "",
       "json", ChangeUserRoute},
      {"POST", "/api/v1/users/{login}/password-reset", "resetPassword", "reset passwords", kAdmin,
       UserTenant, "", "json", ResetPasswordRoute},
      {"DELETE", "/api/v1/users/{login}/sessions", "endSessions", "end users' sessions", kAdmin,
       UserTenant, "", "", EndSessionsRoute},
      {"GET", "/api/v1/tokens", "listTokens", "list API tokens", kAdmin | kManager, nullptr, "", "",
       ListTokensRoute},
      {"POST", "/api/v1/tokens", "issueToken", "issue API tokens", kAdmin | kManager, nullptr, "",
       "json", IssueTokenRoute},
      {"DELETE", "/api/v1/tokens/{id}", "revokeToken", "revoke API tokens", kAdmin | kManager,
       TokenTenant, "", "", RevokeTokenRoute},
  };
}

bool AllowedBeforePasswordChange(const Route& route) {
  const std::string_view op = route.operation;
  return op == "getSession" || op == "signOut" || op == "changePassword";
}

namespace {

// Copies of stored values as JSON ---------------------------------------------

json AccountJson(const Account& a) {
  const UserRecord& u = a.user;
  json j = {{"login", u.login},
            {"display_name", u.display_name},
            {"role", u.role},
            {"units", u.units},
            {"organisation", u.organisation},
            {"disabled", u.disabled},
            {"must_change_password", u.temporary_until != 0},
            {"created_at", u.created_at},
            {"active_sessions", a.active_sessions},
            {"active_tokens", a.active_tokens}};
  if (u.temporary_until != 0) j["temporary_password_until"] = FormatUtc(u.temporary_until);
  return j;
}

// {login} of a user: the programme's, who alone reach these routes.
Status UserTenant(Ctx& ctx, const Route& /*unused*/) {
  const std::string& login = ctx.path["login"];
  auto a = GetAccount(ctx.store, login, ctx.now);
  if (!a.ok()) return a.error();
  if (!a->has_value()) return Hidden("user '" + login + "'", "user.not_found", {{"login", login}});
  ctx.resource = std::move(**a);
  return Ok{};
}

// {id} of an API token: a user's own tokens; the programme admin's, anyone's.
Status TokenTenant(Ctx& ctx, const Route& /*unused*/) {
  const std::string& text = ctx.path["id"];
  auto id = PathId(text);
  const Principal& who = ctx.who;
  if (id && who.kind == Principal::Kind::kUser) {
    auto t = GetApiToken(ctx.store, *id);
    if (!t.ok()) return t.error();
    if (t->has_value() && ((*t)->user_id == who.user_id || who.role == Role::kProgrammeAdmin)) {
      ctx.resource = std::move(**t);
      return Ok{};
    }
  }
  return Hidden("API token '" + text + "'", "token.not_found", {{"id", text}});
}

std::string CookieAttributes(Ctx& ctx, int64_t max_age) {
  return "; Path=/; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (State(ctx).config().secure_cookies ? "; Secure" : "");
}

// The lock of one login's sign-ins: a fixed set of mutexes, shared by
// logins whose hashes collide (rarely, and only ever serialising them).
std::mutex& AccountLock(const std::string& login) {
  static std::array<std::mutex, 256> locks;
  return locks[std::hash<std::string>{}(login) % locks.size()];
}

ApiResponse SignInRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"login", "password"}));
  auto login = StringField(ctx.body, "login", true);
  if (!login.ok()) return Fail(ctx, login.error());
  auto password = StringField(ctx.body, "password", true, 1024);
  if (!password.ok()) return Fail(ctx, password.error());
  // One password check at a time per account: parallel wrong guesses must
  // each count towards the back-off (read, verify, write would otherwise
  // race). Other accounts' sign-ins go on; how many hash at once is the
  // transport's sign-in lane (ServerConfig::sign_in_threads).
  std::unique_lock lock(AccountLock(*login));
  auto in = SignIn(ctx.store, *login, *password, Instant{std::chrono::seconds(ctx.now)},
                   ctx.actor.origin, State(ctx).config().identity);
  lock.unlock();
  if (!in.ok() && in.error().kind() == ErrorKind::kRateLimited) {
    // This login waits at this address: say until when, from the record.
    ApiResponse r = Fail(ctx, in.error());
    auto wait =
        SignInWait(ctx.store, *login, ctx.actor.origin, Instant{std::chrono::seconds(ctx.now)});
    r.headers.emplace_back("Retry-After",
                           std::to_string(std::max<int64_t>(wait.ok() ? *wait : 1, 1)));
    return r;
  }
  if (!in.ok()) return Fail(ctx, in.error());
  int64_t age = in->expires_at - ctx.now;
  ApiResponse r = Json(200, {{"login", in->user.login},
                             {"display_name", in->user.display_name},
                             {"role", in->user.role},
                             {"units", in->user.units},
                             {"organisation", in->user.organisation},
                             {"must_change_password", in->user.temporary_until != 0},
                             {"csrf_token", in->csrf_token},
                             {"expires_at", FormatUtc(in->expires_at)}});
  r.headers.emplace_back(
      "Set-Cookie", "cl_session=" + in->session_token + "; HttpOnly" + CookieAttributes(ctx, age));
  r.headers.emplace_back("Set-Cookie", "cl_csrf=" + in->csrf_token + CookieAttributes(ctx, age));
  return r;
}

ApiResponse SessionRoute(Ctx& ctx) {
  json j = {{"login", ctx.who.login}, {"units", ctx.who.units}};
  if (ctx.who.kind == Principal::Kind::kToken) {
    j["kind"] = "api_token";
    j["scope"] = ctx.who.token_scope;
  } else {
    j["kind"] = "user";
    j["role"] = RoleName(ctx.who.role);
    j["organisation"] = ctx.who.organisation;
    j["must_change_password"] = ctx.who.must_change_password;
  }
  return Json(200, j);
}

ApiResponse SignOutRoute(Ctx& ctx) {
  // The session the caller was authenticated with, whatever else the
  // Cookie header carries.
  CL_API_TRY(DeleteSession(ctx.store, ctx.who.session_hash));
  ApiResponse r = NoContent();
  r.headers.emplace_back("Set-Cookie", "cl_session=; HttpOnly" + CookieAttributes(ctx, 0));
  r.headers.emplace_back("Set-Cookie", "cl_csrf=" + CookieAttributes(ctx, 0));
  return r;
}

ApiResponse CreateUserRoute(Ctx& ctx) {
  CL_API_TRY(
      OnlyFields(ctx.body, {"login", "display_name", "role", "password", "units", "organisation"}));
  NewUser n;
  CL_API_ASSIGN(n.login, StringField(ctx.body, "login", true, 100));
  CL_API_ASSIGN(n.display_name, StringField(ctx.body, "display_name", false));
  CL_API_ASSIGN(n.role, StringField(ctx.body, "role", true));
  CL_API_ASSIGN(n.organisation, StringField(ctx.body, "organisation", false));
  CL_API_ASSIGN(n.password, StringField(ctx.body, "password", true, 1024));
  CL_API_ASSIGN(n.units, StringArrayField(ctx.body, "units"));
  auto u = AddUser(ctx.store, n, State(ctx).config().identity, ctx.actor);
  if (!u.ok()) return Fail(ctx, u.error());
  return Json(201, {{"id", u->id}, {"login", u->login}, {"role", u->role}, {"units", u->units}});
}

ApiResponse IssueTokenRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"unit", "days", "label"}));
  auto unit = StringField(ctx.body, "unit", true);
  if (!unit.ok()) return Fail(ctx, unit.error());
  auto days =
      IntField(ctx.body, "days", false, 1, State(ctx).config().identity.longest_token_days, 90);
  if (!days.ok()) return Fail(ctx, days.error());
  auto label = StringField(ctx.body, "label", false);
  if (!label.ok()) return Fail(ctx, label.error());
  if (!MayWriteUnit(ctx, *unit))
    return Fail(ctx, Error::NotFound("unit '" + *unit + "' does not exist")
                         .WithCode("unit.not_found", {{"unit", *unit}}));
  auto user = GetUserById(ctx.store, ctx.who.user_id);
  if (!user.ok() || !user->has_value()) return Fail(ctx, Error::Internal("read the caller"));
  auto t = IssueApiToken(ctx.store, **user, *unit, "ingest", static_cast<int>(*days), *label,
                         Instant{std::chrono::seconds(ctx.now)}, ctx.actor,
                         State(ctx).config().identity);
  if (!t.ok()) return Fail(ctx, t.error());
  return Json(201, {{"id", t->id},
                    {"token", t->token},
                    {"unit", *unit},
                    {"scope", "ingest"},
                    {"expires_at", FormatUtc(t->expires_at)}});
}

ApiResponse ListTokensRoute(Ctx& ctx) {
  auto all = ListApiTokens(ctx.store, ctx.who.user_id);
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& t : *all) {
    json j = {
        {"id", t.id},       {"unit", t.unit_id},          {"scope", t.scope},
        {"label", t.label}, {"created_at", t.created_at}, {"expires_at", FormatUtc(t.expires_at)}};
    if (t.revoked_at) j["revoked_at"] = FormatUtc(*t.revoked_at);
    out.push_back(j);
  }
  return Json(200, {{"tokens", out}});
}

ApiResponse RevokeTokenRoute(Ctx& ctx) {
  CL_API_TRY(RevokeApiToken(ctx.store, ctx.Loaded<ApiTokenRecord>().id, ctx.now, ctx.actor));
  return NoContent();
}

ApiResponse ChangePasswordRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"current_password", "new_password"}));
  std::string current;
  std::string next;
  CL_API_ASSIGN(current, StringField(ctx.body, "current_password", true, 1024));
  CL_API_ASSIGN(next, StringField(ctx.body, "new_password", true, 1024));
  // One password check at a time per account, as for sign-ins.
  std::unique_lock lock(AccountLock(ctx.who.login));
  auto st = ChangeOwnPassword(ctx.store, ctx.who.user_id, current, next, ctx.who.session_hash,
                              ctx.actor.origin, State(ctx).config().identity, ctx.now, ctx.actor);
  lock.unlock();
  if (!st.ok()) return Fail(ctx, st.error());
  return NoContent();
}

ApiResponse ListUsersRoute(Ctx& ctx) {
  auto all = ListAccounts(ctx.store, ctx.now);
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& a : *all) out.push_back(AccountJson(a));
  return Json(200, {{"users", out}});
}

ApiResponse GetUserRoute(Ctx& ctx) { return Json(200, AccountJson(ctx.Loaded<Account>())); }

ApiResponse ChangeUserRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"display_name", "role", "units", "organisation", "disabled"}));
  UserChange c;
  for (auto [name, field] : {std::pair{"display_name", &c.display_name}, std::pair{"role", &c.role},
                             std::pair{"organisation", &c.organisation}})
    if (ctx.body.contains(name)) CL_API_ASSIGN(*field, StringField(ctx.body, name, true));
  if (ctx.body.contains("units")) CL_API_ASSIGN(c.units, StringArrayField(ctx.body, "units"));
  if (ctx.body.contains("disabled")) {
    if (!ctx.body["disabled"].is_boolean())
      return Fail(ctx, FieldError("disabled", "field.not_boolean", "'disabled' is true or false"));
    c.disabled = ctx.body["disabled"].get<bool>();
  }
  const std::string& login = ctx.Loaded<Account>().user.login;
  auto u = ChangeUser(ctx.store, login, c, ctx.who.login, ctx.now, ctx.actor);
  if (!u.ok()) return Fail(ctx, u.error());
  auto a = GetAccount(ctx.store, login, ctx.now);
  if (!a.ok() || !a->has_value()) return Fail(ctx, Error::Internal("read the changed user"));
  return Json(200, AccountJson(**a));
}

ApiResponse ResetPasswordRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {}));
  auto t = ResetPassword(ctx.store, ctx.Loaded<Account>().user.login, State(ctx).config().identity,
                         ctx.now, ctx.actor);
  if (!t.ok()) return Fail(ctx, t.error());
  ApiResponse r = Json(201, {{"login", ctx.Loaded<Account>().user.login},
                             {"temporary_password", t->password},
                             {"valid_until", FormatUtc(t->valid_until)}});
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

ApiResponse EndSessionsRoute(Ctx& ctx) {
  auto n = EndSessions(ctx.store, ctx.Loaded<Account>().user.login, ctx.actor);
  if (!n.ok()) return Fail(ctx, n.error());
  return Json(200, {{"ended", *n}});
}

}  // namespace
}  // namespace cl::api
