// The SQL connection under the store: one small interface that the SQLite
// and PostgreSQL drivers implement, so that the store's logic and queries are
// written once. Queries use '?' placeholders; the PostgreSQL driver numbers
// them ($1, $2, ...). Private to the store layer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cl::sql {

enum class Dialect { kSqlite, kPostgres };

// A driver's failure in the store's words: a refused change (kConflict), or a
// store that could not be read or written (kIo). `own_message` is a message
// the schema raises itself (a trigger's, already in domain words), else
// empty. The driver's text, with the statement it ran, is only internal():
// for the operator's log, never for an HTTP answer.
inline Error DriverError(ErrorKind kind, std::string own_message, std::string driver_text) {
  std::string message = !own_message.empty() ? std::move(own_message)
                        : kind == ErrorKind::kConflict
                            ? "the change contradicts data the store holds"
                            : "the store could not read or write its data";
  return Error(kind, std::move(message)).WithInternal(std::move(driver_text));
}

class Statement {
 public:
  virtual ~Statement() = default;
  // Clears the previous execution and bindings. Parameters are 1-based.
  virtual void Reset() = 0;
  virtual void BindNull(int i) = 0;
  virtual void BindInt(int i, int64_t v) = 0;
  virtual void BindDouble(int i, double v) = 0;
  virtual void BindText(int i, std::string_view v) = 0;
  virtual void BindBlob(int i, std::string_view v) = 0;
  // Runs the statement on the first call; true while a row is available.
  virtual Result<bool> Step() = 0;
  // Columns of the current row, 0-based.
  virtual bool IsNull(int col) = 0;
  virtual int64_t Int(int col) = 0;
  virtual double Double(int col) = 0;
  virtual std::string Text(int col) = 0;
  virtual std::string_view Blob(int col) = 0;  // valid until the next Step/Reset
  // Rows changed by the last execution of an INSERT/UPDATE/DELETE.
  virtual int64_t Changes() = 0;
  // Whether running it may change the database (SQLite knows from the
  // compiled statement; PostgreSQL refuses writes in a read-only
  // transaction by itself, so its statements say false).
  virtual bool Writes() const = 0;
};

class Db {
 public:
  virtual ~Db() = default;
  virtual Dialect dialect() const = 0;
  // Runs SQL without parameters (several statements allowed).
  virtual Status Exec(const std::string& sql) = 0;
  // A prepared statement, cached by its text and owned by the Db.
  virtual Result<Statement*> Prepare(const std::string& sql) = 0;
};

Result<std::unique_ptr<Db>> OpenSqlite(const std::string& path, int cache_mib = 64);
Result<std::unique_ptr<Db>> OpenPostgres(const std::string& conninfo);

}  // namespace cl::sql
