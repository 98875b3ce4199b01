// An in-memory Store for tests: every repository over plain containers,
// following the contracts of the store headers (kUnchanged for identical
// puts, the same validation errors, an audit entry for every audited change,
// hash-chained exactly as the SQL store chains them, so VerifyAudit passes).
//
// Transactions: Begin copies the whole state; Rollback restores the copy,
// Commit drops it. Writes outside a transaction apply at once (as the SQL
// store's own one-statement transactions do). BeginRead refuses writes until
// Rollback. Nothing is durable: the state dies with the object.
//
// Threads: like any Store, one thread at a time.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace cl::testing {

// Kind() is "fake"; SchemaVersion() is that of the SQL migrations.
std::unique_ptr<Store> MakeFakeStore();

}  // namespace cl::testing
