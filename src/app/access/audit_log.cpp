#include "access/audit_log.h"

#include "access/audit_anchor.h"
#include "store/store.h"

namespace cl {

Result<std::vector<AuditEntry>> ListAudit(Store& store, int64_t after_seq, int limit) {
  return store.Audit().ListAudit(after_seq, limit);
}

Result<AuditCheck> VerifyAudit(Store& store, const AuditAnchor* anchor) {
  auto check = store.Audit().VerifyAudit();
  if (!check.ok()) return check.error();
  auto records = CheckProtectedRecords(store);
  if (!records.ok()) return records.error();
  check->problems.insert(check->problems.end(), records->begin(), records->end());
  if (anchor == nullptr) return check;
  auto anchored = CheckAuditAnchor(store, *anchor);
  if (!anchored.ok()) return anchored.error();
  check->problems.insert(check->problems.end(), anchored->begin(), anchored->end());
  return check;
}

Result<int64_t> AuditHeadSeq(Store& store) {
  auto head = store.Audit().Head();
  if (!head.ok()) return head.error();
  return head->seq;
}

}  // namespace cl
