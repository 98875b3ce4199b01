// The connection and transaction state under one SQL store.
#include "sql_session.h"

#include "core/timestamp.h"
#include "migrations.h"

namespace cl::sql {
namespace {

// Notes migration m as applied, in the open transaction.
Status RecordMigration(Session& s, const Migration& m) {
  CL_ASSIGN_OR_RETURN(auto q, s.Q("INSERT INTO schema_migrations (version, name, applied_at) "
                                  "VALUES (?,?,?)",
                                  m.version, m.name, NowUtc()));
  CL_RETURN_IF_ERROR(q.Run());
  return Ok{};
}

}  // namespace

Status Session::Migrate() {
  CL_RETURN_IF_ERROR(
      db_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  // One process migrates at a time.
  if (pg()) CL_RETURN_IF_ERROR(db_->Exec("SELECT pg_advisory_lock(4242001)"));
  Status result = ApplyMigrations();
  if (pg()) (void)db_->Exec("SELECT pg_advisory_unlock(4242001)");
  return result;
}

Result<int> Session::SchemaVersion() {
  CL_ASSIGN_OR_RETURN(auto q, Q("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  CL_ASSIGN_OR_RETURN(auto version, q.First([](Row& r) { return r.Int32(); }));
  return version.value_or(0);  // an aggregate: always a row
}

Status Session::Begin() {
  if (in_txn_) return Error::Internal("a transaction is already open");
  if (in_read_) return Error::Internal("a write inside a read-only transaction");
  // One writer at a time on both stores: SQLite's IMMEDIATE takes the write
  // lock; on PostgreSQL a transaction-scoped advisory lock does the same,
  // so two imports never merge into the same chunk at once.
  CL_RETURN_IF_ERROR(
      db_->Exec(pg() ? "BEGIN; SELECT pg_advisory_xact_lock(4242002)" : "BEGIN IMMEDIATE"));
  in_txn_ = true;
  return Ok{};
}

Status Session::Commit() {
  if (!in_txn_) return Error::Internal("no transaction to commit");
  auto st = db_->Exec("COMMIT");
  if (!st.ok()) {
    Rollback();  // leave no transaction open behind a failed commit
    return st;
  }
  in_txn_ = false;
  reject_seq_.clear();
  data_changes_.clear();
  return st;
}

void Session::Rollback() {
  if (in_read_) {
    in_read_ = false;
    // Nothing to keep or discard: ends the snapshot. Should that fail, no
    // transaction may stay open on a connection that goes back to the pool.
    if (!Run("COMMIT").ok()) (void)db_->Exec("ROLLBACK");
  }
  if (!in_txn_) return;
  in_txn_ = false;
  reject_seq_.clear();
  data_changes_.clear();
  (void)db_->Exec("ROLLBACK");
}

Status Session::BeginRead() {
  if (in_txn_ || in_read_) return Error::Internal("a transaction is already open");
  CL_RETURN_IF_ERROR(
      Run(pg() ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN DEFERRED"));
  in_read_ = true;
  return Ok{};
}

// One statement without rows; on SQLite prepared once per connection (a
// read request begins and ends a transaction every time).
Status Session::Run(const char* sql) {
  if (pg()) return db_->Exec(sql);
  CL_ASSIGN_OR_RETURN(auto q, Q(sql));
  CL_RETURN_IF_ERROR(q.Run());
  return Ok{};
}

Result<Statement*> Session::Prepared(const std::string& sql) {
  CL_ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  if (in_read_ && st->Writes()) return Error::Internal("a write inside a read-only transaction");
  return st;
}

Status Session::AppendAudit(AuditEntry e) {
  return InTxn<Ok>([&]() -> Result<Ok> {
    {
      CL_ASSIGN_OR_RETURN(auto q, Q(pg() ? "SELECT seq, hash FROM audit_head WHERE id=1 FOR UPDATE"
                                         : "SELECT seq, hash FROM audit_head WHERE id=1"));
      CL_ASSIGN_OR_RETURN(auto head, q.First([](Row& r) {
        return std::pair<int64_t, std::string>{r.Int(), r.Text()};
      }));
      if (!head) return Error::Internal("audit_head row is missing");
      e.seq = head->first + 1;
      e.prev_hash = head->second;
    }
    if (e.at.empty()) e.at = NowUtc();
    e.hash = Sha256Hex(AuditPayload(e));
    {
      CL_ASSIGN_OR_RETURN(auto q, Q("INSERT INTO audit_log (seq, recorded_at, actor, origin, "
                                    "action, entity, entity_id, before_json, after_json, reason, "
                                    "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                                    e.seq, e.at, e.actor, e.origin, e.action, e.entity, e.entity_id,
                                    e.before, e.after, e.reason, e.prev_hash, e.hash));
      CL_RETURN_IF_ERROR(q.Run());
    }
    CL_ASSIGN_OR_RETURN(auto q, Q("UPDATE audit_head SET seq=?, hash=? WHERE id=1", e.seq, e.hash));
    CL_RETURN_IF_ERROR(q.Run());
    return Ok{};
  });
}

Status Session::Audit(const Actor& by, std::string action, std::string entity, std::string id,
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

Result<int64_t> Session::UnitNo(const std::string& id) {
  CL_ASSIGN_OR_RETURN(auto q, Q("SELECT unit_no FROM units WHERE id=?", id));
  CL_ASSIGN_OR_RETURN(auto no, q.First([](Row& r) { return r.Int(); }));
  if (!no) return Error::NotFound("unit '" + id + "' does not exist");
  return *no;
}

Status Session::ApplyMigrations() {
  auto v = SchemaVersion();
  if (!v.ok()) return v.error();
  for (const auto& m : sql::Migrations(db_->dialect())) {
    if (m.version <= *v) continue;
    CL_RETURN_IF_ERROR(Begin());
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
                       ") failed: " + run.error().ToString());
    }
    if (auto recorded = RecordMigration(*this, m); !recorded.ok()) {
      Rollback();
      return recorded;
    }
    CL_RETURN_IF_ERROR(Commit());
  }
  return Ok{};
}

}  // namespace cl::sql
