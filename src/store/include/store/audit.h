// The audit log: append-only, each entry chained to the previous by hash.
//
// Part of the store (store.h): obtained from Store::Audit(), valid as long as
// the Store it came from, on that Store's connection, so it follows the
// Store's thread rule: one thread at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

// The last entry of the audit log: its number and hash (0 and "" when empty).
struct AuditPosition {
  int64_t seq = 0;
  std::string hash;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // The audit log: append-only, each entry chained to the previous by hash.
  virtual Status AppendAudit(AuditEntry entry) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int limit) = 0;
  // The entries of one action on one record (say "data_changed_under_inventory"
  // on inventory "12"), oldest first. The log has no index on records: this
  // reads it whole, for answers that are then kept (docs/store.md).
  virtual Result<std::vector<AuditEntry>> ListAuditOf(const std::string& action,
                                                      const std::string& entity,
                                                      const std::string& entity_id) = 0;
  virtual Result<AuditCheck> VerifyAudit() = 0;
  // The head of the log, one row read: every change to a record moves it,
  // so caches of derived answers (the public figures) are keyed by it.
  virtual Result<AuditPosition> Head() = 0;
};

}  // namespace cl
