// The SQL store: one connection (sql::Session) and its repositories, written
// once over sql::Db for both dialects (sql_<aggregate>.cpp).
#include <sodium.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "core/timestamp.h"
#include "sql_session.h"

namespace cl {
namespace {

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<sql::Db> db)
      : session_(std::move(db)),
        registry_(sql::MakeSqlRegistry(session_)),
        imports_(sql::MakeSqlImports(session_)),
        readings_(sql::MakeSqlReadings(session_)),
        activities_(sql::MakeSqlActivities(session_)),
        inventories_(sql::MakeSqlInventories(session_)),
        datasets_(sql::MakeSqlDatasets(session_)),
        access_(sql::MakeSqlAccess(session_)),
        identity_(sql::MakeSqlIdentity(session_)),
        audit_(sql::MakeSqlAudit(session_)),
        figures_(sql::MakeSqlFigures(session_)) {
    session_.set_store(this);
  }

  std::string Kind() const override {
    return session_.dialect() == sql::Dialect::kSqlite ? "sqlite" : "postgres";
  }
  Status Migrate() { return session_.Migrate(); }
  Result<int> SchemaVersion() override { return session_.SchemaVersion(); }
  Status Begin() override { return session_.Begin(); }
  Status Commit() override { return session_.Commit(); }
  void Rollback() override { session_.Rollback(); }
  Status BeginRead() override { return session_.BeginRead(); }

  RegistryRepository& Registry() override { return *registry_; }
  ImportsRepository& Imports() override { return *imports_; }
  ReadingsRepository& Readings() override { return *readings_; }
  ActivitiesRepository& Activities() override { return *activities_; }
  InventoriesRepository& Inventories() override { return *inventories_; }
  DatasetsRepository& Datasets() override { return *datasets_; }
  AccessRepository& Access() override { return *access_; }
  IdentityRepository& Identity() override { return *identity_; }
  AuditRepository& Audit() override { return *audit_; }
  FiguresRepository& Figures() override { return *figures_; }

 private:
  sql::Session session_;
  std::unique_ptr<RegistryRepository> registry_;
  std::unique_ptr<ImportsRepository> imports_;
  std::unique_ptr<ReadingsRepository> readings_;
  std::unique_ptr<ActivitiesRepository> activities_;
  std::unique_ptr<InventoriesRepository> inventories_;
  std::unique_ptr<DatasetsRepository> datasets_;
  std::unique_ptr<AccessRepository> access_;
  std::unique_ptr<IdentityRepository> identity_;
  std::unique_ptr<AuditRepository> audit_;
  std::unique_ptr<FiguresRepository> figures_;
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

}  // namespace cl
