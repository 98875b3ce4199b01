// Stores to run the conformance suite against: a SQLite file in a temporary
// directory, the in-memory FakeStore (tests/support/fake_store.h), and a fresh database on the
// PostgreSQL server named by CL_TEST_POSTGRES (a libpq connection string to a maintenance database;
// scripts/test.sh starts the server and sets it). When CL_TEST_POSTGRES is
// unset the PostgreSQL cases fail, unless CL_TEST_POSTGRES=off says that
// skipping them is intended.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/store.h"
#include "support/fake_store.h"

namespace cl::testing {

class TestStore {
 public:
  explicit TestStore(const std::string& kind) : kind_(kind) {}
  ~TestStore() {
    if (kind_ == "sqlite") {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    } else if (!db_name_.empty()) {
      RunOnMaintenance("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
    }
  }

  // The target string for OpenStore, or empty with *skip set. "fake" has no
  // target: Open makes a new FakeStore.
  std::string Create(bool* skip) {
    *skip = false;
    static std::atomic<int> counter{0};
    std::string tag = std::to_string(getpid()) + "_" + std::to_string(counter++);
    if (kind_ == "fake") return "";
    if (kind_ == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / ("cl_store_test_" + tag);
      std::filesystem::create_directories(dir_);
      target_ = (dir_ / "carbonledger.db").string();
      return target_;
    }
    const char* env = std::getenv("CL_TEST_POSTGRES");
    if (env && std::string(env) == "off") {
      *skip = true;
      return "";
    }
    if (!env || !*env) {
      ADD_FAILURE() << "CL_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which "
                       "starts a PostgreSQL server (or set CL_TEST_POSTGRES=off to skip)";
      *skip = true;
      return "";
    }
    maintenance_ = env;
    db_name_ = "cl_test_" + tag;
    if (!RunOnMaintenance("CREATE DATABASE " + db_name_)) {
      *skip = true;
      return "";
    }
    target_ = maintenance_ + " dbname=" + db_name_;
    return target_;
  }

  // The store under test, after Create: opened on the target (each call a new
  // connection to the same data), or a new FakeStore.
  Result<std::unique_ptr<Store>> Open() {
    if (kind_ == "fake") return MakeFakeStore();
    return OpenStore(target_);
  }
  bool is_sql() const { return kind_ != "fake"; }

  // Runs SQL directly on the store's database, bypassing the store (to test
  // what the schema itself refuses, and to tamper with the audit log).
  // Returns the error text, empty on success.
  std::string Raw(const std::string& sql) {
    if (kind_ == "sqlite") {
      sqlite3* db = nullptr;
      sqlite3_open(target_.c_str(), &db);
      char* msg = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
      std::string err = rc == SQLITE_OK ? "" : (msg ? msg : "error");
      sqlite3_free(msg);
      sqlite3_close(db);
      return err;
    }
    return Pg(target_, sql);
  }

  const std::string& kind() const { return kind_; }
  const std::string& target() const { return target_; }

 private:
  static std::string Pg(const std::string& conninfo, const std::string& sql) {
    PGconn* conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string e = PQerrorMessage(conn);
      PQfinish(conn);
      return e.empty() ? "connection failed" : e;
    }
    PGresult* res = PQexec(conn, sql.c_str());
    auto s = PQresultStatus(res);
    std::string err =
        (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? "" : PQresultErrorMessage(res);
    PQclear(res);
    PQfinish(conn);
    return err;
  }
  bool RunOnMaintenance(const std::string& sql) {
    std::string err = Pg(maintenance_, sql);
    if (!err.empty()) ADD_FAILURE() << sql << ": " << err;
    return err.empty();
  }

  std::string kind_;
  std::filesystem::path dir_;
  std::string maintenance_;
  std::string db_name_;
  std::string target_;
};

}  // namespace cl::testing
