// A restatement: the same activity data computed with two sets of dataset
// versions, and every difference with the factor that caused it. Nothing is
// restated silently: a new dataset version only changes a result through this.
#pragma once

#include <string>
#include <vector>

#include "accounting/inventory.h"

namespace cl {

struct FactorChange {
  std::string role;  // "location", "ncv", ...
  std::string dataset;
  std::string key;
  std::string old_version;
  std::string new_version;
  double old_value = 0.0;
  double new_value = 0.0;
  std::string unit;
};

struct LineChange {
  const ActivityRecord* record = nullptr;
  double old_tco2e = 0.0;
  double new_tco2e = 0.0;
  double old_tce = 0.0;
  double new_tce = 0.0;
  std::vector<FactorChange> factors;
};

struct TotalsPair {
  const char* name;
  double old_value;
  double new_value;
};

struct UnitRestatement {
  const ReportingUnit* unit = nullptr;
  std::vector<TotalsPair> totals;  // energy_tce, scope1_tco2e, ... old and new
  std::vector<LineChange> lines;   // only lines whose result or factors changed
};

struct Restatement {
  DatasetPins old_pins;
  DatasetPins new_pins;
  std::vector<UnitRestatement> units;
  bool Changed() const;
};

// `before` and `after` must be computed from the same InventoryInput under the
// same profile (asserted).
Restatement Restate(const Inventory& before, const Inventory& after);

}  // namespace cl
