// The M&V use case: CalTRACK settings from data/mv/, reading usage and
// temperature files, fitting baselines and computing savings.
#pragma once

#include <array>
#include <string>

#include "core/error.h"
#include "mv/caltrack.h"
#include "mv/hourly.h"
#include "mv/production.h"

namespace cl {

struct MvSettings {
  mv::CaltrackSettings caltrack;
  std::array<double, 3> fsu_daily{};  // a, b, d (data/mv/fsu-coefficients.csv)
  std::array<double, 3> fsu_billing{};
};

// Reads data/mv/caltrack.toml (core/settings.h: every key required, counts and
// the balance-point grid whole numbers, every value within its range, unknown
// keys refused; every mistake at once with file:line:column) and
// data/mv/fsu-coefficients.csv.
Result<MvSettings> LoadMvSettings(const std::string& data_dir);

}  // namespace cl

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "refdata/reference_store.h"

namespace cl {

struct MvRequest {
  std::string usage_path;
  std::string temperature_path;
  mv::Method method = mv::Method::kDaily;
  mv::Fuel fuel = mv::Fuel::kElectricity;
  std::string usage_unit = "kWh";  // unit of the usage values
  Instant baseline_end{};
  std::optional<Instant> reporting_start;  // set = compute savings
  std::chrono::minutes naive_offset{480};  // offset for timestamps without one (+08:00)
  std::chrono::minutes day_offset{
      0};  // calendar day of daily data (0 = UTC, as CalTRACK's reference)
  // Savings in tCO2e through the accounting engine (empty = not computed).
  std::string methodology;
  std::string province = "310000";
  // IPMVP Option C with production: a production file selects the production model.
  std::string production_path;
  // Non-routine adjustments: amount (usage unit) added to the adjusted baseline, and why.
  std::vector<std::pair<double, std::string>> adjustments;
};

struct MvResult {
  mv::CaltrackModel model;
  std::optional<mv::ProductionModel> production;
  std::optional<mv::HourlyModel> hourly;
  std::optional<mv::Savings> savings;
  std::optional<double> savings_tco2e;
  std::string emissions_note;
};

// Reads both files (all errors), fits, and computes savings when asked.
// The temperature file once, as the grid every meter of a call shares.
Checked<std::unique_ptr<const mv::HourlyTemperature>> LoadTemperature(
    const std::string& path, std::chrono::minutes naive_offset);

Checked<MvResult> RunMv(const MvRequest& req, const MvSettings& settings,
                        const ReferenceData* reference, const mv::HourlyTemperature& grid);

nlohmann::json MvResultJson(const MvRequest& request, const MvResult& result, bool with_series);
std::string MvResultTable(const MvRequest& request, const MvResult& result);

}  // namespace cl
