#include "access/audit_log.h"

#include "store/store.h"

namespace cl {

Result<std::vector<AuditEntry>> ListAudit(Store& store, int64_t after_seq, int limit) {
  return store.Audit().ListAudit(after_seq, limit);
}

Result<AuditCheck> VerifyAudit(Store& store) { return store.Audit().VerifyAudit(); }

Result<int64_t> AuditHeadSeq(Store& store) {
  auto head = store.Audit().Head();
  if (!head.ok()) return head.error();
  return head->seq;
}

}  // namespace cl
