// The limits of the validation, estimation and editing (VEE) checks that the
// readings importer and the roll-ups apply, read from data/vee.toml. Plain
// values: safe to copy and to share between threads once loaded.
#pragma once

#include <chrono>
#include <string>

#include "accounting/bounds.h"
#include "core/error.h"

namespace cl {

// Limits of the VEE checks, from data/vee.toml.
struct VeeSettings {
  double minimum_daily_completeness = 0.9;
  double maximum_daily_monthly_gap = 0.05;
  double spike_factor = 10;
  double spike_minimum_share = 0.0;  // of the day's mean, below which nothing is a spike
  double register_reset_fraction = 0.1;
  double rollover_band = 0.1;
  std::chrono::seconds future_tolerance{300};
  // A register's reading (after its multiplier) may count at most this many
  // years of its carrier's physical bound per hour.
  double register_years = 100;
  // The largest plausible reading per carrier (data/bounds.csv); empty:
  // only finiteness is checked.
  PhysicalBounds bounds;
};
// Reads <data_dir>/vee.toml (core/settings.h): every key required, shares
// strictly between 0 and 1, future_tolerance_seconds a whole number, unknown
// keys refused; every mistake at once with file:line:column. Then
// <data_dir>/bounds.csv (accounting/bounds.h).
Result<VeeSettings> LoadVeeSettings(const std::string& data_dir);

}  // namespace cl
