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
      if (!unit->has_value())
        return Error::NotFound("unit '" + c.unit_id + "' does not exist")
            .WithCode("unit.not_found", {{"unit", c.unit_id}});
      std::string scopes;
      for (const auto& x : c.scopes) scopes += (scopes.empty() ? "" : ",") + x;
      CL_ASSIGN_OR_RETURN(int64_t id, InsertConsent(c, scopes, by));
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
      CL_ASSIGN_OR_RETURN(
          auto q, Q("UPDATE consents SET revoked_at=? WHERE id=? AND revoked_at IS NULL", at, id));
      CL_ASSIGN_OR_RETURN(int64_t changed, q.Run());
      if (changed != 1)
        return Error::NotFound("no active consent " + std::to_string(id))
            .WithCode("consent.not_found", {{"id", std::to_string(id)}});
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
      if (!unit->has_value())
        return Error::NotFound("unit '" + a.unit_id + "' does not exist")
            .WithCode("unit.not_found", {{"unit", a.unit_id}});
      auto user = s_.store().Identity().GetUser(a.verifier);
      if (!user.ok()) return user.error();
      if (!user->has_value() || (*user)->role != "verifier")
        return Error::InvalidInput("'" + a.verifier + "' is not a verifier")
            .WithCode("assignment.not_verifier", {{"login", a.verifier}});
      std::string before;
      auto old = ListAssignments();
      if (!old.ok()) return old.error();
      for (const auto& o : *old) {
        if (o.unit_id != a.unit_id || o.year != a.year) continue;
        if (o.verifier == a.verifier) return Ok{};  // already so
        before = json{{"verifier", o.verifier}}.dump();
      }
      CL_ASSIGN_OR_RETURN(
          auto q,
          Q("INSERT INTO verifier_assignments (unit_id, year, verifier, assigned_at, assigned_by) "
            "VALUES (?,?,?,?,?) ON CONFLICT (unit_id, year) DO UPDATE SET "
            "verifier=excluded.verifier, assigned_at=excluded.assigned_at, "
            "assigned_by=excluded.assigned_by",
            a.unit_id, a.year, a.verifier, NowUtc(), by.user));
      CL_RETURN_IF_ERROR(q.Run());
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

 private:
  // The id of the new consent row.
  Result<int64_t> InsertConsent(const ConsentRecord& c, const std::string& scopes,
                                const Actor& by) {
    CL_ASSIGN_OR_RETURN(
        auto q,
        Q("INSERT INTO consents (unit_id, bank, scopes, year_from, year_to, expires_at, "
          "created_at, created_by) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
          c.unit_id, c.bank, scopes, c.year_from, c.year_to, c.expires_at, NowUtc(), by.user));
    CL_ASSIGN_OR_RETURN(auto id, q.First([](Row& r) { return r.Int(); }));
    return id.value_or(0);  // RETURNING: always a row
  }
};

}  // namespace

std::unique_ptr<AccessRepository> MakeSqlAccess(Session& session) {
  return std::make_unique<SqlAccess>(session);
}

}  // namespace cl::sql
