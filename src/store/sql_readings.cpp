// Reading chunks, month totals, revisions and findings over sql::Db.
#include <fmt/format.h>

#include <chrono>

#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlReadings final : public ReadingsRepository, private Part {
 public:
  explicit SqlReadings(Session& session) : Part(session) {}

  Result<std::optional<StoredChunk>> GetChunk(int64_t unit_no, int64_t meter_no,
                                              int32_t day) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT count, total, batch_id, data FROM reading_chunks "
                                  "WHERE unit_no=? AND meter_no=? AND chunk_day=?",
                                  unit_no, meter_no, day));
    return q.First([&](Row& r) {
      return StoredChunk{
          unit_no, meter_no, day, r.Int32(), r.Double(), r.Int(), std::string(r.Blob())};
    });
  }

  Status PutChunk(const StoredChunk& c) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      CL_ASSIGN_OR_RETURN(
          auto q,
          Q("INSERT INTO reading_chunks (unit_no, meter_no, chunk_day, count, total, "
            "batch_id, data) VALUES (?,?,?,?,?,?,?) ON CONFLICT (unit_no, meter_no, "
            "chunk_day) DO UPDATE SET count=excluded.count, total=excluded.total, "
            "batch_id=excluded.batch_id, data=excluded.data",
            c.unit_no, c.meter_no, c.chunk_day, c.count, c.total, c.batch_id, BlobParam{c.data}));
      CL_RETURN_IF_ERROR(q.Run());
      const std::chrono::year_month_day day{std::chrono::sys_days{std::chrono::days{c.chunk_day}}};
      const int year = static_cast<int>(day.year());
      const unsigned month = static_cast<unsigned>(day.month());
      s_.NoteDataChange(c.batch_id, c.unit_no, year,
                        std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month));
      return Ok{};
    });
  }

  Result<std::optional<std::pair<int32_t, int32_t>>> ChunkRange(int64_t unit_no,
                                                                int64_t meter_no) override {
    using Range = std::optional<std::pair<int32_t, int32_t>>;
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT MIN(chunk_day), MAX(chunk_day) FROM reading_chunks "
                                  "WHERE unit_no=? AND meter_no=?",
                                  unit_no, meter_no));
    CL_ASSIGN_OR_RETURN(auto row, q.First([](Row& r) {
      if (r.IsNull()) return Range();  // no chunks
      return Range(std::pair<int32_t, int32_t>{r.Int32(), r.Int32()});
    }));
    return row ? *row : Range();
  }

  Status ScanChunks(int64_t unit_no, int64_t meter_no, int32_t from, int32_t to,
                    const std::function<void(const StoredChunk&)>& f) override {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT chunk_day, count, total, batch_id, data FROM reading_chunks "
                  "WHERE unit_no=? AND meter_no=? AND chunk_day BETWEEN ? AND ? ORDER BY chunk_day",
                  unit_no, meter_no, from, to));
    StoredChunk c;  // one buffer for every row
    c.unit_no = unit_no;
    c.meter_no = meter_no;
    return q.Each([&](Row& r) {
      c.chunk_day = r.Int32();
      c.count = r.Int32();
      c.total = r.Double();
      c.batch_id = r.Int();
      c.data.assign(r.Blob());
      f(c);
    });
  }

  Status ScanTotals(int32_t from, int32_t to,
                    const std::function<void(const ChunkTotal&)>& f) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT meter_no, chunk_day, count, total FROM reading_chunks "
                                  "WHERE chunk_day BETWEEN ? AND ? "
                                  "ORDER BY unit_no, meter_no, chunk_day",
                                  from, to));
    return q.Each([&](Row& r) { f(ChunkTotal{r.Int(), r.Int32(), r.Int32(), r.Double()}); });
  }

  Status AddMonthTotals(const std::vector<MonthTotal>& deltas) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      for (const auto& d : deltas) {
        CL_ASSIGN_OR_RETURN(
            auto q, Q("INSERT INTO meter_months (unit_no, meter_no, month, count, total) "
                      "VALUES (?,?,?,?,?) ON CONFLICT (unit_no, meter_no, month) DO UPDATE SET "
                      "count = meter_months.count + excluded.count, "
                      "total = meter_months.total + excluded.total",
                      d.unit_no, d.meter_no, d.month, d.count, d.total));
        CL_RETURN_IF_ERROR(q.Run());
      }
      return Ok{};
    });
  }

  Status SetMonthTotals(const std::vector<MonthTotal>& totals) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      for (const auto& t : totals) {
        CL_ASSIGN_OR_RETURN(
            auto q, Q("INSERT INTO meter_months (unit_no, meter_no, month, count, total) "
                      "VALUES (?,?,?,?,?) ON CONFLICT (unit_no, meter_no, month) DO UPDATE SET "
                      "count = excluded.count, total = excluded.total",
                      t.unit_no, t.meter_no, t.month, t.count, t.total));
        CL_RETURN_IF_ERROR(q.Run());
      }
      return Ok{};
    });
  }

  Status ScanMonthTotals(int32_t from, int32_t to,
                         const std::function<void(const MonthTotal&)>& f) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT unit_no, meter_no, month, count, total FROM meter_months "
                                  "WHERE month BETWEEN ? AND ? ORDER BY unit_no, meter_no, month",
                                  from, to));
    return q.Each([&](Row& r) { f(MonthTotal{r.Int(), r.Int(), r.Int32(), r.Int(), r.Double()}); });
  }

  Status AddRevisions(const std::vector<RevisionRecord>& revisions) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      for (const auto& r : revisions) {
        CL_ASSIGN_OR_RETURN(
            auto q, Q("INSERT INTO revisions (unit_no, meter_no, ts, old_value, old_batch, "
                      "new_value, new_batch, revised_at, revised_by) VALUES (?,?,?,?,?,?,?,?,?)",
                      r.unit_no, r.meter_no, r.ts, r.old_value, r.old_batch, r.new_value,
                      r.new_batch, r.revised_at, r.revised_by));
        CL_RETURN_IF_ERROR(q.Run());
      }
      return Ok{};
    });
  }

  Result<std::vector<RevisionRecord>> ListRevisions(int64_t meter_no) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT unit_no, ts, old_value, old_batch, new_value, new_batch, "
                                  "revised_at, revised_by FROM revisions WHERE meter_no=? "
                                  "ORDER BY ts, new_batch",
                                  meter_no));
    return q.All([&](Row& r) {
      return RevisionRecord{meter_no,   r.Int(), r.Int(),  r.Double(), r.Int(),
                            r.Double(), r.Int(), r.Text(), r.Text()};
    });
  }

  Status ReplaceChunkFlags(int64_t meter_no, int32_t day, const std::vector<std::string>& kinds,
                           const std::vector<FlagRecord>& flags) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      if (!kinds.empty()) {
        std::string sql =
            "DELETE FROM quality_flags WHERE meter_no=? AND chunk_day=? AND kind IN (";
        for (size_t i = 0; i < kinds.size(); ++i) sql += i ? ",?" : "?";
        sql += ")";
        CL_ASSIGN_OR_RETURN(auto q, Q(sql, meter_no, day));
        q.BindList(3, kinds);
        CL_RETURN_IF_ERROR(q.Run());
      }
      return AddFlagsInTxn(flags);
    });
  }

  Status AddFlags(const std::vector<FlagRecord>& flags) override {
    return InTxn<Ok>([&]() -> Result<Ok> { return AddFlagsInTxn(flags); });
  }

  Result<std::vector<FlagRecord>> ListFlags(int64_t meter_no, int32_t from, int32_t to) override {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT unit_no, chunk_day, slot, kind, detail, batch_id FROM quality_flags "
                  "WHERE meter_no=? AND chunk_day BETWEEN ? AND ? ORDER BY chunk_day, slot, kind",
                  meter_no, from, to));
    return q.All([&](Row& r) {
      return FlagRecord{meter_no, r.Int(), r.Int32(), r.Int32(), r.Text(), r.Text(), r.Int()};
    });
  }

  Result<std::vector<int32_t>> FlagDays(int64_t meter_no, const std::string& kind) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT DISTINCT chunk_day FROM quality_flags WHERE meter_no=? "
                                  "AND kind=? ORDER BY chunk_day",
                                  meter_no, kind));
    return q.All([](Row& r) -> int32_t { return r.Int32(); });
  }

 private:
  Status AddFlagsInTxn(const std::vector<FlagRecord>& flags) {
    for (const auto& f : flags) {
      CL_ASSIGN_OR_RETURN(
          auto q, Q("INSERT INTO quality_flags (unit_no, meter_no, chunk_day, slot, kind, detail, "
                    "batch_id) VALUES (?,?,?,?,?,?,?)",
                    f.unit_no, f.meter_no, f.chunk_day, f.slot, f.kind, f.detail, f.batch_id));
      CL_RETURN_IF_ERROR(q.Run());
    }
    return Ok{};
  }
};

}  // namespace

std::unique_ptr<ReadingsRepository> MakeSqlReadings(Session& session) {
  return std::make_unique<SqlReadings>(session);
}

}  // namespace cl::sql
