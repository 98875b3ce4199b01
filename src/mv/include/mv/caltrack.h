// CalTRACK 2.0 daily and billing baseline models and avoided energy use,
// computed exactly as OpenEEmeter 3.2.0 does (the method's canonical code;
// step-by-step description and every difference from the method text in
// docs/mv/caltrack-eemeter-3.2.0.md).
//
// Success: a CaltrackModel with status kSuccess, the selected model and its
// statistics. Degenerate data (no rows, no qualifying candidate) is a status
// with warnings, never NaN and never an exception.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "mv/series.h"
#include "mv/statistics.h"

namespace cl::mv {

enum class Method { kDaily, kBilling, kHourly };

// From data/mv/caltrack.toml.
struct CaltrackSettings {
  int balance_point_min_f = 0;
  int balance_point_max_f = 0;
  int balance_point_step_f = 1;
  int baseline_days = 0;
  double daily_minimum_non_zero = 0;
  double daily_minimum_total = 0;
  double daily_hourly_coverage = 0;
  double billing_minimum_non_zero = 0;
  double billing_minimum_total = 0;
  double billing_hourly_coverage = 0;
  int billing_temperature_window_days = 0;
  double sufficiency_daily_coverage = 0;
  double sufficiency_temperature_coverage = 0;
  double extreme_value_iqr_multiple = 0;
  double hourly_hdd_bp_f = 0;
  double hourly_cdd_bp_f = 0;
  double hourly_occupancy_threshold = 0;
  std::vector<double> hourly_bin_endpoints_f;
  int hourly_minimum_bin_hours = 0;
};

enum class ModelType { kIntercept, kHddOnly, kCddOnly, kCddHdd };
const char* ModelTypeName(ModelType t);

struct Candidate {
  ModelType type = ModelType::kIntercept;
  int heating_bp = 0;  // °F, 0 when unused
  int cooling_bp = 0;
  double intercept = 0, beta_hdd = 0, beta_cdd = 0;
  double r_squared_adj = 0;
  enum class Status {
    kQualified,
    kDisqualified,
    kNotAttempted,
    kError
  } status = Status::kQualified;
};

enum class FitStatus { kSuccess, kNoData, kNoModel };
const char* FitStatusName(FitStatus s);

// One baseline or reporting period after the CalTRACK data preparation.
struct DesignRow {
  Instant start;
  Instant end;
  double days = 0;                         // (end − start) / 86 400 s
  std::optional<double> usage;             // period total as given
  double n_days_kept = 0;                  // days with enough temperature
  double n_days_total = 0;                 // kept + dropped
  std::optional<double> temperature_mean;  // °F; nullopt = no usable temperature
  int temperature_hours = 0;               // hours of the temperature grid matched
  int temperature_hours_valid = 0;         // of which not missing
  std::vector<double> daily_means;         // °F of the kept days (24-hour chunks)
  bool usable() const { return usage.has_value() && !daily_means.empty(); }
};

struct CaltrackModel {
  FitStatus status = FitStatus::kNoData;
  Method method = Method::kDaily;
  Fuel fuel = Fuel::kElectricity;
  Candidate selected;
  int candidates_fitted = 0;
  int candidates_qualified = 0;
  int baseline_rows = 0;     // rows used in the fit
  double baseline_days = 0;  // their calendar days
  // Reported as eemeter does (totals metrics): CV(RMSE) over n, NMBE = Σ(ŷ−y)/Σy.
  std::optional<double> cvrmse;
  std::optional<double> nmbe;
  FitStatistics totals;  // Guideline 14 statistics on period totals
  std::vector<DesignRow> baseline;
  std::vector<double> fitted;  // predicted total per usable baseline row
  std::vector<std::string> warnings;
};

// Fits the baseline: the periods that start in [baseline_end − N days,
// baseline_end] (N from settings), the last of them closing the previous.
// `day_offset`: local offset that defines a calendar day for daily data
// (0 = UTC, as the CalTRACK reference results).
CaltrackModel FitCaltrack(const UsageSeries& usage, const HourlyTemperature& grid,
                          Instant baseline_end, Method method, Fuel fuel,
                          const CaltrackSettings& settings,
                          std::chrono::minutes day_offset = std::chrono::minutes(0));

struct ReportingPeriodRow {
  Instant start;
  Instant end;
  std::optional<double> observed;
  std::optional<double> counterfactual;
};

struct Savings {
  double counterfactual = 0;  // Σ over rows with both values
  double observed = 0;
  double savings = 0;  // counterfactual − observed (positive = saved)
  int rows = 0;
  int rows_skipped = 0;       // missing observation or temperature
  std::optional<double> fsu;  // CalTRACK §4.3.2.4 at 90 % confidence
  std::vector<ReportingPeriodRow> periods;
  std::vector<std::string> warnings;

  // Adds a period: counted in both totals only when it has both values
  // (eemeter's dropna), kept in `periods` either way.
  void Add(const ReportingPeriodRow& p);
};

// Avoided energy use over the periods starting in [reporting_start,
// reporting_start + N days]; `fsu_a_b_d` are the Sun & Baltazar coefficients
// for the model's interval (data/mv/fsu-coefficients.csv).
Savings ComputeSavings(const CaltrackModel& model, const UsageSeries& usage,
                       const HourlyTemperature& grid, Instant reporting_start,
                       const CaltrackSettings& settings, std::array<double, 3> fsu_a_b_d,
                       std::chrono::minutes day_offset = std::chrono::minutes(0));

}  // namespace cl::mv
