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

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // The audit log: append-only, each entry chained to the previous by hash.
  virtual Status AppendAudit(AuditEntry entry) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int limit) = 0;
  virtual Result<AuditCheck> VerifyAudit() = 0;
};

}  // namespace cl
