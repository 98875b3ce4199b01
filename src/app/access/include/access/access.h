// Who may see what beyond a unit's own people, as use cases: bank consents
// (granted, listed, revoked) and verifier assignments (docs/roles.md).
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

class Store;  // store/store.h

Result<int64_t> CreateConsent(Store& store, const ConsentRecord& consent, const Actor& by);
Result<std::vector<ConsentRecord>> ListConsents(Store& store);
Status RevokeConsent(Store& store, int64_t id, int64_t at, const Actor& by);
Status AssignVerifier(Store& store, const AssignmentRecord& assignment, const Actor& by);
Result<std::vector<AssignmentRecord>> ListAssignments(Store& store);

}  // namespace cl
