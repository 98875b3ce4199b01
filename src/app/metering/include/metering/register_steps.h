// What a cumulative register's step between two readings means, shared by the
// importer and the roll-ups (not a public header).
#pragma once

#include "formats/vee_settings.h"
#include "model/records.h"

namespace cl {

enum class RegisterStep { kNormal, kRollover, kReset, kDecrease };

inline RegisterStep ClassifyStep(const MeterRecord& r, const VeeSettings& vee, double a, double b) {
  if (b >= a) return RegisterStep::kNormal;
  if (r.rollover && a >= *r.rollover * (1 - vee.rollover_band) &&
      b <= *r.rollover * vee.rollover_band)
    return RegisterStep::kRollover;
  if (b <= a * vee.register_reset_fraction) return RegisterStep::kReset;
  return RegisterStep::kDecrease;
}

// Consumption of the step, before the meter's multiplier.
inline double StepConsumption(const MeterRecord& r, double a, double b, RegisterStep s) {
  switch (s) {
    case RegisterStep::kNormal:
      return b - a;
    case RegisterStep::kRollover:
      return *r.rollover - a + b;
    case RegisterStep::kReset:
      return b;  // counting restarted from zero
    case RegisterStep::kDecrease:
      return 0;  // only stored before a rule rejected it; counts nothing
  }
  return 0;
}

}  // namespace cl
