// Inside the SQL store (private to src/store): one connection and its
// transaction state (Session), shared by the repositories of one Store, and
// the helpers their queries use. Not thread-safe: a Session belongs to one
// Store, which one thread uses at a time.
#pragma once

#include <sodium.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/timestamp.h"
#include "db.h"
#include "store/audit_payload.h"
#include "store/store.h"

namespace cl::sql {

using json = nlohmann::ordered_json;

template <typename F>
Status EachRow(Statement* st, F&& f) {
  for (;;) {
    auto row = st->Step();
    if (!row.ok()) return row.error();
    if (!*row) return Ok{};
    f(st);
  }
}

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

class Session {
 public:
  explicit Session(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Dialect dialect() const { return db_->dialect(); }
  bool pg() const { return db_->dialect() == Dialect::kPostgres; }
  Db& db() { return *db_; }
  // The Store these repositories belong to, for a repository that reads
  // another's records in the same transaction.
  Store& store() { return *store_; }
  void set_store(Store* store) { store_ = store; }

  Status Migrate();
  Result<int> SchemaVersion();
  Status Begin();
  Status Commit();
  void Rollback();
  Status BeginRead();
  // One statement without rows; on SQLite prepared once per connection (a
  // read request begins and ends a transaction every time).
  Status Run(const char* sql);
  bool in_txn() const { return in_txn_; }

  // A prepared statement that is reset when it goes out of scope, so that no
  // half-read query keeps an old snapshot open (SQLite WAL) or a result alive.
  Result<Guard> Q(const std::string& sql);

  // Runs f in the open transaction, or in one of its own.
  // Runs f in the open transaction, or in one of its own.
  template <typename T, typename F>
  Result<T> InTxn(F&& f) {
    if (in_txn_) return f();
    CL_RETURN_IF_ERROR(Begin());
    Result<T> r = f();
    if (!r.ok()) {
      Rollback();
      return r;
    }
    auto c = Commit();
    if (!c.ok()) return c.error();
    return r;
  }

  Status AppendAudit(AuditEntry e);
  Status Audit(const Actor& by, std::string action, std::string entity, std::string id,
               std::string before, std::string after, std::string reason);
  Result<int64_t> UnitNo(const std::string& id);

  // The next sequence number of a batch's rejects within this transaction.
  int64_t& RejectSeq(int64_t batch_id) { return reject_seq_[batch_id]; }

 private:
  Status ApplyMigrations();

  std::unique_ptr<Db> db_;
  Store* store_ = nullptr;
  bool in_txn_ = false;
  bool in_read_ = false;
  std::unordered_map<int64_t, int64_t> reject_seq_;  // batch id -> last reject seq
};

// The session's helpers under the names the repositories' queries use.
class Part {
 protected:
  explicit Part(Session& session) : s_(session) {}
  bool pg() const { return s_.pg(); }
  Result<Guard> Q(const std::string& sql) { return s_.Q(sql); }
  template <typename T, typename F>
  Result<T> InTxn(F&& f) {
    return s_.InTxn<T>(std::forward<F>(f));
  }
  Status Audit(const Actor& by, std::string action, std::string entity, std::string id,
               std::string before, std::string after, std::string reason) {
    return s_.Audit(by, std::move(action), std::move(entity), std::move(id), std::move(before),
                    std::move(after), std::move(reason));
  }
  Result<int64_t> UnitNo(const std::string& id) { return s_.UnitNo(id); }
  Session& s_;
};

std::unique_ptr<RegistryRepository> MakeSqlRegistry(Session& session);
std::unique_ptr<ImportsRepository> MakeSqlImports(Session& session);
std::unique_ptr<ReadingsRepository> MakeSqlReadings(Session& session);
std::unique_ptr<ActivitiesRepository> MakeSqlActivities(Session& session);
std::unique_ptr<InventoriesRepository> MakeSqlInventories(Session& session);
std::unique_ptr<DatasetsRepository> MakeSqlDatasets(Session& session);
std::unique_ptr<AccessRepository> MakeSqlAccess(Session& session);
std::unique_ptr<IdentityRepository> MakeSqlIdentity(Session& session);
std::unique_ptr<AuditRepository> MakeSqlAudit(Session& session);
std::unique_ptr<FiguresRepository> MakeSqlFigures(Session& session);

}  // namespace cl::sql
