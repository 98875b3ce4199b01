// Data preparation shared by the CalTRACK fit and prediction (private to mv):
// the hourly temperature grid, period rows and their temperature features
// (docs/mv/caltrack-eemeter-3.2.0.md §1–§3).
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "mv/caltrack.h"

namespace cl::mv::detail {

using HourlyGrid = HourlyTemperature;

struct Period {
  Instant start;
  std::optional<double> value;
};

// Daily data: usage summed per calendar day (offset `day_offset` from UTC),
// a continuous grid of days with nullopt where nothing was read. Billing:
// the periods as given.
std::vector<Period> MakePeriods(const UsageSeries& usage, Method method,
                                std::chrono::minutes day_offset);

// The periods starting in [from, to] (inclusive); the last one only closes
// the one before it.
std::vector<Period> Window(const std::vector<Period>& periods, Instant from, Instant to);

// Rows for all but the last period of `window`, with temperature features.
// `tolerance`: hours later than start + tolerance are not matched (nullopt =
// up to the next start). `coverage_per_day` and `coverage_per_period` are the
// CalTRACK hourly-coverage fractions.
std::vector<DesignRow> Features(const std::vector<Period>& window, const HourlyGrid& grid,
                                std::optional<std::chrono::seconds> tolerance,
                                double coverage_per_day, double coverage_per_period);

// Mean over kept days of max(T − bp, 0) (cooling) or max(bp − T, 0) (heating).
double CoolingDegreeDays(const DesignRow& row, double bp);
double HeatingDegreeDays(const DesignRow& row, double bp);

}  // namespace cl::mv::detail
