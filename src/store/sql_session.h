// Inside the SQL store (private to src/store): one connection and its
// transaction state (Session), shared by the repositories of one Store, and
// the helpers their queries use. Not thread-safe: a Session belongs to one
// Store, which one thread uses at a time.
#pragma once

#include <sodium.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/timestamp.h"
#include "db.h"
#include "store/audit_payload.h"
#include "store/store.h"

namespace cl::sql {

using json = nlohmann::ordered_json;

// The columns of the current row, read left to right:
//   out.push_back({r.Text(), r.Int(), r.OptDouble()});
// (a braced list is evaluated in order).
class Row {
 public:
  explicit Row(Statement* s) : s_(s) {}
  std::string Text() { return s_->Text(col_++); }
  int64_t Int() { return s_->Int(col_++); }
  int Int32() { return static_cast<int>(s_->Int(col_++)); }
  double Double() { return s_->Double(col_++); }
  bool Bool() { return s_->Int(col_++) != 0; }
  std::optional<double> OptDouble() {
    const int c = col_++;
    return s_->IsNull(c) ? std::nullopt : std::optional<double>(s_->Double(c));
  }
  std::optional<int64_t> OptInt() {
    const int c = col_++;
    return s_->IsNull(c) ? std::nullopt : std::optional<int64_t>(s_->Int(c));
  }
  std::string_view Blob() { return s_->Blob(col_++); }  // valid until the next row
  bool IsNull() const { return s_->IsNull(col_); }      // the next column
  void Skip() { ++col_; }

 private:
  Statement* s_;
  int col_ = 0;
};

// A parameter bound as a BLOB (any other std::string is TEXT).
struct BlobParam {
  std::string_view bytes;
};

namespace detail {

template <typename T>
struct IsResult : std::false_type {
  using Value = T;
};
template <typename T>
struct IsResult<Result<T>> : std::true_type {
  using Value = T;
};

// What make(Row&) returns, with a Result unwrapped.
template <typename F>
using MadeType = typename IsResult<std::invoke_result_t<F&, Row&>>::Value;

inline void Bind(Statement* s, int i, std::string_view v) { s->BindText(i, v); }
inline void Bind(Statement* s, int i, const std::string& v) { s->BindText(i, v); }
inline void Bind(Statement* s, int i, const char* v) { s->BindText(i, v); }
inline void Bind(Statement* s, int i, BlobParam v) { s->BindBlob(i, v.bytes); }
inline void Bind(Statement* s, int i, double v) { s->BindDouble(i, v); }
inline void Bind(Statement* s, int i, bool v) { s->BindInt(i, v ? 1 : 0); }
template <typename T>
requires std::is_integral_v<T>
void Bind(Statement* s, int i, T v) { s->BindInt(i, static_cast<int64_t>(v)); }
template <typename T>
void Bind(Statement* s, int i, const std::optional<T>& v) {
  if (v) {
    Bind(s, i, *v);
  } else {
    s->BindNull(i);
  }
}
inline void Bind(Statement* s, int i, std::nullopt_t /*null*/) { s->BindNull(i); }

}  // namespace detail

// A prepared statement with its parameters bound, reset when it goes out of
// scope so that no half-read query keeps an old snapshot open (SQLite WAL)
// or a result alive. The one way the repositories run SQL:
//   CL_ASSIGN_OR_RETURN(auto q, Q("SELECT a, b FROM t WHERE id = ?", id));
//   return q.All([](Row& r) { return T{r.Text(), r.Int()}; });
class Query {
 public:
  explicit Query(Statement* s) : s_(s) {}
  Query(Query&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    if (s_) s_->Reset();
  }

  template <typename... Params>
  void BindAll(const Params&... params) {
    int i = 0;
    (detail::Bind(s_, ++i, params), ...);
  }

  // Binds `values` in order to the parameters from `first` on (1-based): a
  // list whose length is known only at run time, as in "x IN (?,?,?)".
  template <typename T>
  void BindList(int first, const std::vector<T>& values) {
    for (const T& v : values) detail::Bind(s_, first++, v);
  }

  // Every row, each made by make(Row&), which returns a T or a Result<T>.
  template <typename F, typename T = detail::MadeType<F>>
  Result<std::vector<T>> All(F&& make) {
    std::vector<T> out;
    CL_RETURN_IF_ERROR(Each([&](Row& r) -> Status {
      if constexpr (detail::IsResult<std::invoke_result_t<F&, Row&>>::value) {
        CL_ASSIGN_OR_RETURN(T v, make(r));
        out.push_back(std::move(v));
      } else {
        out.push_back(make(r));
      }
      return Ok{};
    }));
    return out;
  }

  // The first row made by make(Row&), or nothing.
  template <typename F, typename T = detail::MadeType<F>>
  Result<std::optional<T>> First(F&& make) {
    CL_ASSIGN_OR_RETURN(bool row, s_->Step());
    if (!row) return std::optional<T>();
    Row r(s_);
    if constexpr (detail::IsResult<std::invoke_result_t<F&, Row&>>::value) {
      CL_ASSIGN_OR_RETURN(T v, make(r));
      return std::optional<T>(std::move(v));
    } else {
      return std::optional<T>(make(r));
    }
  }

  // Calls visit(Row&) for every row; visit may return void or a Status that
  // ends the walk.
  template <typename F>
  Status Each(F&& visit) {
    for (;;) {
      CL_ASSIGN_OR_RETURN(bool row, s_->Step());
      if (!row) return Ok{};
      Row r(s_);
      if constexpr (std::is_void_v<std::invoke_result_t<F&, Row&>>) {
        visit(r);
      } else {
        CL_RETURN_IF_ERROR(visit(r));
      }
    }
  }

  // Whether the query has a row.
  Result<bool> Exists() { return s_->Step(); }

  // Runs a statement without rows; the rows it changed.
  Result<int64_t> Run() {
    CL_RETURN_IF_ERROR(s_->Step());
    return s_->Changes();
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

  // The statement of `sql` with `params` bound in order (Query above).
  template <typename... Params>
  Result<Query> Q(const std::string& sql, const Params&... params) {
    CL_ASSIGN_OR_RETURN(Statement * s, Prepared(sql));
    Query q(s);
    q.BindAll(params...);
    return q;
  }

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

  // What a batch changed in this transaction, by (unit_no, year): the
  // periods written ("2025-03" for a meter's day, "2025-01-01/2025-03-31" for
  // a record). Noted by the writes of readings and records, read by
  // FinishBatch to name the inventories past draft under them; forgotten at
  // commit and rollback.
  using DataChanges = std::map<std::pair<int64_t, int>, std::set<std::string>>;
  void NoteDataChange(int64_t batch_id, int64_t unit_no, int year, std::string period) {
    data_changes_[batch_id][{unit_no, year}].insert(std::move(period));
  }
  const DataChanges& DataChangesOf(int64_t batch_id) { return data_changes_[batch_id]; }

 private:
  Status ApplyMigrations();
  Result<Statement*> Prepared(const std::string& sql);

  std::unique_ptr<Db> db_;
  Store* store_ = nullptr;
  bool in_txn_ = false;
  bool in_read_ = false;
  std::unordered_map<int64_t, int64_t> reject_seq_;        // batch id -> last reject seq
  std::unordered_map<int64_t, DataChanges> data_changes_;  // batch id -> what it changed
};

// The session's helpers under the names the repositories' queries use.
class Part {
 protected:
  explicit Part(Session& session) : s_(session) {}
  bool pg() const { return s_.pg(); }
  template <typename... Params>
  Result<Query> Q(const std::string& sql, const Params&... params) {
    return s_.Q(sql, params...);
  }
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
