// Reading chunks, month totals, revisions and findings over sql::Db.
#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlReadings final : public ReadingsRepository, private Part {
 public:
  explicit SqlReadings(Session& session) : Part(session) {}

  Result<std::optional<StoredChunk>> GetChunk(int64_t unit_no, int64_t meter_no,
                                              int32_t day) override {
    auto st =
        Q("SELECT count, total, batch_id, data FROM reading_chunks "
          "WHERE unit_no=? AND meter_no=? AND chunk_day=?");
    if (!st.ok()) return st.error();
    Statement* s = *st;
    s->BindInt(1, unit_no);
    s->BindInt(2, meter_no);
    s->BindInt(3, day);
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<StoredChunk>();
    StoredChunk c{unit_no,
                  meter_no,
                  day,
                  static_cast<int32_t>(s->Int(0)),
                  s->Double(1),
                  s->Int(2),
                  std::string(s->Blob(3))};
    return std::optional<StoredChunk>(std::move(c));
  }

  Status PutChunk(const StoredChunk& c) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st =
          Q("INSERT INTO reading_chunks (unit_no, meter_no, chunk_day, count, total, "
            "batch_id, data) VALUES (?,?,?,?,?,?,?) ON CONFLICT (unit_no, meter_no, "
            "chunk_day) DO UPDATE SET count=excluded.count, total=excluded.total, "
            "batch_id=excluded.batch_id, data=excluded.data");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindInt(1, c.unit_no);
      s->BindInt(2, c.meter_no);
      s->BindInt(3, c.chunk_day);
      s->BindInt(4, c.count);
      s->BindDouble(5, c.total);
      s->BindInt(6, c.batch_id);
      s->BindBlob(7, c.data);
      CL_RETURN_IF_ERROR(s->Step());
      return Ok{};
    });
  }

  Result<std::optional<std::pair<int32_t, int32_t>>> ChunkRange(int64_t unit_no,
                                                                int64_t meter_no) override {
    using Range = std::optional<std::pair<int32_t, int32_t>>;
    auto st =
        Q("SELECT MIN(chunk_day), MAX(chunk_day) FROM reading_chunks "
          "WHERE unit_no=? AND meter_no=?");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, unit_no);
    (*st)->BindInt(2, meter_no);
    auto row = (*st)->Step();
    if (!row.ok()) return row.error();
    if (!*row || (*st)->IsNull(0)) return Range();
    return Range(
        std::pair{static_cast<int32_t>((*st)->Int(0)), static_cast<int32_t>((*st)->Int(1))});
  }

  Status ScanChunks(int64_t unit_no, int64_t meter_no, int32_t from, int32_t to,
                    const std::function<void(const StoredChunk&)>& f) override {
    auto st =
        Q("SELECT chunk_day, count, total, batch_id, data FROM reading_chunks "
          "WHERE unit_no=? AND meter_no=? AND chunk_day BETWEEN ? AND ? ORDER BY chunk_day");
    if (!st.ok()) return st.error();
    Statement* s = *st;
    s->BindInt(1, unit_no);
    s->BindInt(2, meter_no);
    s->BindInt(3, from);
    s->BindInt(4, to);
    StoredChunk c;
    c.unit_no = unit_no;
    c.meter_no = meter_no;
    for (;;) {
      auto row = s->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      c.chunk_day = static_cast<int32_t>(s->Int(0));
      c.count = static_cast<int32_t>(s->Int(1));
      c.total = s->Double(2);
      c.batch_id = s->Int(3);
      c.data.assign(s->Blob(4));
      f(c);
    }
    return Ok{};
  }

  Status ScanTotals(int32_t from, int32_t to,
                    const std::function<void(const ChunkTotal&)>& f) override {
    auto st =
        Q("SELECT meter_no, chunk_day, count, total FROM reading_chunks "
          "WHERE chunk_day BETWEEN ? AND ? ORDER BY unit_no, meter_no, chunk_day");
    if (!st.ok()) return st.error();
    Statement* s = *st;
    s->BindInt(1, from);
    s->BindInt(2, to);
    for (;;) {
      auto row = s->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      f({s->Int(0), static_cast<int32_t>(s->Int(1)), static_cast<int32_t>(s->Int(2)),
         s->Double(3)});
    }
    return Ok{};
  }

  Status AddMonthTotals(const std::vector<MonthTotal>& deltas) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      for (const auto& d : deltas) {
        auto st =
            Q("INSERT INTO meter_months (unit_no, meter_no, month, count, total) "
              "VALUES (?,?,?,?,?) ON CONFLICT (unit_no, meter_no, month) DO UPDATE SET "
              "count = meter_months.count + excluded.count, "
              "total = meter_months.total + excluded.total");
        if (!st.ok()) return st.error();
        Statement* s = *st;
        s->BindInt(1, d.unit_no);
        s->BindInt(2, d.meter_no);
        s->BindInt(3, d.month);
        s->BindInt(4, d.count);
        s->BindDouble(5, d.total);
        CL_RETURN_IF_ERROR(s->Step());
      }
      return Ok{};
    });
  }

  Status ScanMonthTotals(int32_t from, int32_t to,
                         const std::function<void(const MonthTotal&)>& f) override {
    auto st =
        Q("SELECT unit_no, meter_no, month, count, total FROM meter_months "
          "WHERE month BETWEEN ? AND ? ORDER BY unit_no, meter_no, month");
    if (!st.ok()) return st.error();
    Statement* s = *st;
    s->BindInt(1, from);
    s->BindInt(2, to);
    for (;;) {
      auto row = s->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      f({s->Int(0), s->Int(1), static_cast<int32_t>(s->Int(2)), s->Int(3), s->Double(4)});
    }
    return Ok{};
  }

  Status AddRevisions(const std::vector<RevisionRecord>& revisions) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      for (const auto& r : revisions) {
        auto st =
            Q("INSERT INTO revisions (unit_no, meter_no, ts, old_value, old_batch, "
              "new_value, new_batch, revised_at, revised_by) VALUES (?,?,?,?,?,?,?,?,?)");
        if (!st.ok()) return st.error();
        Statement* s = *st;
        s->BindInt(1, r.unit_no);
        s->BindInt(2, r.meter_no);
        s->BindInt(3, r.ts);
        s->BindDouble(4, r.old_value);
        s->BindInt(5, r.old_batch);
        s->BindDouble(6, r.new_value);
        s->BindInt(7, r.new_batch);
        s->BindText(8, r.revised_at);
        s->BindText(9, r.revised_by);
        CL_RETURN_IF_ERROR(s->Step());
      }
      return Ok{};
    });
  }

  Result<std::vector<RevisionRecord>> ListRevisions(int64_t meter_no) override {
    auto st =
        Q("SELECT unit_no, ts, old_value, old_batch, new_value, new_batch, revised_at, "
          "revised_by FROM revisions WHERE meter_no=? ORDER BY ts, new_batch");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, meter_no);
    std::vector<RevisionRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({meter_no, s->Int(0), s->Int(1), s->Double(2), s->Int(3), s->Double(4),
                     s->Int(5), s->Text(6), s->Text(7)});
    }
    return out;
  }

  Status ReplaceChunkFlags(int64_t meter_no, int32_t day, const std::vector<std::string>& kinds,
                           const std::vector<FlagRecord>& flags) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      if (!kinds.empty()) {
        std::string sql =
            "DELETE FROM quality_flags WHERE meter_no=? AND chunk_day=? AND kind IN (";
        for (size_t i = 0; i < kinds.size(); ++i) sql += i ? ",?" : "?";
        sql += ")";
        auto st = Q(sql);
        if (!st.ok()) return st.error();
        (*st)->BindInt(1, meter_no);
        (*st)->BindInt(2, day);
        for (size_t i = 0; i < kinds.size(); ++i)
          (*st)->BindText(static_cast<int>(i) + 3, kinds[i]);
        CL_RETURN_IF_ERROR((*st)->Step());
      }
      return AddFlagsInTxn(flags);
    });
  }

  Status AddFlags(const std::vector<FlagRecord>& flags) override {
    return InTxn<Ok>([&]() -> Result<Ok> { return AddFlagsInTxn(flags); });
  }

  Result<std::vector<FlagRecord>> ListFlags(int64_t meter_no, int32_t from, int32_t to) override {
    auto st =
        Q("SELECT unit_no, chunk_day, slot, kind, detail, batch_id FROM quality_flags "
          "WHERE meter_no=? AND chunk_day BETWEEN ? AND ? ORDER BY chunk_day, slot, kind");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, meter_no);
    (*st)->BindInt(2, from);
    (*st)->BindInt(3, to);
    std::vector<FlagRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({meter_no, s->Int(0), static_cast<int32_t>(s->Int(1)),
                     static_cast<int32_t>(s->Int(2)), s->Text(3), s->Text(4), s->Int(5)});
    }
    return out;
  }

  Result<std::vector<int32_t>> FlagDays(int64_t meter_no, const std::string& kind) override {
    auto st =
        Q("SELECT DISTINCT chunk_day FROM quality_flags WHERE meter_no=? AND kind=? "
          "ORDER BY chunk_day");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, meter_no);
    (*st)->BindText(2, kind);
    std::vector<int32_t> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      out.push_back(static_cast<int32_t>((*st)->Int(0)));
    }
    return out;
  }

 private:
  Status AddFlagsInTxn(const std::vector<FlagRecord>& flags) {
    for (const auto& f : flags) {
      auto st =
          Q("INSERT INTO quality_flags (unit_no, meter_no, chunk_day, slot, kind, detail, "
            "batch_id) VALUES (?,?,?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindInt(1, f.unit_no);
      s->BindInt(2, f.meter_no);
      s->BindInt(3, f.chunk_day);
      s->BindInt(4, f.slot);
      s->BindText(5, f.kind);
      s->BindText(6, f.detail);
      s->BindInt(7, f.batch_id);
      CL_RETURN_IF_ERROR(s->Step());
    }
    return Ok{};
  }
};

}  // namespace

std::unique_ptr<ReadingsRepository> MakeSqlReadings(Session& session) {
  return std::make_unique<SqlReadings>(session);
}

}  // namespace cl::sql
