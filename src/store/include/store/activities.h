// Activity records: bills and manual entries, one row per unit, activity and period.
//
// Part of the store (store.h): obtained from Store::Activities(), valid as long as
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
#include "store/registry.h"

namespace cl {

class ActivitiesRepository {
 public:
  virtual ~ActivitiesRepository() = default;

  // Activity records (bills, manual entries): a row with a known key and the
  // same content is kUnchanged; with another quantity, kUpdated (audited).
  virtual Result<WriteOutcome> PutActivity(ActivityRow row, const Actor& by) = 0;
  virtual Result<std::vector<ActivityRow>> ListActivities(const std::string& unit_id) = 0;
};

}  // namespace cl
