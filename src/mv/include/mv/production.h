// Industrial baselines (IPMVP Option C with production): usage per day
// regressed on production per day (one or more products) and, where they
// improve the fit, heating and cooling degree days at a searched balance
// point. Same data preparation, weights, qualification (no negative
// coefficient), selection (adjusted R²) and statistics as the CalTRACK
// daily/billing models (mv/caltrack.h).
#pragma once

#include <string>
#include <vector>

#include "mv/caltrack.h"

namespace cl::mv {

// Production recorded at instants: values[p][i] of product p at start[i] is
// counted in the period that contains start[i].
struct ProductionSeries {
  std::vector<std::string> products;
  std::vector<Instant> start;
  std::vector<std::vector<double>> values;
};

struct ProductionModel {
  FitStatus status = FitStatus::kNoData;
  bool heating = false;
  bool cooling = false;
  int heating_bp = 0;
  int cooling_bp = 0;
  double intercept = 0, beta_hdd = 0, beta_cdd = 0;
  std::vector<double> beta_production;  // usage per unit of each product
  double r_squared_adj = 0;
  int candidates_fitted = 0;
  int baseline_rows = 0;
  FitStatistics totals;  // Guideline 14, period totals
  std::vector<std::string> warnings;
  Method method = Method::kDaily;
};

ProductionModel FitProductionModel(const UsageSeries& usage, const HourlyTemperature& grid,
                                   const ProductionSeries& production, Instant baseline_end,
                                   Method method, Fuel fuel, const CaltrackSettings& settings,
                                   std::chrono::minutes day_offset = std::chrono::minutes(0));

Savings ComputeProductionSavings(const ProductionModel& model, const UsageSeries& usage,
                                 const HourlyTemperature& grid, const ProductionSeries& production,
                                 Instant reporting_start, const CaltrackSettings& settings,
                                 std::chrono::minutes day_offset = std::chrono::minutes(0));

}  // namespace cl::mv
