// Import batches, rejects and mapping profiles over sql::Db.
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
      auto st =
          Q("INSERT INTO batches (kind, source, created_at, created_by) VALUES (?,?,?,?) "
            "RETURNING id");
      if (!st.ok()) return st.error();
      (*st)->BindText(1, BatchKindName(b.kind));
      (*st)->BindText(2, b.source);
      (*st)->BindText(3, b.created_at);
      (*st)->BindText(4, b.created_by);
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      int64_t id = (*st)->Int(0);
      CL_RETURN_IF_ERROR((*st)->Step());  // finish the statement (SQLite)
      return id;
    });
  }

  Status FinishBatch(const BatchRecord& b, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st =
          Q("UPDATE batches SET row_count=?, accepted=?, unchanged=?, revised=?, "
            "rejected=?, flagged=? WHERE id=?");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindInt(1, b.rows);
      s->BindInt(2, b.accepted);
      s->BindInt(3, b.unchanged);
      s->BindInt(4, b.revised);
      s->BindInt(5, b.rejected);
      s->BindInt(6, b.flagged);
      s->BindInt(7, b.id);
      CL_RETURN_IF_ERROR(s->Step());
      if (s->Changes() != 1)
        return Error::NotFound("import batch " + std::to_string(b.id) + " does not exist");
      CL_RETURN_IF_ERROR(
          Audit(by, "import", "batch", std::to_string(b.id), "", BatchJson(b).dump(), ""));
      return Ok{};
    });
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
          auto q = Q("SELECT COALESCE(MAX(seq), 0) FROM rejects WHERE batch_id=?");
          if (!q.ok()) return q.error();
          (*q)->BindInt(1, r.batch_id);
          CL_RETURN_IF_ERROR((*q)->Step());
          seq = (*q)->Int(0);
        }
        auto st =
            Q("INSERT INTO rejects (batch_id, seq, file, line, col, field, kind, message) "
              "VALUES (?,?,?,?,?,?,?,?)");
        if (!st.ok()) return st.error();
        Statement* s = *st;
        s->BindInt(1, r.batch_id);
        s->BindInt(2, ++seq);
        s->BindText(3, r.file);
        s->BindInt(4, r.line);
        s->BindInt(5, r.column);
        s->BindText(6, r.field);
        s->BindText(7, r.kind);
        s->BindText(8, r.message);
        CL_RETURN_IF_ERROR(s->Step());
      }
      return Ok{};
    });
  }

  Result<std::vector<RejectRecord>> ListRejects(int64_t batch_id) override {
    auto st =
        Q("SELECT file, line, col, field, kind, message FROM rejects WHERE batch_id=? "
          "ORDER BY seq");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, batch_id);
    std::vector<RejectRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({batch_id, s->Text(0), s->Int(1), static_cast<int>(s->Int(2)), s->Text(3),
                     s->Text(4), s->Text(5)});
    }
    return out;
  }

  Status PutMappingProfile(const std::string& name, const std::string& kind,
                           const std::string& definition, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto old = GetMappingProfile(name, kind);
      if (!old.ok()) return old.error();
      if (*old == definition) return Ok{};
      auto st =
          Q("INSERT INTO mapping_profiles (name, kind, definition, updated_at, updated_by) "
            "VALUES (?,?,?,?,?) ON CONFLICT (name) DO UPDATE SET kind=excluded.kind, "
            "definition=excluded.definition, updated_at=excluded.updated_at, "
            "updated_by=excluded.updated_by");
      if (!st.ok()) return st.error();
      (*st)->BindText(1, name);
      (*st)->BindText(2, kind);
      (*st)->BindText(3, definition);
      (*st)->BindText(4, NowUtc());
      (*st)->BindText(5, by.user);
      CL_RETURN_IF_ERROR((*st)->Step());
      CL_RETURN_IF_ERROR(Audit(by, old->has_value() ? "update" : "create", "mapping_profile", name,
                               old->value_or(""), definition, ""));
      return Ok{};
    });
  }

  Result<std::optional<std::string>> GetMappingProfile(const std::string& name,
                                                       const std::string& kind) override {
    auto st = Q("SELECT definition FROM mapping_profiles WHERE name=? AND kind=?");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, name);
    (*st)->BindText(2, kind);
    auto row = (*st)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<std::string>();
    return std::optional<std::string>((*st)->Text(0));
  }

 private:
  Result<std::vector<BatchRecord>> Batches(int64_t id) {
    auto st =
        Q("SELECT id, kind, source, created_at, created_by, row_count, accepted, unchanged, "
          "revised, rejected, flagged FROM batches WHERE ? = 0 OR id = ? ORDER BY id");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, id);
    (*st)->BindInt(2, id);
    std::vector<BatchRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      BatchRecord b;
      b.id = s->Int(0);
      b.kind = s->Text(1) == "activities" ? BatchKind::kActivities : BatchKind::kReadings;
      b.source = s->Text(2);
      b.created_at = s->Text(3);
      b.created_by = s->Text(4);
      b.rows = s->Int(5);
      b.accepted = s->Int(6);
      b.unchanged = s->Int(7);
      b.revised = s->Int(8);
      b.rejected = s->Int(9);
      b.flagged = s->Int(10);
      out.push_back(std::move(b));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<ImportsRepository> MakeSqlImports(Session& session) {
  return std::make_unique<SqlImports>(session);
}

}  // namespace cl::sql
