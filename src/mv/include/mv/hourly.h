// CalTRACK 2.0 hourly model: time-of-week-and-temperature (TOWT) with
// occupancy and three-month-weighted segments, computed as eemeter 3.2.0
// does (docs/mv/caltrack-hourly-eemeter-3.2.0.md). Hours, weekdays and months
// are UTC, as in the reference; hour of week 0 = Monday 00:00.
#pragma once

#include <array>
#include <vector>

#include "mv/caltrack.h"

namespace cl::mv {

struct HourlySegment {
  int middle_month = 0;  // 1–12: the month this segment predicts
  bool fitted = false;   // false: no usable baseline hour with weight > 0
  int rows = 0;          // usable rows with weight > 0
  std::array<bool, 168> occupied{};
  std::vector<double> occupied_endpoints;  // kept temperature bin endpoints, °F
  std::vector<double> unoccupied_endpoints;
  std::array<double, 168> hour_of_week{};  // β per hour of week
  std::array<bool, 168> hour_seen{};       // the hour of week occurs in the baseline index
  std::vector<double> occupied_slopes;     // per bin
  std::vector<double> unoccupied_slopes;
};

struct HourlyModel {
  FitStatus status = FitStatus::kNoData;
  std::array<HourlySegment, 12> segments;
  int baseline_hours = 0;  // usable baseline hours
  FitStatistics totals;    // Guideline 14, each baseline hour predicted by its month's model
  std::vector<std::string> warnings;
};

HourlyModel FitHourly(const UsageSeries& usage, const HourlyTemperature& grid, Instant baseline_end,
                      const CaltrackSettings& settings);

Savings ComputeHourlySavings(const HourlyModel& model, const UsageSeries& usage,
                             const HourlyTemperature& grid, Instant reporting_start,
                             const CaltrackSettings& settings);

}  // namespace cl::mv
