// Users, API tokens and sessions over sql::Db.
#include <map>

#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlIdentity final : public IdentityRepository, private Part {
 public:
  explicit SqlIdentity(Session& session) : Part(session) {}

  Result<int64_t> CreateUser(const UserRecord& u, const Actor& by) override {
    // Logins name actors in the audit log beside "token:7" and "cli:root".
    bool clean = !u.login.empty() && u.login.size() <= 100;
    for (unsigned char c : u.login) clean = clean && c > 0x20 && c != ':' && c != 0x7f;
    if (!clean)
      return Error::InvalidInput("a login is 1 to 100 characters without spaces or ':'",
                                 {"", 0, 0, "login"})
          .WithCode("user.login_invalid");
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      CL_ASSIGN_OR_RETURN(int64_t id, InsertUser(u));
      CL_RETURN_IF_ERROR(Audit(by, "create", "user", u.login, "",
                               json{{"login", u.login},
                                    {"display_name", u.display_name},
                                    {"role", u.role},
                                    {"organisation", u.organisation}}
                                   .dump(),
                               ""));
      if (!u.units.empty()) CL_RETURN_IF_ERROR(SetUserUnitsInTxn(id, u.login, u.units, by));
      return id;
    });
  }

  Result<std::optional<UserRecord>> GetUser(const std::string& login) override {
    return User("login=?", login);
  }

  Result<std::optional<UserRecord>> GetUserById(int64_t id) override { return User("id=?", id); }

  Status SetUserUnits(int64_t user_id, const std::vector<std::string>& units,
                      const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto u = GetUserById(user_id);
      if (!u.ok()) return u.error();
      if (!u->has_value())
        return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
      return SetUserUnitsInTxn(user_id, (*u)->login, units, by);
    });
  }

  Result<std::vector<UserRecord>> ListUsers() override {
    std::vector<UserRecord> users;
    {
      CL_ASSIGN_OR_RETURN(auto q, Q(std::string(kUserColumns) + " FROM users ORDER BY login"));
      CL_ASSIGN_OR_RETURN(users, q.All(ReadUser));
    }
    std::map<int64_t, std::vector<std::string>> units;
    {
      CL_ASSIGN_OR_RETURN(auto q, Q("SELECT user_id, unit_id FROM user_units ORDER BY unit_id"));
      CL_RETURN_IF_ERROR(q.Each([&](Row& r) {
        int64_t id = r.Int();
        units[id].push_back(r.Text());
      }));
    }
    for (auto& u : users) {
      u.password_hash.clear();
      u.units = std::move(units[u.id]);
    }
    return users;
  }

  Status UpdateUser(const UserRecord& u, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      CL_ASSIGN_OR_RETURN(
          auto q,
          Q("UPDATE users SET display_name=?, role=?, organisation=?, disabled=? WHERE id=?",
            u.display_name, u.role, u.organisation, u.disabled ? 1 : 0, u.id));
      CL_ASSIGN_OR_RETURN(int64_t changed, q.Run());
      if (changed != 1)
        return Error::NotFound("user '" + u.login + "' does not exist")
            .WithCode("user.not_found", {{"login", u.login}});
      return Audit(by, "update", "user", u.login, "",
                   json{{"display_name", u.display_name},
                        {"role", u.role},
                        {"organisation", u.organisation},
                        {"disabled", u.disabled}}
                       .dump(),
                   "");
    });
  }

  Status SetPasswordHash(int64_t user_id, const std::string& hash, int64_t temporary_until,
                         const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      CL_ASSIGN_OR_RETURN(auto u, GetUserById(user_id));
      if (!u) return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
      CL_ASSIGN_OR_RETURN(auto q, Q("UPDATE users SET password_hash=?, temporary_until=?, "
                                    "failed_logins=0, locked_until=0 WHERE id=?",
                                    hash, temporary_until, user_id));
      CL_RETURN_IF_ERROR(q.Run());
      return Audit(by, "password", "user", u->login, "",
                   json{{"temporary_until", temporary_until}}.dump(),
                   temporary_until != 0 ? "temporary password set" : "password changed");
    });
  }

  Result<SignInBackoff> GetSignInBackoff(const std::string& login,
                                         const std::string& address) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT failures, locked_until, updated_at FROM "
                                  "sign_in_backoff WHERE login=? AND address=?",
                                  login, address));
    CL_ASSIGN_OR_RETURN(auto row, q.First([&](Row& r) {
      return SignInBackoff{login, address, r.Int32(), r.Int(), r.Int()};
    }));
    return row.value_or(SignInBackoff{login, address, 0, 0, 0});
  }

  Status RecordSignIn(const SignInOutcome& o, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      if (o.success) {
        CL_ASSIGN_OR_RETURN(auto q, Q("DELETE FROM sign_in_backoff WHERE login=? AND address=?",
                                      o.login, o.address));
        CL_RETURN_IF_ERROR(q.Run());
      } else {
        CL_ASSIGN_OR_RETURN(
            auto q, Q("INSERT INTO sign_in_backoff (login, address, failures, locked_until, "
                      "updated_at) VALUES (?,?,?,?,?) ON CONFLICT (login, address) DO UPDATE SET "
                      "failures=excluded.failures, locked_until=excluded.locked_until, "
                      "updated_at=excluded.updated_at",
                      o.login, o.address, o.failures, o.locked_until, o.at));
        CL_RETURN_IF_ERROR(q.Run());
      }
      {
        CL_ASSIGN_OR_RETURN(auto q,
                            Q("DELETE FROM sign_in_backoff WHERE updated_at < ?", o.forget_before));
        CL_RETURN_IF_ERROR(q.Run());
      }
      if (o.user_id == 0) return Ok{};
      return Audit(
          by, o.success ? "sign_in" : "sign_in_failed", "user", o.login, "",
          json{{"address", o.address}, {"failures", o.failures}, {"locked_until", o.locked_until}}
              .dump(),
          "");
    });
  }

  Result<int64_t> CreateApiToken(const ApiTokenRecord& t, const Actor& by) override {
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      int64_t id = 0;
      {
        CL_ASSIGN_OR_RETURN(auto q,
                            Q("INSERT INTO api_tokens (token_hash, user_id, unit_id, scope, label, "
                              "expires_at, created_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
                              t.token_hash, t.user_id, t.unit_id, t.scope, t.label, t.expires_at,
                              t.created_at.empty() ? NowUtc() : t.created_at));
        CL_ASSIGN_OR_RETURN(auto row, q.First([](Row& r) { return r.Int(); }));
        id = row.value_or(0);  // RETURNING: always a row
      }
      CL_RETURN_IF_ERROR(Audit(by, "create", "api_token", std::to_string(id), "",
                               json{{"user_id", t.user_id},
                                    {"unit_id", t.unit_id},
                                    {"scope", t.scope},
                                    {"label", t.label},
                                    {"expires_at", t.expires_at}}
                                   .dump(),
                               ""));
      return id;
    });
  }

  Result<std::optional<ApiTokenRecord>> FindApiToken(const std::string& token_hash) override {
    auto all = Tokens("token_hash=?", token_hash);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<ApiTokenRecord>();
    return std::optional<ApiTokenRecord>(all->front());
  }

  Result<std::vector<ApiTokenRecord>> ListApiTokens(int64_t user_id) override {
    return Tokens("user_id=?", user_id);
  }

  Result<std::optional<ApiTokenRecord>> GetApiToken(int64_t id) override {
    auto all = Tokens("id=?", id);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<ApiTokenRecord>();
    return std::optional<ApiTokenRecord>(all->front());
  }

  Status RevokeApiToken(int64_t id, int64_t at, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      CL_ASSIGN_OR_RETURN(auto q, Q("UPDATE api_tokens SET revoked_at=? WHERE id=? AND "
                                    "revoked_at IS NULL",
                                    at, id));
      CL_ASSIGN_OR_RETURN(int64_t changed, q.Run());
      if (changed != 1)
        return Error::NotFound("no active API token " + std::to_string(id))
            .WithCode("token.not_found", {{"id", std::to_string(id)}});
      CL_RETURN_IF_ERROR(Audit(by, "revoke", "api_token", std::to_string(id), "", "", ""));
      return Ok{};
    });
  }

  Status CreateSession(const SessionRecord& r) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      CL_ASSIGN_OR_RETURN(
          auto q, Q("INSERT INTO sessions (token_hash, user_id, csrf_hash, expires_at, created_at, "
                    "origin) VALUES (?,?,?,?,?,?)",
                    r.token_hash, r.user_id, r.csrf_hash, r.expires_at,
                    r.created_at.empty() ? NowUtc() : r.created_at, r.origin));
      CL_RETURN_IF_ERROR(q.Run());
      return Ok{};
    });
  }

  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT token_hash, user_id, csrf_hash, expires_at, created_at, "
                                  "origin FROM sessions WHERE token_hash=?",
                                  token_hash));
    return q.First([](Row& r) {
      return SessionRecord{r.Text(), r.Int(), r.Text(), r.Int(), r.Text(), r.Text()};
    });
  }

  Status DeleteSession(const std::string& token_hash) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      CL_ASSIGN_OR_RETURN(auto q, Q("DELETE FROM sessions WHERE token_hash=?", token_hash));
      CL_RETURN_IF_ERROR(q.Run());
      return Ok{};
    });
  }

  Result<int> DeleteUserSessions(int64_t user_id, const std::string& keep,
                                 const Actor& by) override {
    return InTxn<int>([&]() -> Result<int> {
      CL_ASSIGN_OR_RETURN(auto u, GetUserById(user_id));
      if (!u) return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
      CL_ASSIGN_OR_RETURN(
          auto q, Q("DELETE FROM sessions WHERE user_id=? AND token_hash<>?", user_id, keep));
      CL_ASSIGN_OR_RETURN(int64_t ended, q.Run());
      CL_RETURN_IF_ERROR(Audit(by, "end_sessions", "user", u->login, "",
                               json{{"ended", ended}, {"kept_current", !keep.empty()}}.dump(), ""));
      return static_cast<int>(ended);
    });
  }

  Result<int> CountSessions(int64_t user_id, int64_t now) override {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT COUNT(*) FROM sessions WHERE user_id=? AND expires_at>?", user_id, now));
    CL_ASSIGN_OR_RETURN(auto n, q.First([](Row& r) { return r.Int32(); }));
    return n.value_or(0);
  }

 private:
  static constexpr const char* kUserColumns =
      "SELECT id, login, display_name, role, password_hash, temporary_until, disabled, "
      "created_at, organisation";
  static UserRecord ReadUser(Row& r) {
    UserRecord v;
    v.id = r.Int();
    v.login = r.Text();
    v.display_name = r.Text();
    v.role = r.Text();
    v.password_hash = r.Text();
    v.temporary_until = r.Int();
    v.disabled = r.Bool();
    v.created_at = r.Text();
    v.organisation = r.Text();
    return v;
  }

  // The user whose row matches `where` (over users, with `params`), with their units.
  template <typename... Params>
  Result<std::optional<UserRecord>> User(const std::string& where, const Params&... params) {
    std::optional<UserRecord> u;
    {
      CL_ASSIGN_OR_RETURN(auto q,
                          Q(std::string(kUserColumns) + " FROM users WHERE " + where, params...));
      CL_ASSIGN_OR_RETURN(u, q.First(ReadUser));
    }
    if (!u) return u;
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT unit_id FROM user_units WHERE user_id=? ORDER BY unit_id", u->id));
    CL_ASSIGN_OR_RETURN(u->units, q.All([](Row& r) { return r.Text(); }));
    return u;
  }

  Status SetUserUnitsInTxn(int64_t user_id, const std::string& login,
                           const std::vector<std::string>& units, const Actor& by) {
    for (const auto& unit : units) {
      auto exists = s_.store().Registry().GetUnit(unit);
      if (!exists.ok()) return exists.error();
      if (!exists->has_value())
        return Error::NotFound("unit '" + unit + "' does not exist")
            .WithCode("unit.not_found", {{"unit", unit}});
    }
    {
      CL_ASSIGN_OR_RETURN(auto q, Q("DELETE FROM user_units WHERE user_id=?", user_id));
      CL_RETURN_IF_ERROR(q.Run());
    }
    for (const auto& unit : units) {
      CL_ASSIGN_OR_RETURN(
          auto q, Q("INSERT INTO user_units (user_id, unit_id) VALUES (?,?)", user_id, unit));
      CL_RETURN_IF_ERROR(q.Run());
    }
    return Audit(by, "units", "user", login, "", json(units).dump(), "");
  }

  // The tokens whose rows match `where` (over api_tokens, with `params`).
  template <typename... Params>
  Result<std::vector<ApiTokenRecord>> Tokens(const std::string& where, const Params&... params) {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT id, token_hash, user_id, unit_id, scope, label, expires_at, revoked_at, "
                  "created_at FROM api_tokens WHERE " +
                      where + " ORDER BY id",
                  params...));
    return q.All([](Row& r) {
      ApiTokenRecord t;
      t.id = r.Int();
      t.token_hash = r.Text();
      t.user_id = r.Int();
      t.unit_id = r.Text();
      t.scope = r.Text();
      t.label = r.Text();
      t.expires_at = r.Int();
      t.revoked_at = r.OptInt();
      t.created_at = r.Text();
      return t;
    });
  }

  // The id of the new user row; a taken login is a conflict.
  Result<int64_t> InsertUser(const UserRecord& u) {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("INSERT INTO users (login, display_name, role, password_hash, created_at, "
                  "organisation) VALUES (?,?,?,?,?,?) RETURNING id",
                  u.login, u.display_name, u.role, u.password_hash,
                  u.created_at.empty() ? NowUtc() : u.created_at, u.organisation));
    auto id = q.First([](Row& r) { return r.Int(); });
    if (!id.ok()) {
      if (id.error().kind() == ErrorKind::kConflict)
        return Error::Conflict("a user '" + u.login + "' already exists")
            .WithCode("user.exists", {{"login", u.login}});
      return id.error();
    }
    return id->value_or(0);  // RETURNING: always a row
  }
};

}  // namespace

std::unique_ptr<IdentityRepository> MakeSqlIdentity(Session& session) {
  return std::make_unique<SqlIdentity>(session);
}

}  // namespace cl::sql
