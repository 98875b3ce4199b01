// Who may see what beyond a unit's own people: bank consents and verifier
// assignments (docs/roles.md).
//
// Part of the store (store.h): obtained from Store::Access(), valid as long as
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

class AccessRepository {
 public:
  virtual ~AccessRepository() = default;

  // Bank consents and verifier assignments (docs/roles.md), audited.
  virtual Result<int64_t> CreateConsent(const ConsentRecord& consent, const Actor& by) = 0;
  virtual Result<std::vector<ConsentRecord>> ListConsents() = 0;
  virtual Status RevokeConsent(int64_t id, int64_t at, const Actor& by) = 0;
  virtual Status AssignVerifier(const AssignmentRecord& assignment, const Actor& by) = 0;
  virtual Result<std::vector<AssignmentRecord>> ListAssignments() = 0;
};

}  // namespace cl
