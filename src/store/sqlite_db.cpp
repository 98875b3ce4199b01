// The SQLite driver: one file, WAL journal, foreign keys on, prepared
// statements cached for the life of the connection.
#include <sqlite3.h>

#include <algorithm>
#include <unordered_map>

#include "db.h"

namespace cl::sql {
namespace {

// SQLite's failure `text` after `what`: a trigger's RAISE is the schema's own
// message; any other text stays internal.
Error SqliteError(sqlite3* db, const std::string& what, const std::string& text) {
  int code = sqlite3_extended_errcode(db);
  ErrorKind kind = (code & 0xFF) == SQLITE_CONSTRAINT ? ErrorKind::kConflict : ErrorKind::kIo;
  return DriverError(kind, code == SQLITE_CONSTRAINT_TRIGGER ? text : "",
                     "SQLite: " + what + (what.empty() ? "" : ": ") + text);
}
Error SqliteError(sqlite3* db, const std::string& what) {
  return SqliteError(db, what, sqlite3_errmsg(db));
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  ~SqliteStatement() override { sqlite3_finalize(st_); }
  void Reset() override {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
    started_ = false;
  }
  bool Writes() const override { return sqlite3_stmt_readonly(st_) == 0; }
  void BindNull(int i) override { sqlite3_bind_null(st_, i); }
  void BindInt(int i, int64_t v) override { sqlite3_bind_int64(st_, i, v); }
  void BindDouble(int i, double v) override { sqlite3_bind_double(st_, i, v); }
  void BindText(int i, std::string_view v) override {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void BindBlob(int i, std::string_view v) override {
    sqlite3_bind_blob(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  Result<bool> Step() override {
    started_ = true;
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      changes_ = sqlite3_changes64(db_);
      return false;
    }
    Error e = SqliteError(db_, "executing " + std::string(sqlite3_sql(st_)).substr(0, 60));
    sqlite3_reset(st_);
    return e;
  }
  bool IsNull(int col) override { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
  int64_t Int(int col) override { return sqlite3_column_int64(st_, col); }
  double Double(int col) override { return sqlite3_column_double(st_, col); }
  std::string Text(int col) override {
    const auto* p = sqlite3_column_text(st_, col);
    int n = sqlite3_column_bytes(st_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
             : std::string();
  }
  std::string_view Blob(int col) override {
    const void* p = sqlite3_column_blob(st_, col);
    int n = sqlite3_column_bytes(st_, col);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n))
             : std::string_view();
  }
  int64_t Changes() override { return changes_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
  bool started_ = false;
  int64_t changes_ = 0;
};

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  ~SqliteDb() override {
    cache_.clear();
    sqlite3_close(db_);
  }
  Dialect dialect() const override { return Dialect::kSqlite; }
  Status Exec(const std::string& sql) override {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string text = msg ? msg : "unknown error";
      sqlite3_free(msg);
      return SqliteError(db_, "", text);
    }
    return Ok{};
  }
  Result<Statement*> Prepare(const std::string& sql) override {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      it->second->Reset();
      return it->second.get();
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
      return SqliteError(db_, "preparing " + sql.substr(0, 80));
    }
    auto owned = std::make_unique<SqliteStatement>(db_, st);
    Statement* raw = owned.get();
    cache_.emplace(sql, std::move(owned));
    return raw;
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>> cache_;
};

}  // namespace

Result<std::unique_ptr<Db>> OpenSqlite(const std::string& path, int cache_mib) {
  // No global memory statistics: with them every allocation of every
  // connection takes one process-wide mutex. Must precede initialisation.
  // SQLITE_MISUSE when the library was initialised already: then only slower.
  static const bool configured = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)configured;
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return Error::Io("cannot open the SQLite store '" + path + "': " + msg,
                     Location{path, 0, 0, ""});
  }
  auto db = std::make_unique<SqliteDb>(raw);
  sqlite3_busy_timeout(raw, 30000);
  // WAL: readers never block the writer; synchronous=FULL: a committed batch
  // survives power loss, not only a killed process.
  auto st = db->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      "PRAGMA cache_size=-" +
      std::to_string(std::max(1, cache_mib) * 1024) +
      "; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=17179869184;");
  if (!st.ok()) {
    return Error::Io("cannot open the SQLite store '" + path + "': " + st.error().internal(),
                     Location{path, 0, 0, ""});
  }
  return std::unique_ptr<Db>(std::move(db));
}

}  // namespace cl::sql
