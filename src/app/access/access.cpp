#include "access/access.h"

#include "store/store.h"

namespace cl {

Result<int64_t> CreateConsent(Store& store, const ConsentRecord& consent, const Actor& by) {
  return store.Access().CreateConsent(consent, by);
}

Result<std::vector<ConsentRecord>> ListConsents(Store& store) {
  return store.Access().ListConsents();
}

Status RevokeConsent(Store& store, int64_t id, int64_t at, const Actor& by) {
  return store.Access().RevokeConsent(id, at, by);
}

Status AssignVerifier(Store& store, const AssignmentRecord& assignment, const Actor& by) {
  return store.Access().AssignVerifier(assignment, by);
}

Result<std::vector<AssignmentRecord>> ListAssignments(Store& store) {
  return store.Access().ListAssignments();
}

}  // namespace cl
