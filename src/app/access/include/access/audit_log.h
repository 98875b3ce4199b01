// The audit log as use cases: its entries in order, and the check of its
// hash chain.
//
// Each function runs on the Store (one connection) it is given and keeps no
// state: calls on different connections may run on several threads at once.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class Store;         // store/store.h
struct AuditAnchor;  // access/audit_anchor.h

Result<std::vector<AuditEntry>> ListAudit(Store& store, int64_t after_seq, int limit);
// The hash chain, the records that must never change (CheckProtectedRecords)
// and, given an anchor, the signed checkpoints (CheckAuditAnchor): every
// problem found, one line each.
Result<AuditCheck> VerifyAudit(Store& store, const AuditAnchor* anchor = nullptr);
// The number of the audit log's last entry: every change to a record moves
// it, so answers derived from the store may be kept while it stays.
Result<int64_t> AuditHeadSeq(Store& store);

}  // namespace cl
