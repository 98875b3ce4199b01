// The connection and transaction state under one SQL store.
#include "sql_session.h"

#include "core/timestamp.h"
#include "migrations.h"

namespace cl::sql {

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
  auto st = Q("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!st.ok()) return st.error();
  auto row = (*st)->Step();
  if (!row.ok()) return row.error();
  return static_cast<int>((*st)->Int(0));
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
  auto st = Q(sql);
  if (!st.ok()) return st.error();
  auto row = (*st)->Step();
  if (!row.ok()) return row.error();
  return Ok{};
}

Result<Statement*> Session::Prepared(const std::string& sql) {
  CL_ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  if (in_read_ && st->Writes()) return Error::Internal("a write inside a read-only transaction");
  return st;
}

Status Session::AppendAudit(AuditEntry e) {
  return InTxn<Ok>([&]() -> Result<Ok> {
    auto head = Q(pg() ? "SELECT seq, hash FROM audit_head WHERE id=1 FOR UPDATE"
                       : "SELECT seq, hash FROM audit_head WHERE id=1");
    if (!head.ok()) return head.error();
    auto row = (*head)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Error::Internal("audit_head row is missing");
    e.seq = (*head)->Int(0) + 1;
    e.prev_hash = (*head)->Text(1);
    CL_RETURN_IF_ERROR((*head)->Step());
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
    CL_RETURN_IF_ERROR(s->Step());
    auto up = Q("UPDATE audit_head SET seq=?, hash=? WHERE id=1");
    if (!up.ok()) return up.error();
    (*up)->BindInt(1, e.seq);
    (*up)->BindText(2, e.hash);
    CL_RETURN_IF_ERROR((*up)->Step());
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
  auto st = Q("SELECT unit_no FROM units WHERE id=?");
  if (!st.ok()) return st.error();
  (*st)->BindText(1, id);
  auto row = (*st)->Step();
  if (!row.ok()) return row.error();
  if (!*row) return Error::NotFound("unit '" + id + "' does not exist");
  int64_t no = (*st)->Int(0);
  CL_RETURN_IF_ERROR((*st)->Step());
  return no;
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
    CL_RETURN_IF_ERROR(Commit());
  }
  return Ok{};
}

}  // namespace cl::sql
