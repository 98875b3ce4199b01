// The PostgreSQL driver (libpq). Parameters go as text (bytea as binary);
// results come back binary and are decoded by column type, so numbers and
// blobs cross the wire without formatting.
#include <endian.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <vector>

#include "db.h"

namespace cl::sql {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat (stable across versions).
constexpr Oid kBool = 16;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;

// A value in PostgreSQL's binary format (network byte order): an integer
// column (int2, int4, int8, bool), or nothing for another type.
std::optional<int64_t> BinaryInt(const char* p, Oid type) {
  switch (type) {
    case kInt8: {
      uint64_t v = 0;
      std::memcpy(&v, p, 8);
      return static_cast<int64_t>(be64toh(v));
    }
    case kInt4: {
      uint32_t v = 0;
      std::memcpy(&v, p, 4);
      return static_cast<int32_t>(be32toh(v));
    }
    case kInt2: {
      uint16_t v = 0;
      std::memcpy(&v, p, 2);
      return static_cast<int16_t>(be16toh(v));
    }
    case kBool:
      return *p != 0 ? 1 : 0;
    default:
      return std::nullopt;
  }
}

// A float4 or float8 column, or nothing for another type.
std::optional<double> BinaryFloat(const char* p, Oid type) {
  if (type == kFloat8) {
    uint64_t v = 0;
    std::memcpy(&v, p, 8);
    v = be64toh(v);
    double d = 0;
    std::memcpy(&d, &v, 8);
    return d;
  }
  if (type == kFloat4) {
    uint32_t v = 0;
    std::memcpy(&v, p, 4);
    v = be32toh(v);
    float f = 0;
    std::memcpy(&f, &v, 4);
    return f;
  }
  return std::nullopt;
}

std::string Numbered(const std::string& sql, int& n) {
  std::string out;
  out.reserve(sql.size() + 16);
  n = 0;
  bool in_string = false;
  for (char c : sql) {
    if (c == '\'') in_string = !in_string;
    if (c == '?' && !in_string) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

Error PgError(PGconn* conn, const PGresult* res, const std::string& what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  // Class 23: integrity constraint violation; P0001: raised by our triggers.
  ErrorKind kind = ErrorKind::kIo;
  if (state && (std::strncmp(state, "23", 2) == 0 || std::strcmp(state, "P0001") == 0))
    kind = ErrorKind::kConflict;
  std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  // A trigger's RAISE is the schema's own message, in domain words.
  const char* primary = state && std::strcmp(state, "P0001") == 0
                            ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                            : nullptr;
  return DriverError(kind, primary ? primary : "", "PostgreSQL: " + what + ": " + msg);
}

class PgStatement final : public Statement {
 public:
  bool Writes() const override { return false; }
  PgStatement(PGconn* conn, std::string name, int nparams, std::string sql)
      : conn_(conn),
        name_(std::move(name)),
        sql_(std::move(sql)),
        values_(nparams),
        is_null_(nparams, true),
        formats_(nparams, 0),
        lengths_(nparams, 0) {}
  ~PgStatement() override { Clear(); }

  void Reset() override {
    Clear();
    std::fill(is_null_.begin(), is_null_.end(), true);
    std::fill(formats_.begin(), formats_.end(), 0);
  }
  void BindNull(int i) override { Set(i, {}, true, 0); }
  void BindInt(int i, int64_t v) override { Set(i, std::to_string(v), false, 0); }
  void BindDouble(int i, double v) override {
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%.17g", v);
    Set(i, std::string(buf, static_cast<size_t>(n)), false, 0);
  }
  void BindText(int i, std::string_view v) override { Set(i, std::string(v), false, 0); }
  void BindBlob(int i, std::string_view v) override { Set(i, std::string(v), false, 1); }

  Result<bool> Step() override {
    if (!res_) {
      std::vector<const char*> ptrs(values_.size());
      for (size_t i = 0; i < values_.size(); ++i) {
        ptrs[i] = is_null_[i] ? nullptr : values_[i].data();
        lengths_[i] = static_cast<int>(values_[i].size());
      }
      res_ = PQexecPrepared(conn_, name_.c_str(), static_cast<int>(values_.size()), ptrs.data(),
                            lengths_.data(), formats_.data(), 1);
      ExecStatusType s = res_ ? PQresultStatus(res_) : PGRES_FATAL_ERROR;
      if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        Error e = PgError(conn_, res_, "executing " + sql_.substr(0, 60));
        Clear();
        return e;
      }
      const char* ct = PQcmdTuples(res_);
      changes_ = 0;
      if (ct != nullptr) (void)std::from_chars(ct, ct + std::strlen(ct), changes_);
      row_ = -1;
      rows_ = PQntuples(res_);
    }
    ++row_;
    return row_ < rows_;
  }
  bool IsNull(int col) override { return PQgetisnull(res_, row_, col); }
  int64_t Int(int col) override {
    if (IsNull(col)) return 0;
    const char* p = PQgetvalue(res_, row_, col);
    const Oid type = PQftype(res_, col);
    if (auto i = BinaryInt(p, type)) return *i;
    if (auto d = BinaryFloat(p, type)) return static_cast<int64_t>(*d);
    return 0;  // a query selecting another type as a number is a bug in the store
  }
  double Double(int col) override {
    if (IsNull(col)) return 0;
    const char* p = PQgetvalue(res_, row_, col);
    const Oid type = PQftype(res_, col);
    if (auto d = BinaryFloat(p, type)) return *d;
    if (auto i = BinaryInt(p, type)) return static_cast<double>(*i);
    return 0;  // a query selecting another type as a number is a bug in the store
  }
  std::string Text(int col) override {
    if (IsNull(col)) return {};
    return {PQgetvalue(res_, row_, col), static_cast<size_t>(PQgetlength(res_, row_, col))};
  }
  std::string_view Blob(int col) override {
    if (IsNull(col)) return {};
    return {PQgetvalue(res_, row_, col), static_cast<size_t>(PQgetlength(res_, row_, col))};
  }
  int64_t Changes() override { return changes_; }

 private:
  void Set(int i, std::string v, bool null, int format) {
    auto k = static_cast<size_t>(i - 1);
    if (k >= values_.size()) return;  // a bug in a query; the server reports the missing value
    values_[k] = std::move(v);
    is_null_[k] = null;
    formats_[k] = format;
  }
  void Clear() {
    if (res_) PQclear(res_);
    res_ = nullptr;
    row_ = -1;
    rows_ = 0;
  }

  PGconn* conn_;
  std::string name_;
  std::string sql_;
  std::vector<std::string> values_;
  std::vector<bool> is_null_;
  std::vector<int> formats_;
  std::vector<int> lengths_;
  PGresult* res_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
  int64_t changes_ = 0;
};

class PgDb final : public Db {
 public:
  explicit PgDb(PGconn* conn) : conn_(conn) {}
  ~PgDb() override {
    cache_.clear();
    PQfinish(conn_);
  }
  Dialect dialect() const override { return Dialect::kPostgres; }
  Status Exec(const std::string& sql) override {
    PGresult* res = PQexec(conn_, sql.c_str());
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
      Error e = PgError(conn_, res, sql.substr(0, 60));
      PQclear(res);
      return e;
    }
    PQclear(res);
    return Ok{};
  }
  Result<Statement*> Prepare(const std::string& sql) override {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      it->second->Reset();
      return it->second.get();
    }
    int n = 0;
    std::string text = Numbered(sql, n);
    std::string name = "s" + std::to_string(cache_.size() + 1);
    PGresult* res = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
      Error e = PgError(conn_, res, "preparing " + sql.substr(0, 80));
      PQclear(res);
      return e;
    }
    PQclear(res);
    auto owned = std::make_unique<PgStatement>(conn_, name, n, sql);
    Statement* raw = owned.get();
    cache_.emplace(sql, std::move(owned));
    return raw;
  }

 private:
  PGconn* conn_;
  std::unordered_map<std::string, std::unique_ptr<PgStatement>> cache_;
};

}  // namespace

Result<std::unique_ptr<Db>> OpenPostgres(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn ? PQerrorMessage(conn) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn);
    return Error::Io("cannot connect to PostgreSQL: " + msg);
  }
  auto db = std::make_unique<PgDb>(conn);
  auto st = db->Exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  if (!st.ok()) return st.error();
  return std::unique_ptr<Db>(std::move(db));
}

}  // namespace cl::sql
