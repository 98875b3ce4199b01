// The store's logic and queries, written once over sql::Db for both dialects.
#include <sodium.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>

#include "core/timestamp.h"
#include "db.h"
#include "migrations.h"
#include "store/store.h"

namespace cl {
namespace {

using sql::Db;
using sql::Dialect;
using sql::Statement;
using json = nlohmann::ordered_json;

#define CL_TRY(expr)                             \
  do {                                           \
    auto cl_try_r = (expr);                      \
    if (!cl_try_r.ok()) return cl_try_r.error(); \
  } while (0)

json UnitJson(const UnitRecord& u) {
  return {{"id", u.id},
          {"credit_code", u.credit_code},
          {"name_zh", u.name_zh},
          {"name_en", u.name_en},
          {"province", u.province},
          {"city", u.city},
          {"district", u.district},
          {"industry_code", u.industry_code}};
}
json SiteJson(const SiteRecord& s) {
  return {{"id", s.id},
          {"unit_id", s.unit_id},
          {"name", s.name},
          {"district", s.district},
          {"time_zone", s.time_zone}};
}
json MeterJson(const MeterRecord& m) {
  json j = {{"id", m.id},
            {"unit_id", m.unit_id},
            {"site_id", m.site_id},
            {"carrier", m.carrier},
            {"unit_of_measure", m.unit_of_measure},
            {"interval", MeterIntervalName(m.interval)},
            {"kind", MeterKindName(m.kind)},
            {"multiplier", m.multiplier},
            {"time_zone", m.time_zone}};
  if (m.rollover) j["rollover"] = *m.rollover;
  return j;
}
json ActivityJson(const ActivityRow& a) {
  json j = {{"unit_id", a.unit_id},
            {"site_id", a.site_id},
            {"meter_id", a.meter_id},
            {"activity", a.activity},
            {"quantity", a.quantity},
            {"unit_of_measure", a.unit_of_measure},
            {"period_start", a.period_start},
            {"period_end", a.period_end},
            {"data_source", a.data_source},
            {"source_file", a.source_file},
            {"line", a.line},
            {"batch_id", a.batch_id}};
  if (a.factor) j["factor"] = *a.factor;
  return j;
}
json BatchJson(const BatchRecord& b) {
  return {{"kind", BatchKindName(b.kind)}, {"source", b.source},       {"rows", b.rows},
          {"accepted", b.accepted},        {"unchanged", b.unchanged}, {"revised", b.revised},
          {"rejected", b.rejected},        {"flagged", b.flagged}};
}

std::string Sha256Hex(const std::string& text) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : out) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

// What the hash of an entry covers: every field, length-prefixed so that no
// two different entries serialise alike.
std::string AuditPayload(const AuditEntry& e) {
  std::string p;
  for (const std::string* f : {&e.prev_hash, &e.at, &e.actor, &e.origin, &e.action, &e.entity,
                               &e.entity_id, &e.before, &e.after, &e.reason}) {
    p += std::to_string(f->size());
    p += ':';
    p += *f;
  }
  return std::to_string(e.seq) + '|' + p;
}

// Steps a statement to its end, calling f on every row.
template <typename F>
Status EachRow(Statement* st, F&& f) {
  for (;;) {
    auto row = st->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Ok{};
    f(st);
  }
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  std::string Kind() const override {
    return db_->dialect() == Dialect::kSqlite ? "sqlite" : "postgres";
  }

  Status Migrate() {
    CL_TRY(
        db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                  "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
    // One process migrates at a time.
    if (pg()) CL_TRY(db_->Exec("SELECT pg_advisory_lock(4242001)"));
    Status result = ApplyMigrations();
    if (pg()) (void)db_->Exec("SELECT pg_advisory_unlock(4242001)");
    return result;
  }

  Result<int> SchemaVersion() override {
    auto st = Q("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!st.ok()) return st.error();
    auto row = (*st)->Step();
    if (!row.ok()) return row.error();
    return static_cast<int>((*st)->Int(0));
  }

  Status Begin() override {
    if (in_txn_) return Error(ErrorKind::kInternal, "a transaction is already open");
    if (in_read_) return Error(ErrorKind::kInternal, "a write inside a read-only transaction");
    // One writer at a time on both stores: SQLite's IMMEDIATE takes the write
    // lock; on PostgreSQL a transaction-scoped advisory lock does the same,
    // so two imports never merge into the same chunk at once.
    CL_TRY(db_->Exec(pg() ? "BEGIN; SELECT pg_advisory_xact_lock(4242002)" : "BEGIN IMMEDIATE"));
    in_txn_ = true;
    return Ok{};
  }
  Status Commit() override {
    if (!in_txn_) return Error(ErrorKind::kInternal, "no transaction to commit");
    auto st = db_->Exec("COMMIT");
    if (!st.ok()) {
      Rollback();  // leave no transaction open behind a failed commit
      return st;
    }
    in_txn_ = false;
    reject_seq_.clear();
    return st;
  }
  void Rollback() override {
    if (in_read_) {
      in_read_ = false;
      // Nothing to keep or discard: ends the snapshot. Should that fail, no
      // transaction may stay open on a connection that goes back to the pool.
      if (!Run("COMMIT").ok()) (void)db_->Exec("ROLLBACK");
    }
    if (!in_txn_) return;
    in_txn_ = false;
    reject_seq_.clear();
    (void)db_->Exec("ROLLBACK");
  }
  Status BeginRead() override {
    if (in_txn_ || in_read_) return Error(ErrorKind::kInternal, "a transaction is already open");
    CL_TRY(Run(pg() ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN DEFERRED"));
    in_read_ = true;
    return Ok{};
  }
  // One statement without rows; on SQLite prepared once per connection (a
  // read request begins and ends a transaction every time).
  Status Run(const char* sql) {
    if (pg()) return db_->Exec(sql);
    auto st = Q(sql);
    if (!st.ok()) return st.error();
    auto row = (*st)->Step();
    if (!row.ok()) return row.error();
    return Ok{};
  }

  // --- units, sites, meters -------------------------------------------------

  Result<WriteOutcome> PutUnit(const UnitRecord& u, const Actor& by) override {
    return InTxn<WriteOutcome>([&]() -> Result<WriteOutcome> {
      auto old = GetUnit(u.id);
      if (!old.ok()) return old.error();
      if (old->has_value() && **old == u) return WriteOutcome::kUnchanged;
      auto st = Q(old->has_value()
                      ? "UPDATE units SET credit_code=?, name_zh=?, name_en=?, province=?, city=?, "
                        "district=?, industry_code=? WHERE id=?"
                      : "INSERT INTO units (credit_code, name_zh, name_en, province, city, "
                        "district, industry_code, id) VALUES (?,?,?,?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, u.credit_code);
      s->BindText(2, u.name_zh);
      s->BindText(3, u.name_en);
      s->BindText(4, u.province);
      s->BindText(5, u.city);
      s->BindText(6, u.district);
      s->BindText(7, u.industry_code);
      s->BindText(8, u.id);
      CL_TRY(s->Step());
      CL_TRY(Audit(by, old->has_value() ? "update" : "create", "unit", u.id,
                   old->has_value() ? UnitJson(**old).dump() : "", UnitJson(u).dump(), ""));
      return old->has_value() ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
    });
  }

  Result<std::vector<UnitRecord>> ListUnits() override { return Units(""); }

  Result<std::optional<UnitRecord>> GetUnit(const std::string& id) override {
    auto all = Units(id);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<UnitRecord>();
    return std::optional<UnitRecord>(all->front());
  }

  Result<WriteOutcome> PutSite(const SiteRecord& site, const Actor& by) override {
    return InTxn<WriteOutcome>([&]() -> Result<WriteOutcome> {
      auto unit_no = UnitNo(site.unit_id);
      if (!unit_no.ok()) return unit_no.error();
      auto sites = Sites(*unit_no, site.id);
      if (!sites.ok()) return sites.error();
      std::optional<SiteRecord> old;
      if (!sites->empty()) old = sites->front();
      if (old && *old == site) return WriteOutcome::kUnchanged;
      auto st = Q(old ? "UPDATE sites SET name=?, district=?, time_zone=? WHERE unit_no=? AND id=?"
                      : "INSERT INTO sites (name, district, time_zone, unit_no, id) "
                        "VALUES (?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, site.name);
      s->BindText(2, site.district);
      s->BindText(3, site.time_zone);
      s->BindInt(4, *unit_no);
      s->BindText(5, site.id);
      CL_TRY(s->Step());
      CL_TRY(Audit(by, old ? "update" : "create", "site", site.unit_id + "/" + site.id,
                   old ? SiteJson(*old).dump() : "", SiteJson(site).dump(), ""));
      return old ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
    });
  }

  Result<std::vector<SiteRecord>> ListSites() override { return Sites(0, ""); }

  Result<WriteOutcome> PutMeter(const MeterRecord& m, const Actor& by) override {
    return InTxn<WriteOutcome>([&]() -> Result<WriteOutcome> {
      auto unit_no = UnitNo(m.unit_id);
      if (!unit_no.ok()) return unit_no.error();
      if (!m.site_id.empty()) {
        auto sites = Sites(*unit_no, m.site_id);
        if (!sites.ok()) return sites.error();
        if (sites->empty())
          return Error::NotFound("site '" + m.site_id + "' of unit '" + m.unit_id +
                                 "' does not exist");
      }
      auto old = GetMeter(m.id);
      if (!old.ok()) return old.error();
      if (old->has_value() && (*old)->SameDefinition(m)) return WriteOutcome::kUnchanged;
      if (old->has_value()) {
        const MeterRecord& o = **old;
        if (o.unit_id != m.unit_id)
          return Error::Conflict("meter '" + m.id + "' belongs to unit '" + o.unit_id +
                                 "'; a meter cannot move to another unit");
        if (o.interval != m.interval || o.kind != m.kind || o.time_zone != m.time_zone ||
            o.multiplier != m.multiplier || o.rollover != m.rollover) {
          auto has = Q("SELECT 1 FROM reading_chunks WHERE unit_no=? AND meter_no=? LIMIT 1");
          if (!has.ok()) return has.error();
          (*has)->BindInt(1, o.unit_no);
          (*has)->BindInt(2, o.meter_no);
          auto row = (*has)->Step();
          if (!row.ok()) return row.error();
          if (*row)
            return Error::Conflict(
                "meter '" + m.id +
                "' has stored readings; its interval, kind, time zone, multiplier and "
                "rollover cannot change (register a new meter from the change on)");
        }
      }
      auto st = Q(old->has_value()
                      ? "UPDATE meters SET unit_no=?, site_id=?, carrier=?, unit_of_measure=?, "
                        "reading_interval=?, kind=?, rollover=?, multiplier=?, time_zone=? "
                        "WHERE id=?"
                      : "INSERT INTO meters (unit_no, site_id, carrier, unit_of_measure, "
                        "reading_interval, kind, rollover, multiplier, time_zone, id) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindInt(1, *unit_no);
      s->BindText(2, m.site_id);
      s->BindText(3, m.carrier);
      s->BindText(4, m.unit_of_measure);
      s->BindText(5, MeterIntervalName(m.interval));
      s->BindText(6, MeterKindName(m.kind));
      if (m.rollover) {
        s->BindDouble(7, *m.rollover);
      } else {
        s->BindNull(7);
      }
      s->BindDouble(8, m.multiplier);
      s->BindText(9, m.time_zone);
      s->BindText(10, m.id);
      CL_TRY(s->Step());
      CL_TRY(Audit(by, old->has_value() ? "update" : "create", "meter", m.id,
                   old->has_value() ? MeterJson(**old).dump() : "", MeterJson(m).dump(), ""));
      return old->has_value() ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
    });
  }

  Result<std::vector<MeterRecord>> ListMeters() override { return Meters(""); }

  Result<std::optional<MeterRecord>> GetMeter(const std::string& id) override {
    auto all = Meters(id);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<MeterRecord>();
    return std::optional<MeterRecord>(all->front());
  }

  // --- batches and rejects --------------------------------------------------

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
      CL_TRY((*st)->Step());  // finish the statement (SQLite)
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
      CL_TRY(s->Step());
      if (s->Changes() != 1)
        return Error::NotFound("import batch " + std::to_string(b.id) + " does not exist");
      CL_TRY(Audit(by, "import", "batch", std::to_string(b.id), "", BatchJson(b).dump(), ""));
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
        int64_t& seq = reject_seq_[r.batch_id];
        if (seq == 0) {
          auto q = Q("SELECT COALESCE(MAX(seq), 0) FROM rejects WHERE batch_id=?");
          if (!q.ok()) return q.error();
          (*q)->BindInt(1, r.batch_id);
          CL_TRY((*q)->Step());
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
        CL_TRY(s->Step());
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

  // --- chunks -----------------------------------------------------------------

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
      CL_TRY(s->Step());
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
        CL_TRY(s->Step());
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

  // --- revisions and flags ----------------------------------------------------

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
        CL_TRY(s->Step());
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
        CL_TRY((*st)->Step());
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

  // --- activities ---------------------------------------------------------------

  Result<WriteOutcome> PutActivity(ActivityRow a, const Actor& by) override {
    return InTxn<WriteOutcome>([&]() -> Result<WriteOutcome> {
      auto unit_no = UnitNo(a.unit_id);
      if (!unit_no.ok()) return unit_no.error();
      const std::string key = a.Key();
      auto q =
          Q("SELECT id, quantity, unit_of_measure, factor, factor_unit, note, source_file, "
            "line, batch_id FROM activities WHERE unit_no=? AND key=?");
      if (!q.ok()) return q.error();
      (*q)->BindInt(1, *unit_no);
      (*q)->BindText(2, key);
      auto row = (*q)->Step();
      if (!row.ok()) return row.error();
      if (*row) {
        Statement* s = *q;
        ActivityRow old = a;
        old.id = s->Int(0);
        old.quantity = s->Double(1);
        old.unit_of_measure = s->Text(2);
        old.factor = s->IsNull(3) ? std::nullopt : std::optional<double>(s->Double(3));
        old.factor_unit = s->Text(4);
        old.note = s->Text(5);
        old.source_file = s->Text(6);
        old.line = s->Int(7);
        old.batch_id = s->Int(8);
        CL_TRY(s->Step());
        if (old.quantity == a.quantity && old.unit_of_measure == a.unit_of_measure &&
            old.factor == a.factor && old.factor_unit == a.factor_unit)
          return WriteOutcome::kUnchanged;
        auto up =
            Q("UPDATE activities SET quantity=?, unit_of_measure=?, factor=?, "
              "factor_unit=?, note=?, source_file=?, line=?, batch_id=? WHERE id=?");
        if (!up.ok()) return up.error();
        Statement* u = *up;
        u->BindDouble(1, a.quantity);
        u->BindText(2, a.unit_of_measure);
        if (a.factor) {
          u->BindDouble(3, *a.factor);
        } else {
          u->BindNull(3);
        }
        u->BindText(4, a.factor_unit);
        u->BindText(5, a.note);
        u->BindText(6, a.source_file);
        u->BindInt(7, a.line);
        u->BindInt(8, a.batch_id);
        u->BindInt(9, old.id);
        CL_TRY(u->Step());
        CL_TRY(Audit(by, "update", "activity", std::to_string(old.id), ActivityJson(old).dump(),
                     ActivityJson(a).dump(),
                     "revised by import batch " + std::to_string(a.batch_id)));
        return WriteOutcome::kUpdated;
      }
      auto st =
          Q("INSERT INTO activities (unit_no, key, site_id, meter_id, activity, quantity, "
            "unit_of_measure, period_start, period_end, data_source, instrument, "
            "instrument_ids, factor, factor_unit, note, source_file, line, batch_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindInt(1, *unit_no);
      s->BindText(2, key);
      s->BindText(3, a.site_id);
      s->BindText(4, a.meter_id);
      s->BindText(5, a.activity);
      s->BindDouble(6, a.quantity);
      s->BindText(7, a.unit_of_measure);
      s->BindText(8, a.period_start);
      s->BindText(9, a.period_end);
      s->BindText(10, a.data_source);
      s->BindText(11, a.instrument);
      s->BindText(12, a.instrument_ids);
      if (a.factor) {
        s->BindDouble(13, *a.factor);
      } else {
        s->BindNull(13);
      }
      s->BindText(14, a.factor_unit);
      s->BindText(15, a.note);
      s->BindText(16, a.source_file);
      s->BindInt(17, a.line);
      s->BindInt(18, a.batch_id);
      auto r = s->Step();
      if (!r.ok()) return r.error();
      int64_t id = s->Int(0);
      CL_TRY(s->Step());
      CL_TRY(Audit(by, "create", "activity", std::to_string(id), "", ActivityJson(a).dump(), ""));
      return WriteOutcome::kInserted;
    });
  }

  Result<std::vector<ActivityRow>> ListActivities(const std::string& unit_id) override {
    auto st =
        Q("SELECT a.id, u.id, a.site_id, a.meter_id, a.activity, a.quantity, "
          "a.unit_of_measure, a.period_start, a.period_end, a.data_source, a.instrument, "
          "a.instrument_ids, a.factor, a.factor_unit, a.note, a.source_file, a.line, "
          "a.batch_id FROM activities a JOIN units u ON u.unit_no = a.unit_no "
          "WHERE ? = '' OR u.id = ? ORDER BY u.id, a.id");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, unit_id);
    (*st)->BindText(2, unit_id);
    std::vector<ActivityRow> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      ActivityRow a;
      a.id = s->Int(0);
      a.unit_id = s->Text(1);
      a.site_id = s->Text(2);
      a.meter_id = s->Text(3);
      a.activity = s->Text(4);
      a.quantity = s->Double(5);
      a.unit_of_measure = s->Text(6);
      a.period_start = s->Text(7);
      a.period_end = s->Text(8);
      a.data_source = s->Text(9);
      a.instrument = s->Text(10);
      a.instrument_ids = s->Text(11);
      a.factor = s->IsNull(12) ? std::nullopt : std::optional<double>(s->Double(12));
      a.factor_unit = s->Text(13);
      a.note = s->Text(14);
      a.source_file = s->Text(15);
      a.line = s->Int(16);
      a.batch_id = s->Int(17);
      out.push_back(std::move(a));
    }
    return out;
  }

  // --- inventories ----------------------------------------------------------------

  Result<int64_t> CreateInventory(InventoryRecord inv, const Actor& by) override {
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      if (inv.created_at.empty()) inv.created_at = NowUtc();
      if (inv.created_by.empty()) inv.created_by = by.user;
      if (inv.supersedes != 0) {
        auto old = GetInventory(inv.supersedes);
        if (!old.ok()) return old.error();
        if (!old->has_value())
          return Error::NotFound("inventory " + std::to_string(inv.supersedes) +
                                 " to correct does not exist");
        if ((*old)->unit_id != inv.unit_id || (*old)->year != inv.year)
          return Error::InvalidInput("a correction must be of the same unit and year",
                                     {"", 0, 0, "supersedes"});
        if ((*old)->status != InventoryStatus::kDraft && inv.reason.empty())
          return Error::InvalidInput("a correction of a submitted inventory needs a reason",
                                     {"", 0, 0, "reason"});
        inv.version = (*old)->version + 1;
      }
      auto st =
          Q("INSERT INTO inventories (unit_id, year, methodology, pins, status, version, "
            "supersedes, document, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?) "
            "RETURNING id");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, inv.unit_id);
      s->BindInt(2, inv.year);
      s->BindText(3, inv.methodology);
      s->BindText(4, inv.pins);
      s->BindText(5, InventoryStatusName(InventoryStatus::kDraft));
      s->BindInt(6, inv.version);
      s->BindInt(7, inv.supersedes);
      s->BindText(8, inv.document);
      s->BindText(9, inv.created_at);
      s->BindText(10, inv.created_by);
      auto r = s->Step();
      if (!r.ok()) return r.error();
      int64_t id = s->Int(0);
      CL_TRY(s->Step());
      json after = {{"unit_id", inv.unit_id},
                    {"year", inv.year},
                    {"methodology", inv.methodology},
                    {"pins", inv.pins},
                    {"version", inv.version},
                    {"supersedes", inv.supersedes},
                    {"document_sha256", Sha256Hex(inv.document)}};
      CL_TRY(Audit(by, inv.supersedes ? "correct" : "create", "inventory", std::to_string(id), "",
                   after.dump(), inv.reason));
      return id;
    });
  }

  Result<std::optional<InventoryRecord>> GetInventory(int64_t id) override {
    auto all = Inventories("", id);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<InventoryRecord>();
    return std::optional<InventoryRecord>(std::move(all->front()));
  }
  Result<std::optional<InventoryRecord>> GetInventoryHead(int64_t id) override {
    auto all = Inventories("", id, /*with_document=*/false);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<InventoryRecord>();
    return std::optional<InventoryRecord>(std::move(all->front()));
  }
  Result<std::vector<InventoryRecord>> ListInventories(const std::string& unit_id) override {
    return Inventories(unit_id, 0);
  }

  Status SetInventoryStatus(int64_t id, InventoryStatus to, const Actor& by,
                            const std::string& reason) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto inv = GetInventory(id);
      if (!inv.ok()) return inv.error();
      if (!inv->has_value())
        return Error::NotFound("inventory " + std::to_string(id) + " does not exist");
      InventoryStatus from = (*inv)->status;
      if (!InventoryTransitionAllowed(from, to))
        return Error::Conflict(std::string("inventory ") + std::to_string(id) + " is " +
                               InventoryStatusName(from) + "; it cannot become " +
                               InventoryStatusName(to));
      auto st = Q("UPDATE inventories SET status=? WHERE id=? AND status=?");
      if (!st.ok()) return st.error();
      (*st)->BindText(1, InventoryStatusName(to));
      (*st)->BindInt(2, id);
      (*st)->BindText(3, InventoryStatusName(from));
      CL_TRY((*st)->Step());
      if ((*st)->Changes() != 1)
        return Error::Conflict("inventory " + std::to_string(id) + " changed meanwhile");
      if (to == InventoryStatus::kVerified || to == InventoryStatus::kReturned) {
        auto rv =
            Q("INSERT INTO inventory_reviews (inventory_id, reviewer, decision, opinion, at) "
              "VALUES (?,?,?,?,?)");
        if (!rv.ok()) return rv.error();
        (*rv)->BindInt(1, id);
        (*rv)->BindText(2, by.user);
        (*rv)->BindText(3, InventoryStatusName(to));
        (*rv)->BindText(4, reason);
        (*rv)->BindText(5, NowUtc());
        CL_TRY((*rv)->Step());
      }
      CL_TRY(Audit(by, "status", "inventory", std::to_string(id),
                   json{{"status", InventoryStatusName(from)}}.dump(),
                   json{{"status", InventoryStatusName(to)}}.dump(), reason));
      return Ok{};
    });
  }

  Result<std::vector<ReviewRecord>> ListReviews(int64_t inventory_id) override {
    auto st =
        Q("SELECT id, inventory_id, reviewer, decision, opinion, at FROM inventory_reviews "
          "WHERE inventory_id=? ORDER BY id");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, inventory_id);
    std::vector<ReviewRecord> out;
    CL_TRY(EachRow(*st, [&](Statement* r) {
      out.push_back({r->Int(0), r->Int(1), r->Text(2), r->Text(3), r->Text(4), r->Text(5)});
    }));
    return out;
  }

  Result<std::vector<InventoryRecord>> ListInventorySummaries() override {
    auto st =
        Q("SELECT id, unit_id, year, methodology, pins, status, version, supersedes, "
          "created_at, created_by FROM inventories ORDER BY id");
    if (!st.ok()) return st.error();
    std::vector<InventoryRecord> out;
    Status bad = Ok{};
    CL_TRY(EachRow(*st, [&](Statement* r) {
      InventoryRecord i;
      i.id = r->Int(0);
      i.unit_id = r->Text(1);
      i.year = static_cast<int>(r->Int(2));
      i.methodology = r->Text(3);
      i.pins = r->Text(4);
      auto status = ParseInventoryStatus(r->Text(5));
      if (!status.ok()) bad = status.error();
      i.status = status.ok() ? *status : InventoryStatus::kDraft;
      i.version = static_cast<int>(r->Int(6));
      i.supersedes = r->Int(7);
      i.created_at = r->Text(8);
      i.created_by = r->Text(9);
      out.push_back(std::move(i));
    }));
    if (!bad.ok()) return bad.error();
    return out;
  }

  // --- published dataset versions -----------------------------------------------

  Status AddDatasetVersion(const DatasetVersionRecord& r, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st =
          Q("INSERT INTO dataset_versions (dataset, version, title, published, notes, rows_csv, "
            "added_at, added_by) VALUES (?,?,?,?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, r.dataset);
      s->BindText(2, r.version);
      s->BindText(3, r.title);
      s->BindText(4, r.published);
      s->BindText(5, r.notes);
      s->BindText(6, r.rows_csv);
      s->BindText(7, NowUtc());
      s->BindText(8, by.user);
      if (auto row = s->Step(); !row.ok()) {
        if (row.error().kind() == ErrorKind::kConflict)
          return Error::Conflict("dataset " + r.dataset + " version " + r.version +
                                 " is already published; a change is a new version");
        return row.error();
      }
      CL_TRY(Audit(by, "publish", "dataset", r.dataset + "/" + r.version, "",
                   json{{"title", r.title},
                        {"published", r.published},
                        {"notes", r.notes},
                        {"rows_sha256", Sha256Hex(r.rows_csv)}}
                       .dump(),
                   ""));
      return Ok{};
    });
  }

  Result<std::vector<DatasetVersionRecord>> ListDatasetVersions() override {
    auto st =
        Q("SELECT dataset, version, title, published, notes, rows_csv, added_at, added_by FROM "
          "dataset_versions ORDER BY dataset, version");
    if (!st.ok()) return st.error();
    std::vector<DatasetVersionRecord> out;
    CL_TRY(EachRow(*st, [&](Statement* r) {
      out.push_back({r->Text(0), r->Text(1), r->Text(2), r->Text(3), r->Text(4), r->Text(5),
                     r->Text(6), r->Text(7)});
    }));
    return out;
  }

  // --- consents and assignments ------------------------------------------------

  Result<int64_t> CreateConsent(const ConsentRecord& c, const Actor& by) override {
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      auto unit = GetUnit(c.unit_id);
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
      CL_TRY(s->Step());
      CL_TRY(Audit(by, "create", "consent", std::to_string(id), "",
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
    auto st =
        Q("SELECT id, unit_id, bank, scopes, year_from, year_to, expires_at, revoked_at, "
          "created_at, created_by FROM consents ORDER BY id");
    if (!st.ok()) return st.error();
    std::vector<ConsentRecord> out;
    CL_TRY(EachRow(*st, [&](Statement* r) {
      ConsentRecord c;
      c.id = r->Int(0);
      c.unit_id = r->Text(1);
      c.bank = r->Text(2);
      std::string scopes = r->Text(3);
      for (size_t at = 0; at < scopes.size();) {
        size_t comma = scopes.find(',', at);
        if (comma == std::string::npos) comma = scopes.size();
        c.scopes.push_back(scopes.substr(at, comma - at));
        at = comma + 1;
      }
      c.year_from = static_cast<int>(r->Int(4));
      c.year_to = static_cast<int>(r->Int(5));
      c.expires_at = r->Int(6);
      if (!r->IsNull(7)) c.revoked_at = r->Int(7);
      c.created_at = r->Text(8);
      c.created_by = r->Text(9);
      out.push_back(std::move(c));
    }));
    return out;
  }

  Status RevokeConsent(int64_t id, int64_t at, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st = Q("UPDATE consents SET revoked_at=? WHERE id=? AND revoked_at IS NULL");
      if (!st.ok()) return st.error();
      (*st)->BindInt(1, at);
      (*st)->BindInt(2, id);
      CL_TRY((*st)->Step());
      if ((*st)->Changes() != 1) return Error::NotFound("no active consent " + std::to_string(id));
      CL_TRY(Audit(by, "revoke", "consent", std::to_string(id),
                   json{{"revoked_at", nullptr}}.dump(), json{{"revoked_at", at}}.dump(), ""));
      return Ok{};
    });
  }

  Status AssignVerifier(const AssignmentRecord& a, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto unit = GetUnit(a.unit_id);
      if (!unit.ok()) return unit.error();
      if (!unit->has_value()) return Error::NotFound("unit '" + a.unit_id + "' does not exist");
      auto user = GetUser(a.verifier);
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
      CL_TRY((*st)->Step());
      CL_TRY(Audit(by, before.empty() ? "create" : "update", "assignment",
                   a.unit_id + "/" + std::to_string(a.year), before,
                   json{{"verifier", a.verifier}}.dump(), ""));
      return Ok{};
    });
  }

  Result<std::vector<AssignmentRecord>> ListAssignments() override {
    auto st =
        Q("SELECT unit_id, year, verifier, assigned_at, assigned_by FROM verifier_assignments "
          "ORDER BY unit_id, year");
    if (!st.ok()) return st.error();
    std::vector<AssignmentRecord> out;
    CL_TRY(EachRow(*st, [&](Statement* r) {
      out.push_back({r->Text(0), static_cast<int>(r->Int(1)), r->Text(2), r->Text(3), r->Text(4)});
    }));
    return out;
  }

  // --- mapping profiles ---------------------------------------------------------

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
      CL_TRY((*st)->Step());
      CL_TRY(Audit(by, old->has_value() ? "update" : "create", "mapping_profile", name,
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

  // --- identity -------------------------------------------------------------------

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
      CL_TRY(s->Step());
      CL_TRY(Audit(by, "create", "user", u.login, "",
                   json{{"login", u.login},
                        {"display_name", u.display_name},
                        {"role", u.role},
                        {"organisation", u.organisation}}
                       .dump(),
                   ""));
      if (!u.units.empty()) CL_TRY(SetUserUnitsInTxn(id, u.login, u.units, by));
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
      CL_TRY((*st)->Step());
      if ((*st)->Changes() != 1)
        return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
      CL_TRY(Audit(by, "password", "user", std::to_string(user_id), "", "", "password changed"));
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
      CL_TRY((*st)->Step());
      CL_TRY(Audit(by, success ? "sign_in" : "sign_in_failed", "user", std::to_string(user_id), "",
                   json{{"failed_logins", failed_logins}, {"locked_until", locked_until}}.dump(),
                   ""));
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
      CL_TRY(s->Step());
      CL_TRY(Audit(by, "create", "api_token", std::to_string(id), "",
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

  Result<std::optional<ApiTokenRecord>> GetApiToken(int64_t id) override {
    auto all = Tokens("id=?", [&](Statement* s) { s->BindInt(1, id); });
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<ApiTokenRecord>();
    return std::optional<ApiTokenRecord>(all->front());
  }

  Result<std::vector<ApiTokenRecord>> ListApiTokens(int64_t user_id) override {
    return Tokens("user_id=?", [&](Statement* s) { s->BindInt(1, user_id); });
  }

  Status RevokeApiToken(int64_t id, int64_t at, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto st = Q("UPDATE api_tokens SET revoked_at=? WHERE id=? AND revoked_at IS NULL");
      if (!st.ok()) return st.error();
      (*st)->BindInt(1, at);
      (*st)->BindInt(2, id);
      CL_TRY((*st)->Step());
      if ((*st)->Changes() != 1)
        return Error::NotFound("no active API token " + std::to_string(id));
      CL_TRY(Audit(by, "revoke", "api_token", std::to_string(id), "", "", ""));
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
      CL_TRY(s->Step());
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
      CL_TRY((*st)->Step());
      return Ok{};
    });
  }

  // --- audit ------------------------------------------------------------------------

  Status AppendAudit(AuditEntry e) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto head = Q(pg() ? "SELECT seq, hash FROM audit_head WHERE id=1 FOR UPDATE"
                         : "SELECT seq, hash FROM audit_head WHERE id=1");
      if (!head.ok()) return head.error();
      auto row = (*head)->Step();
      if (!row.ok()) return row.error();
      if (!*row) return Error(ErrorKind::kInternal, "audit_head row is missing");
      e.seq = (*head)->Int(0) + 1;
      e.prev_hash = (*head)->Text(1);
      CL_TRY((*head)->Step());
      if (e.at.empty()) e.at = NowUtc();
      e.hash = Sha256Hex(AuditPayload(e));
      auto st =
          Q("INSERT INTO audit_log (seq, recorded_at, actor, origin, action, entity, "
            "entity_id, before_json, after_json, reason, prev_hash, hash) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindInt(1, e.seq);
      s->BindText(2, e.at);
      s->BindText(3, e.actor);
      s->BindText(4, e.origin);
      s->BindText(5, e.action);
      s->BindText(6, e.entity);
      s->BindText(7, e.entity_id);
      s->BindText(8, e.before);
      s->BindText(9, e.after);
      s->BindText(10, e.reason);
      s->BindText(11, e.prev_hash);
      s->BindText(12, e.hash);
      CL_TRY(s->Step());
      auto up = Q("UPDATE audit_head SET seq=?, hash=? WHERE id=1");
      if (!up.ok()) return up.error();
      (*up)->BindInt(1, e.seq);
      (*up)->BindText(2, e.hash);
      CL_TRY((*up)->Step());
      return Ok{};
    });
  }

  Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int limit) override {
    auto st =
        Q("SELECT seq, recorded_at, actor, origin, action, entity, entity_id, before_json, "
          "after_json, reason, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq "
          "LIMIT ?");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, after_seq);
    (*st)->BindInt(2, limit);
    std::vector<AuditEntry> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({s->Int(0), s->Text(1), s->Text(2), s->Text(3), s->Text(4), s->Text(5),
                     s->Text(6), s->Text(7), s->Text(8), s->Text(9), s->Text(10), s->Text(11)});
    }
    return out;
  }

  Result<AuditCheck> VerifyAudit() override {
    AuditCheck check;
    std::string prev;
    int64_t expected = 1;
    int64_t after = 0;
    for (;;) {
      auto page = ListAudit(after, 10000);
      if (!page.ok()) return page.error();
      if (page->empty()) break;
      for (const auto& e : *page) {
        ++check.entries;
        std::string where = "audit entry " + std::to_string(e.seq);
        if (e.seq != expected)
          check.problems.push_back("audit entry " + std::to_string(expected) +
                                   " is missing (next is " + std::to_string(e.seq) + ")");
        if (e.prev_hash != prev)
          check.problems.push_back(where +
                                   ": does not follow the entry before it (removed, "
                                   "inserted or reordered entries)");
        if (Sha256Hex(AuditPayload(e)) != e.hash)
          check.problems.push_back(where + ": its content does not match its hash (edited)");
        prev = e.hash;
        expected = e.seq + 1;
        after = e.seq;
      }
    }
    auto head = Q("SELECT seq, hash FROM audit_head WHERE id=1");
    if (!head.ok()) return head.error();
    auto row = (*head)->Step();
    if (!row.ok()) return row.error();
    if (!*row) {
      check.problems.push_back("the audit head is missing");
    } else if ((*head)->Int(0) != after || (*head)->Text(1) != prev) {
      check.problems.push_back("the last " + std::to_string((*head)->Int(0) - after) +
                               " audit entries are missing (the head is at entry " +
                               std::to_string((*head)->Int(0)) + ")");
    }
    if (*row) CL_TRY((*head)->Step());
    return check;
  }

 private:
  bool pg() const { return db_->dialect() == Dialect::kPostgres; }

  // A prepared statement that is reset when it goes out of scope, so that no
  // half-read query keeps an old snapshot open (SQLite WAL) or a result alive.
  class Guard {
   public:
    explicit Guard(Statement* s) : s_(s) {}
    Guard(Guard&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
    Guard& operator=(Guard&&) = delete;
    ~Guard() {
      if (s_) s_->Reset();
    }
    Statement* operator->() const { return s_; }
    operator Statement*() const { return s_; }  // NOLINT(google-explicit-constructor)

   private:
    Statement* s_;
  };

  Result<Guard> Q(const std::string& sql) {
    auto st = db_->Prepare(sql);
    if (!st.ok()) return st.error();
    if (in_read_ && (*st)->Writes())
      return Error(ErrorKind::kInternal, "a write inside a read-only transaction");
    return Guard(*st);
  }

  // Runs f in the open transaction, or in one of its own.
  template <typename T, typename F>
  Result<T> InTxn(F&& f) {
    if (in_txn_) return f();
    CL_TRY(Begin());
    Result<T> r = f();
    if (!r.ok()) {
      Rollback();
      return r;
    }
    auto c = Commit();
    if (!c.ok()) return c.error();
    return r;
  }

  Status ApplyMigrations() {
    auto v = SchemaVersion();
    if (!v.ok()) return v.error();
    for (const auto& m : sql::Migrations(db_->dialect())) {
      if (m.version <= *v) continue;
      CL_TRY(Begin());
      // Another process may have applied it while we waited for the lock.
      auto now = SchemaVersion();
      if (!now.ok() || *now >= m.version) {
        Rollback();
        if (!now.ok()) return now.error();
        continue;
      }
      auto run = db_->Exec(m.sql);
      if (!run.ok()) {
        Rollback();
        return Error::Io("migration " + std::to_string(m.version) + " (" + m.name +
                         ") failed: " + run.error().message());
      }
      auto st = Q("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?,?,?)");
      if (!st.ok()) {
        Rollback();
        return st.error();
      }
      (*st)->BindInt(1, m.version);
      (*st)->BindText(2, m.name);
      (*st)->BindText(3, NowUtc());
      auto r = (*st)->Step();
      if (!r.ok()) {
        Rollback();
        return r.error();
      }
      CL_TRY(Commit());
    }
    return Ok{};
  }

  Status Audit(const Actor& by, std::string action, std::string entity, std::string id,
               std::string before, std::string after, std::string reason) {
    AuditEntry e;
    e.actor = by.user;
    e.origin = by.origin;
    e.action = std::move(action);
    e.entity = std::move(entity);
    e.entity_id = std::move(id);
    e.before = std::move(before);
    e.after = std::move(after);
    e.reason = std::move(reason);
    return AppendAudit(std::move(e));
  }

  Result<int64_t> UnitNo(const std::string& id) {
    auto st = Q("SELECT unit_no FROM units WHERE id=?");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, id);
    auto row = (*st)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Error::NotFound("unit '" + id + "' does not exist");
    int64_t no = (*st)->Int(0);
    CL_TRY((*st)->Step());
    return no;
  }

  Result<std::vector<UnitRecord>> Units(const std::string& id) {
    auto st =
        Q("SELECT id, credit_code, name_zh, name_en, province, city, district, "
          "industry_code FROM units WHERE ? = '' OR id = ? ORDER BY id");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, id);
    (*st)->BindText(2, id);
    std::vector<UnitRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({s->Text(0), s->Text(1), s->Text(2), s->Text(3), s->Text(4), s->Text(5),
                     s->Text(6), s->Text(7)});
    }
    return out;
  }

  Result<std::vector<SiteRecord>> Sites(int64_t unit_no, const std::string& id) {
    auto st =
        Q("SELECT s.id, u.id, s.name, s.district, s.time_zone FROM sites s "
          "JOIN units u ON u.unit_no = s.unit_no WHERE (? = 0 OR s.unit_no = ?) "
          "AND (? = '' OR s.id = ?) ORDER BY u.id, s.id");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, unit_no);
    (*st)->BindInt(2, unit_no);
    (*st)->BindText(3, id);
    (*st)->BindText(4, id);
    std::vector<SiteRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({s->Text(0), s->Text(1), s->Text(2), s->Text(3), s->Text(4)});
    }
    return out;
  }

  Result<std::vector<MeterRecord>> Meters(const std::string& id) {
    auto st =
        Q("SELECT m.id, u.id, m.site_id, m.carrier, m.unit_of_measure, m.reading_interval, "
          "m.kind, m.rollover, m.multiplier, m.time_zone, m.meter_no, m.unit_no "
          "FROM meters m JOIN units u ON u.unit_no = m.unit_no "
          "WHERE ? = '' OR m.id = ? ORDER BY m.id");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, id);
    (*st)->BindText(2, id);
    std::vector<MeterRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      MeterRecord m;
      m.id = s->Text(0);
      m.unit_id = s->Text(1);
      m.site_id = s->Text(2);
      m.carrier = s->Text(3);
      m.unit_of_measure = s->Text(4);
      auto interval = ParseMeterInterval(s->Text(5));
      auto kind = ParseMeterKind(s->Text(6));
      if (!interval.ok() || !kind.ok())
        return Error(ErrorKind::kInternal, "meter '" + m.id + "' has a corrupt definition");
      m.interval = *interval;
      m.kind = *kind;
      if (!s->IsNull(7)) m.rollover = s->Double(7);
      m.multiplier = s->Double(8);
      m.time_zone = s->Text(9);
      m.meter_no = s->Int(10);
      m.unit_no = s->Int(11);
      out.push_back(std::move(m));
    }
    return out;
  }

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

  Result<std::vector<InventoryRecord>> Inventories(const std::string& unit_id, int64_t id,
                                                   bool with_document = true) {
    // One statement per shape, so that each uses its index (an "x = ? OR
    // ? = 0" condition would scan every document).
    const std::string columns =
        std::string("SELECT id, unit_id, year, methodology, pins, status, version, supersedes, ") +
        (with_document ? "document" : "''") + ", created_at, created_by FROM inventories ";
    auto st = id != 0           ? Q(columns + "WHERE id = ?")
              : unit_id.empty() ? Q(columns + "ORDER BY id")
                                : Q(columns + "WHERE unit_id = ? ORDER BY id");
    if (!st.ok()) return st.error();
    if (id != 0)
      (*st)->BindInt(1, id);
    else if (!unit_id.empty())
      (*st)->BindText(1, unit_id);
    std::vector<InventoryRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      InventoryRecord r;
      r.id = s->Int(0);
      r.unit_id = s->Text(1);
      r.year = static_cast<int>(s->Int(2));
      r.methodology = s->Text(3);
      r.pins = s->Text(4);
      auto status = ParseInventoryStatus(s->Text(5));
      if (!status.ok()) return status.error();
      r.status = *status;
      r.version = static_cast<int>(s->Int(6));
      r.supersedes = s->Int(7);
      r.document = s->Text(8);
      r.created_at = s->Text(9);
      r.created_by = s->Text(10);
      out.push_back(std::move(r));
    }
    return out;
  }

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
    CL_TRY(s->Step());
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
      auto exists = GetUnit(unit);
      if (!exists.ok()) return exists.error();
      if (!exists->has_value()) return Error::NotFound("unit '" + unit + "' does not exist");
    }
    auto del = Q("DELETE FROM user_units WHERE user_id=?");
    if (!del.ok()) return del.error();
    (*del)->BindInt(1, user_id);
    CL_TRY((*del)->Step());
    for (const auto& unit : units) {
      auto st = Q("INSERT INTO user_units (user_id, unit_id) VALUES (?,?)");
      if (!st.ok()) return st.error();
      (*st)->BindInt(1, user_id);
      (*st)->BindText(2, unit);
      CL_TRY((*st)->Step());
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
      CL_TRY(s->Step());
    }
    return Ok{};
  }

  std::unique_ptr<Db> db_;
  bool in_txn_ = false;
  bool in_read_ = false;
  std::unordered_map<int64_t, int64_t> reject_seq_;
};

}  // namespace

bool IsPostgresTarget(const std::string& target) {
  return target.starts_with("postgresql://") || target.starts_with("postgres://") ||
         target.find("dbname=") != std::string::npos || target.find("host=") != std::string::npos;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& target, const StoreOptions& options) {
  if (sodium_init() < 0) return Error(ErrorKind::kInternal, "libsodium failed to initialise");
  auto db = IsPostgresTarget(target) ? sql::OpenPostgres(target)
                                     : sql::OpenSqlite(target, options.sqlite_cache_mib);
  if (!db.ok()) return db.error();
  auto store = std::make_unique<SqlStore>(std::move(*db));
  auto m = store->Migrate();
  if (!m.ok()) return m.error();
  return std::unique_ptr<Store>(std::move(store));
}

std::string DefaultStoreTarget() {
  const char* home = std::getenv("CARBONLEDGER_HOME");
  std::filesystem::path dir =
      home && *home ? std::filesystem::path(home) : std::filesystem::path(".");
  return (dir / "carbonledger.db").string();
}

std::string NowUtc() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return FormatInstant(now);
}

}  // namespace cl
