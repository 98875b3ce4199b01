// Import batches, rejects and mapping profiles over sql::Db.
#include <tuple>

#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlImports final : public ImportsRepository, private Part {
 public:
  explicit SqlImports(Session& session) : Part(session) {}

  Result<int64_t> CreateBatch(BatchRecord b, const Actor& by) override {
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      if (b.created_at.empty()) b.created_at = NowUtc();
      if (b.created_by.empty()) b.created_by = by.user;
      CL_ASSIGN_OR_RETURN(
          auto q, Q("INSERT INTO batches (kind, source, created_at, created_by) VALUES (?,?,?,?) "
                    "RETURNING id",
                    BatchKindName(b.kind), b.source, b.created_at, b.created_by));
      CL_ASSIGN_OR_RETURN(auto id, q.First([](Row& r) { return r.Int(); }));
      return id.value_or(0);  // RETURNING: always a row; q's reset finishes it (SQLite)
    });
  }

  Status FinishBatch(const BatchRecord& b, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      CL_ASSIGN_OR_RETURN(
          auto q, Q("UPDATE batches SET row_count=?, accepted=?, unchanged=?, "
                    "revised=?, rejected=?, flagged=? WHERE id=?",
                    b.rows, b.accepted, b.unchanged, b.revised, b.rejected, b.flagged, b.id));
      CL_ASSIGN_OR_RETURN(int64_t changed, q.Run());
      if (changed != 1)
        return Error::NotFound("import batch " + std::to_string(b.id) + " does not exist");
      CL_RETURN_IF_ERROR(
          Audit(by, "import", "batch", std::to_string(b.id), "", BatchJson(b).dump(), ""));
      return AuditInventoriesUnder(b, by);
    });
  }

  // Each inventory past draft (and not corrected by a version past draft)
  // whose unit and year the batch changed gets an audit record naming the
  // batch and the periods: data under it changed (issue 14, item 8).
  Status AuditInventoriesUnder(const BatchRecord& b, const Actor& by) {
    for (const auto& [unit_year, periods] : s_.DataChangesOf(b.id)) {
      CL_ASSIGN_OR_RETURN(auto q,
                          Q("SELECT i.id, i.unit_id, i.status FROM inventories i "
                            "JOIN units u ON u.id = i.unit_id WHERE u.unit_no=? AND i.year=? "
                            "AND i.status <> 'draft' AND NOT EXISTS (SELECT 1 FROM inventories n "
                            "WHERE n.supersedes = i.id AND n.status <> 'draft') ORDER BY i.id",
                            unit_year.first, unit_year.second));
      CL_ASSIGN_OR_RETURN(auto under, q.All([](Row& r) {
        return std::tuple<int64_t, std::string, std::string>{r.Int(), r.Text(), r.Text()};
      }));
      for (const auto& [id, unit_id, status] : under) {
        // Named apart from an inventory's own fields (status, year), which
        // audit verification reads from the inventory's entries.
        json after{{"batch", b.id},
                   {"unit", unit_id},
                   {"reporting_year", unit_year.second},
                   {"inventory_status", status},
                   {"periods", periods}};
        CL_RETURN_IF_ERROR(Audit(
            by, "data_changed_under_inventory", "inventory", std::to_string(id), "", after.dump(),
            "import batch " + std::to_string(b.id) + " changed data under inventory " +
                std::to_string(id) + " (" + status + "); restate it with a correction"));
      }
    }
    return Ok{};
  }

  Result<std::optional<BatchRecord>> GetBatch(int64_t id) override {
    auto all = Batches(id);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<BatchRecord>();
    return std::optional<BatchRecord>(all->front());
  }

  Result<std::vector<BatchRecord>> ListBatches() override { return Batches(0); }

  Status AddRejects(const std::vector<RejectRecord>& rejects) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      for (const auto& r : rejects) {
        int64_t& seq = s_.RejectSeq(r.batch_id);
        if (seq == 0) {
          CL_ASSIGN_OR_RETURN(
              auto q, Q("SELECT COALESCE(MAX(seq), 0) FROM rejects WHERE batch_id=?", r.batch_id));
          CL_ASSIGN_OR_RETURN(auto max, q.First([](Row& row) { return row.Int(); }));
          seq = max.value_or(0);  // an aggregate: always a row
        }
        CL_ASSIGN_OR_RETURN(
            auto q, Q("INSERT INTO rejects (batch_id, seq, file, line, col, field, kind, message) "
                      "VALUES (?,?,?,?,?,?,?,?)",
                      r.batch_id, seq + 1, r.file, r.line, r.column, r.field, r.kind, r.message));
        ++seq;
        CL_RETURN_IF_ERROR(q.Run());
      }
      return Ok{};
    });
  }

  Result<std::vector<RejectRecord>> ListRejectsPage(int64_t batch_id, int64_t offset,
                                                    int limit) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT file, line, col, field, kind, message FROM rejects "
                                  "WHERE batch_id=? ORDER BY seq LIMIT ? OFFSET ?",
                                  batch_id, limit, offset));
    return q.All([&](Row& r) {
      return RejectRecord{batch_id, r.Text(), r.Int(), r.Int32(), r.Text(), r.Text(), r.Text()};
    });
  }

  Result<std::vector<RejectRecord>> ListRejects(int64_t batch_id) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT file, line, col, field, kind, message FROM rejects "
                                  "WHERE batch_id=? ORDER BY seq",
                                  batch_id));
    return q.All([&](Row& r) {
      return RejectRecord{batch_id, r.Text(), r.Int(), r.Int32(), r.Text(), r.Text(), r.Text()};
    });
  }

  Status PutMappingProfile(const std::string& name, const std::string& kind,
                           const std::string& definition, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto old = GetMappingProfile(name, kind);
      if (!old.ok()) return old.error();
      if (*old == definition) return Ok{};
      CL_ASSIGN_OR_RETURN(
          auto q, Q("INSERT INTO mapping_profiles (name, kind, definition, updated_at, updated_by) "
                    "VALUES (?,?,?,?,?) ON CONFLICT (name) DO UPDATE SET kind=excluded.kind, "
                    "definition=excluded.definition, updated_at=excluded.updated_at, "
                    "updated_by=excluded.updated_by",
                    name, kind, definition, NowUtc(), by.user));
      CL_RETURN_IF_ERROR(q.Run());
      CL_RETURN_IF_ERROR(Audit(by, old->has_value() ? "update" : "create", "mapping_profile", name,
                               old->value_or(""), definition, ""));
      return Ok{};
    });
  }

  Result<std::optional<std::string>> GetMappingProfile(const std::string& name,
                                                       const std::string& kind) override {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT definition FROM mapping_profiles WHERE name=? AND kind=?", name, kind));
    return q.First([](Row& r) { return r.Text(); });
  }

 private:
  Result<std::vector<BatchRecord>> Batches(int64_t id) {
    CL_ASSIGN_OR_RETURN(
        auto q,
        Q("SELECT id, kind, source, created_at, created_by, row_count, accepted, unchanged, "
          "revised, rejected, flagged FROM batches WHERE ? = 0 OR id = ? ORDER BY id",
          id, id));
    return q.All([](Row& r) {
      BatchRecord b;
      b.id = r.Int();
      b.kind = r.Text() == "activities" ? BatchKind::kActivities : BatchKind::kReadings;
      b.source = r.Text();
      b.created_at = r.Text();
      b.created_by = r.Text();
      b.rows = r.Int();
      b.accepted = r.Int();
      b.unchanged = r.Int();
      b.revised = r.Int();
      b.rejected = r.Int();
      b.flagged = r.Int();
      return b;
    });
  }
};

}  // namespace

std::unique_ptr<ImportsRepository> MakeSqlImports(Session& session) {
  return std::make_unique<SqlImports>(session);
}

}  // namespace cl::sql
