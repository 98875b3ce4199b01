// Users, API tokens and sessions over sql::Db.
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
                                 {"", 0, 0, "login"});
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      auto st =
          Q("INSERT INTO users (login, display_name, role, password_hash, created_at, "
            "organisation) VALUES (?,?,?,?,?,?) RETURNING id");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, u.login);
      s->BindText(2, u.display_name);
      s->BindText(3, u.role);
      s->BindText(4, u.password_hash);
      s->BindText(5, u.created_at.empty() ? NowUtc() : u.created_at);
      s->BindText(6, u.organisation);
      auto row = s->Step();
      if (!row.ok()) {
        if (row.error().kind() == ErrorKind::kConflict)
          return Error::Conflict("a user '" + u.login + "' already exists");
        return row.error();
      }
      int64_t id = s->Int(0);
      CL_RETURN_IF_ERROR(s->Step());
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
    return User("login=?", [&](Statement* s) { s->BindText(1, login); });
  }

  Result<std::optional<UserRecord>> GetUserById(int64_t id) override {
    return User("id=?", [&](Statement* s) { s->BindInt(1, id); });
  }

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

  Status SetPasswordHash(int64_t user_id, const std::string& hash, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st = Q("UPDATE users SET password_hash=?, failed_logins=0, locked_until=0 WHERE id=?");
      if (!st.ok()) return st.error();
      (*st)->BindText(1, hash);
      (*st)->BindInt(2, user_id);
      CL_RETURN_IF_ERROR((*st)->Step());
      if ((*st)->Changes() != 1)
        return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
      CL_RETURN_IF_ERROR(
          Audit(by, "password", "user", std::to_string(user_id), "", "", "password changed"));
      return Ok{};
    });
  }

  Status RecordSignIn(int64_t user_id, bool success, int failed_logins, int64_t locked_until,
                      const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st = Q("UPDATE users SET failed_logins=?, locked_until=? WHERE id=?");
      if (!st.ok()) return st.error();
      (*st)->BindInt(1, failed_logins);
      (*st)->BindInt(2, locked_until);
      (*st)->BindInt(3, user_id);
      CL_RETURN_IF_ERROR((*st)->Step());
      CL_RETURN_IF_ERROR(
          Audit(by, success ? "sign_in" : "sign_in_failed", "user", std::to_string(user_id), "",
                json{{"failed_logins", failed_logins}, {"locked_until", locked_until}}.dump(), ""));
      return Ok{};
    });
  }

  Result<int64_t> CreateApiToken(const ApiTokenRecord& t, const Actor& by) override {
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      auto st =
          Q("INSERT INTO api_tokens (token_hash, user_id, unit_id, scope, label, expires_at, "
            "created_at) VALUES (?,?,?,?,?,?,?) RETURNING id");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, t.token_hash);
      s->BindInt(2, t.user_id);
      s->BindText(3, t.unit_id);
      s->BindText(4, t.scope);
      s->BindText(5, t.label);
      s->BindInt(6, t.expires_at);
      s->BindText(7, t.created_at.empty() ? NowUtc() : t.created_at);
      auto row = s->Step();
      if (!row.ok()) return row.error();
      int64_t id = s->Int(0);
      CL_RETURN_IF_ERROR(s->Step());
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
    auto all = Tokens("token_hash=?", [&](Statement* s) { s->BindText(1, token_hash); });
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<ApiTokenRecord>();
    return std::optional<ApiTokenRecord>(all->front());
  }

  Result<std::vector<ApiTokenRecord>> ListApiTokens(int64_t user_id) override {
    return Tokens("user_id=?", [&](Statement* s) { s->BindInt(1, user_id); });
  }

  Result<std::optional<ApiTokenRecord>> GetApiToken(int64_t id) override {
    auto all = Tokens("id=?", [&](Statement* s) { s->BindInt(1, id); });
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<ApiTokenRecord>();
    return std::optional<ApiTokenRecord>(all->front());
  }

  Status RevokeApiToken(int64_t id, int64_t at, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st = Q("UPDATE api_tokens SET revoked_at=? WHERE id=? AND revoked_at IS NULL");
      if (!st.ok()) return st.error();
      (*st)->BindInt(1, at);
      (*st)->BindInt(2, id);
      CL_RETURN_IF_ERROR((*st)->Step());
      if ((*st)->Changes() != 1)
        return Error::NotFound("no active API token " + std::to_string(id));
      CL_RETURN_IF_ERROR(Audit(by, "revoke", "api_token", std::to_string(id), "", "", ""));
      return Ok{};
    });
  }

  Status CreateSession(const SessionRecord& r) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st =
          Q("INSERT INTO sessions (token_hash, user_id, csrf_hash, expires_at, created_at, "
            "origin) VALUES (?,?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, r.token_hash);
      s->BindInt(2, r.user_id);
      s->BindText(3, r.csrf_hash);
      s->BindInt(4, r.expires_at);
      s->BindText(5, r.created_at.empty() ? NowUtc() : r.created_at);
      s->BindText(6, r.origin);
      CL_RETURN_IF_ERROR(s->Step());
      return Ok{};
    });
  }

  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
    auto st =
        Q("SELECT token_hash, user_id, csrf_hash, expires_at, created_at, origin FROM "
          "sessions WHERE token_hash=?");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, token_hash);
    auto row = (*st)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<SessionRecord>();
    Statement* s = *st;
    return std::optional<SessionRecord>(
        SessionRecord{s->Text(0), s->Int(1), s->Text(2), s->Int(3), s->Text(4), s->Text(5)});
  }

  Status DeleteSession(const std::string& token_hash) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st = Q("DELETE FROM sessions WHERE token_hash=?");
      if (!st.ok()) return st.error();
      (*st)->BindText(1, token_hash);
      CL_RETURN_IF_ERROR((*st)->Step());
      return Ok{};
    });
  }

 private:
  template <typename Bind>
  Result<std::optional<UserRecord>> User(const std::string& where, Bind bind) {
    auto st =
        Q("SELECT id, login, display_name, role, password_hash, failed_logins, locked_until, "
          "disabled, created_at, organisation FROM users WHERE " +
          where);
    if (!st.ok()) return st.error();
    bind(static_cast<Statement*>(*st));
    auto row = (*st)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<UserRecord>();
    Statement* s = *st;
    UserRecord u;
    u.id = s->Int(0);
    u.login = s->Text(1);
    u.display_name = s->Text(2);
    u.role = s->Text(3);
    u.password_hash = s->Text(4);
    u.failed_logins = static_cast<int>(s->Int(5));
    u.locked_until = s->Int(6);
    u.disabled = s->Int(7) != 0;
    u.created_at = s->Text(8);
    u.organisation = s->Text(9);
    CL_RETURN_IF_ERROR(s->Step());
    auto units = Q("SELECT unit_id FROM user_units WHERE user_id=? ORDER BY unit_id");
    if (!units.ok()) return units.error();
    (*units)->BindInt(1, u.id);
    for (;;) {
      auto r = (*units)->Step();
      if (!r.ok()) return r.error();
      if (!*r) break;
      u.units.push_back((*units)->Text(0));
    }
    return std::optional<UserRecord>(std::move(u));
  }

  Status SetUserUnitsInTxn(int64_t user_id, const std::string& login,
                           const std::vector<std::string>& units, const Actor& by) {
    for (const auto& unit : units) {
      auto exists = s_.store().Registry().GetUnit(unit);
      if (!exists.ok()) return exists.error();
      if (!exists->has_value()) return Error::NotFound("unit '" + unit + "' does not exist");
    }
    auto del = Q("DELETE FROM user_units WHERE user_id=?");
    if (!del.ok()) return del.error();
    (*del)->BindInt(1, user_id);
    CL_RETURN_IF_ERROR((*del)->Step());
    for (const auto& unit : units) {
      auto st = Q("INSERT INTO user_units (user_id, unit_id) VALUES (?,?)");
      if (!st.ok()) return st.error();
      (*st)->BindInt(1, user_id);
      (*st)->BindText(2, unit);
      CL_RETURN_IF_ERROR((*st)->Step());
    }
    return Audit(by, "units", "user", login, "", json(units).dump(), "");
  }

  template <typename Bind>
  Result<std::vector<ApiTokenRecord>> Tokens(const std::string& where, Bind bind) {
    auto st =
        Q("SELECT id, token_hash, user_id, unit_id, scope, label, expires_at, revoked_at, "
          "created_at FROM api_tokens WHERE " +
          where + " ORDER BY id");
    if (!st.ok()) return st.error();
    bind(static_cast<Statement*>(*st));
    std::vector<ApiTokenRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      ApiTokenRecord t;
      t.id = s->Int(0);
      t.token_hash = s->Text(1);
      t.user_id = s->Int(2);
      t.unit_id = s->Text(3);
      t.scope = s->Text(4);
      t.label = s->Text(5);
      t.expires_at = s->Int(6);
      if (!s->IsNull(7)) t.revoked_at = s->Int(7);
      t.created_at = s->Text(8);
      out.push_back(std::move(t));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<IdentityRepository> MakeSqlIdentity(Session& session) {
  return std::make_unique<SqlIdentity>(session);
}

}  // namespace cl::sql
