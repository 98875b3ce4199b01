// Bank consents and verifier assignments over sql::Db.
#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlAccess final : public AccessRepository, private Part {
 public:
  explicit SqlAccess(Session& session) : Part(session) {}

  Result<int64_t> CreateConsent(const ConsentRecord& c, const Actor& by) override {
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      auto unit = s_.store().Registry().GetUnit(c.unit_id);
      if (!unit.ok()) return unit.error();
      if (!unit->has_value()) return Error::NotFound("unit '" + c.unit_id + "' does not exist");
      std::string scopes;
      for (const auto& x : c.scopes) scopes += (scopes.empty() ? "" : ",") + x;
      auto st =
          Q("INSERT INTO consents (unit_id, bank, scopes, year_from, year_to, expires_at, "
            "created_at, created_by) VALUES (?,?,?,?,?,?,?,?) RETURNING id");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, c.unit_id);
      s->BindText(2, c.bank);
      s->BindText(3, scopes);
      s->BindInt(4, c.year_from);
      s->BindInt(5, c.year_to);
      s->BindInt(6, c.expires_at);
      s->BindText(7, NowUtc());
      s->BindText(8, by.user);
      auto r = s->Step();
      if (!r.ok()) return r.error();
      int64_t id = s->Int(0);
      CL_RETURN_IF_ERROR(s->Step());
      CL_RETURN_IF_ERROR(Audit(by, "create", "consent", std::to_string(id), "",
                               json{{"unit_id", c.unit_id},
                                    {"bank", c.bank},
                                    {"scopes", c.scopes},
                                    {"year_from", c.year_from},
                                    {"year_to", c.year_to},
                                    {"expires_at", c.expires_at}}
                                   .dump(),
                               ""));
      return id;
    });
  }

  Result<std::vector<ConsentRecord>> ListConsents() override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT id, unit_id, bank, scopes, year_from, year_to, "
                                  "expires_at, revoked_at, created_at, created_by FROM consents "
                                  "ORDER BY id"));
    return q.All([](Row& r) {
      ConsentRecord c;
      c.id = r.Int();
      c.unit_id = r.Text();
      c.bank = r.Text();
      std::string scopes = r.Text();
      for (size_t at = 0; at < scopes.size();) {
        size_t comma = scopes.find(',', at);
        if (comma == std::string::npos) comma = scopes.size();
        c.scopes.push_back(scopes.substr(at, comma - at));
        at = comma + 1;
      }
      c.year_from = r.Int32();
      c.year_to = r.Int32();
      c.expires_at = r.Int();
      c.revoked_at = r.OptInt();
      c.created_at = r.Text();
      c.created_by = r.Text();
      return c;
    });
  }

  Status RevokeConsent(int64_t id, int64_t at, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st = Q("UPDATE consents SET revoked_at=? WHERE id=? AND revoked_at IS NULL");
      if (!st.ok()) return st.error();
      (*st)->BindInt(1, at);
      (*st)->BindInt(2, id);
      CL_RETURN_IF_ERROR((*st)->Step());
      if ((*st)->Changes() != 1) return Error::NotFound("no active consent " + std::to_string(id));
      CL_RETURN_IF_ERROR(Audit(by, "revoke", "consent", std::to_string(id),
                               json{{"revoked_at", nullptr}}.dump(),
                               json{{"revoked_at", at}}.dump(), ""));
      return Ok{};
    });
  }

  Status AssignVerifier(const AssignmentRecord& a, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto unit = s_.store().Registry().GetUnit(a.unit_id);
      if (!unit.ok()) return unit.error();
      if (!unit->has_value()) return Error::NotFound("unit '" + a.unit_id + "' does not exist");
      auto user = s_.store().Identity().GetUser(a.verifier);
      if (!user.ok()) return user.error();
      if (!user->has_value() || (*user)->role != "verifier")
        return Error::InvalidInput("'" + a.verifier + "' is not a verifier");
      std::string before;
      auto old = ListAssignments();
      if (!old.ok()) return old.error();
      for (const auto& o : *old) {
        if (o.unit_id != a.unit_id || o.year != a.year) continue;
        if (o.verifier == a.verifier) return Ok{};  // already so
        before = json{{"verifier", o.verifier}}.dump();
      }
      auto st =
          Q("INSERT INTO verifier_assignments (unit_id, year, verifier, assigned_at, assigned_by) "
            "VALUES (?,?,?,?,?) ON CONFLICT (unit_id, year) DO UPDATE SET "
            "verifier=excluded.verifier, assigned_at=excluded.assigned_at, "
            "assigned_by=excluded.assigned_by");
      if (!st.ok()) return st.error();
      (*st)->BindText(1, a.unit_id);
      (*st)->BindInt(2, a.year);
      (*st)->BindText(3, a.verifier);
      (*st)->BindText(4, NowUtc());
      (*st)->BindText(5, by.user);
      CL_RETURN_IF_ERROR((*st)->Step());
      CL_RETURN_IF_ERROR(Audit(by, before.empty() ? "create" : "update", "assignment",
                               a.unit_id + "/" + std::to_string(a.year), before,
                               json{{"verifier", a.verifier}}.dump(), ""));
      return Ok{};
    });
  }

  Result<std::vector<AssignmentRecord>> ListAssignments() override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT unit_id, year, verifier, assigned_at, assigned_by "
                                  "FROM verifier_assignments ORDER BY unit_id, year"));
    return q.All([](Row& r) {
      return AssignmentRecord{r.Text(), r.Int32(), r.Text(), r.Text(), r.Text()};
    });
  }
};

}  // namespace

std::unique_ptr<AccessRepository> MakeSqlAccess(Session& session) {
  return std::make_unique<SqlAccess>(session);
}

}  // namespace cl::sql
