// The one storage interface: transactions, and one repository per aggregate
// (registry, imports, readings, activities, inventories, datasets, access,
// identity, audit; a programme adds its own) and the inventories' figures
// read model. Implementations: SQLite
// (embedded default, one file, WAL) and PostgreSQL (libpq); both run the same
// numbered migrations in their dialect and pass the same conformance suite
// (tests/store).
//
// Threads: a Store is one connection. It and its repositories are used by one
// thread at a time (the server takes one from its pool per request); never
// share one between threads without a lock of your own.
//
// Writes happen inside a transaction (Begin ... Commit); a batch of readings
// is one transaction, so it is stored whole or not at all. Every change to a
// unit, site, meter, activity, inventory or batch appends a hash-chained audit
// entry in the same transaction.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "model/records.h"
#include "store/access.h"
#include "store/activities.h"
#include "store/audit.h"
#include "store/datasets.h"
#include "store/figures.h"
#include "store/identity.h"
#include "store/imports.h"
#include "store/inventories.h"
#include "store/readings.h"
#include "store/registry.h"

namespace cl {

class Store {
 public:
  virtual ~Store() = default;
  virtual std::string Kind() const = 0;  // "sqlite" or "postgres"
  virtual Result<int> SchemaVersion() = 0;

  // Transactions. Begin takes the write lock; Commit makes everything since
  // Begin durable at once; Rollback discards it.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // A read-only transaction: the reads until Rollback see one snapshot of the
  // store (one lock on SQLite instead of one per statement; REPEATABLE READ on
  // PostgreSQL). Begin is refused while it is open.
  virtual Status BeginRead() = 0;

  // The repositories, one per aggregate, each on this store's connection.
  virtual RegistryRepository& Registry() = 0;
  virtual ImportsRepository& Imports() = 0;
  virtual ReadingsRepository& Readings() = 0;
  virtual ActivitiesRepository& Activities() = 0;
  virtual InventoriesRepository& Inventories() = 0;
  virtual DatasetsRepository& Datasets() = 0;
  virtual AccessRepository& Access() = 0;
  virtual IdentityRepository& Identity() = 0;
  virtual AuditRepository& Audit() = 0;
  // The read model of inventories: their figures as typed columns.
  virtual FiguresRepository& Figures() = 0;
};

// How one connection is opened.
struct StoreOptions {
  // SQLite's page cache per connection. A bulk import gains from a large
  // one; a server with a connection per request in flight keeps it small
  // (reads go through the memory-mapped file anyway).
  int sqlite_cache_mib = 64;
};

// "postgresql://...", "postgres://..." or "host=... dbname=..." open
// PostgreSQL; anything else is a SQLite file path (created when missing).
Result<std::unique_ptr<Store>> OpenStore(const std::string& target,
                                         const StoreOptions& options = {});
bool IsPostgresTarget(const std::string& target);

// The store a command uses when --store is not given: carbonledger.db in
// CARBONLEDGER_HOME, or in the current directory.
std::string DefaultStoreTarget();

}  // namespace cl
