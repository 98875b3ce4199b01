#include "mv_runs/mv_service.h"

#include <toml++/toml.h>

#include <charconv>
#include <set>

#include "core/csv.h"
#include "core/encoding.h"
#include "formats/toml_reader.h"

namespace cl {
namespace {

Result<mv::CaltrackSettings> ParseCaltrack(const std::string& text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Error::InvalidInput(std::string(e.description()),
                               {source, static_cast<int>(e.source().begin.line),
                                static_cast<int>(e.source().begin.column), ""});
  }
  TomlReader r{root, source, std::nullopt, {}};
  mv::CaltrackSettings s;
  s.balance_point_min_f = r.Int("grid.balance_point_min_f");
  s.balance_point_max_f = r.Int("grid.balance_point_max_f");
  s.balance_point_step_f = r.Int("grid.balance_point_step_f");
  s.baseline_days = r.Int("baseline.days");
  s.daily_minimum_non_zero = r.Number("daily.minimum_non_zero_degree_days");
  s.daily_minimum_total = r.Number("daily.minimum_total_degree_days");
  s.daily_hourly_coverage = r.Number("daily.hourly_coverage_per_day");
  s.billing_minimum_non_zero = r.Number("billing.minimum_non_zero_degree_days");
  s.billing_minimum_total = r.Number("billing.minimum_total_degree_days");
  s.billing_hourly_coverage = r.Number("billing.hourly_coverage_per_period");
  s.billing_temperature_window_days = r.Int("billing.temperature_window_days");
  s.sufficiency_daily_coverage = r.Number("sufficiency.minimum_fraction_daily_coverage");
  s.sufficiency_temperature_coverage =
      r.Number("sufficiency.minimum_fraction_hourly_temperature_coverage");
  s.extreme_value_iqr_multiple = r.Number("sufficiency.extreme_value_iqr_multiple");
  s.hourly_hdd_bp_f = r.Number("hourly.occupancy_hdd_balance_point_f");
  s.hourly_cdd_bp_f = r.Number("hourly.occupancy_cdd_balance_point_f");
  s.hourly_occupancy_threshold = r.Number("hourly.occupancy_threshold");
  s.hourly_minimum_bin_hours = r.Int("hourly.minimum_hours_per_bin");
  r.read.insert("hourly.temperature_bin_endpoints_f");
  if (const toml::array* bins = root.at_path("hourly.temperature_bin_endpoints_f").as_array()) {
    for (const auto& v : *bins) {
      if (auto d = v.value<double>()) s.hourly_bin_endpoints_f.push_back(*d);
    }
  }
  if (s.hourly_bin_endpoints_f.empty() && !r.error) {
    r.error = Error::InvalidInput("hourly.temperature_bin_endpoints_f must be a list of numbers",
                                  {source, 0, 0, "hourly.temperature_bin_endpoints_f"});
  }
  r.CheckUnknown();
  if (r.error) return *r.error;
  if (s.balance_point_step_f <= 0 || s.balance_point_min_f > s.balance_point_max_f ||
      s.baseline_days <= 0) {
    return Error::InvalidInput("grid and baseline settings are inconsistent",
                               {source, 0, 0, "grid"});
  }
  return s;
}

Status ParseFsu(const std::string& text, const std::string& source, MvSettings& out) {
  CsvTable t = ParseCsv(text, source);
  if (!t.errors.empty()) return t.errors.errors().front();
  bool daily = false, billing = false;
  for (size_t i = 1; i < t.records.size(); ++i) {
    const CsvRecord& r = t.records[i];
    std::array<double, 3> v{};
    bool ok = r.fields.size() == 5;
    for (size_t k = 0; ok && k < 3; ++k) {
      const std::string& f = r.fields[k + 1];
      auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v[k]);
      ok = ec == std::errc() && p == f.data() + f.size();
    }
    if (!ok)
      return Error::InvalidInput("expected interval,a,b,d,source with numbers",
                                 {source, r.line, 0, ""});
    if (r.fields[0] == "daily")
      out.fsu_daily = v, daily = true;
    else if (r.fields[0] == "billing")
      out.fsu_billing = v, billing = true;
    else
      return Error::InvalidInput("unknown interval '" + r.fields[0] + "'",
                                 {source, r.line, 1, "interval"});
  }
  if (!daily || !billing)
    return Error::InvalidInput("needs a daily and a billing row", {source, 0, 0, ""});
  return Ok{};
}

}  // namespace

Result<MvSettings> LoadMvSettings(const std::string& data_dir) {
  MvSettings out;
  const std::string toml_path = data_dir + "/mv/caltrack.toml";
  const std::string fsu_path = data_dir + "/mv/fsu-coefficients.csv";
  Result<std::string> toml_text = ReadFile(toml_path);
  if (!toml_text.ok()) return toml_text.error();
  Result<mv::CaltrackSettings> caltrack = ParseCaltrack(*toml_text, toml_path);
  if (!caltrack.ok()) return caltrack.error();
  out.caltrack = *caltrack;
  Result<std::string> fsu_text = ReadFile(fsu_path);
  if (!fsu_text.ok()) return fsu_text.error();
  if (Status s = ParseFsu(*fsu_text, fsu_path, out); !s.ok()) return s.error();
  return out;
}

}  // namespace cl
