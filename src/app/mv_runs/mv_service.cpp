#include "mv_runs/mv_service.h"

#include <charconv>
#include <set>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/settings.h"

namespace cl {
namespace {

void ReadDegreeDays(SettingsTable root, mv::CaltrackSettings& s) {
  const Range degree_days = Range::Closed(0, 1000);
  const Range share = Range::Closed(0, 1);
  SettingsTable daily = root.Table("daily");
  s.daily_minimum_non_zero = daily.Number("minimum_non_zero_degree_days", degree_days);
  s.daily_minimum_total = daily.Number("minimum_total_degree_days", degree_days);
  s.daily_hourly_coverage = daily.Number("hourly_coverage_per_day", share);
  SettingsTable billing = root.Table("billing");
  s.billing_minimum_non_zero = billing.Number("minimum_non_zero_degree_days", degree_days);
  s.billing_minimum_total = billing.Number("minimum_total_degree_days", degree_days);
  s.billing_hourly_coverage = billing.Number("hourly_coverage_per_period", share);
  s.billing_temperature_window_days =
      static_cast<int>(billing.Whole("temperature_window_days", {1, 366}));
  SettingsTable sufficiency = root.Table("sufficiency");
  s.sufficiency_daily_coverage = sufficiency.Number("minimum_fraction_daily_coverage", share);
  s.sufficiency_temperature_coverage =
      sufficiency.Number("minimum_fraction_hourly_temperature_coverage", share);
  s.extreme_value_iqr_multiple =
      sufficiency.Number("extreme_value_iqr_multiple", Range::Open(0, 100));
}

void ReadHourly(SettingsTable hourly, mv::CaltrackSettings& s) {
  const Range fahrenheit = Range::Closed(-100, 200);
  s.hourly_hdd_bp_f = hourly.Number("occupancy_hdd_balance_point_f", fahrenheit);
  s.hourly_cdd_bp_f = hourly.Number("occupancy_cdd_balance_point_f", fahrenheit);
  s.hourly_occupancy_threshold = hourly.Number("occupancy_threshold", Range::Closed(0, 1));
  s.hourly_bin_endpoints_f = hourly.Numbers("temperature_bin_endpoints_f", fahrenheit);
  s.hourly_minimum_bin_hours = static_cast<int>(hourly.Whole("minimum_hours_per_bin", {1, 8760}));
}

Result<mv::CaltrackSettings> ParseCaltrack(const std::string& text, const std::string& source) {
  Result<SettingsReader> reader = SettingsReader::Parse(text, source);
  if (!reader.ok()) return reader.error();
  SettingsTable root = reader->Root();
  mv::CaltrackSettings s;
  SettingsTable grid = root.Table("grid");
  s.balance_point_min_f = static_cast<int>(grid.Whole("balance_point_min_f", {-100, 200}));
  s.balance_point_max_f = static_cast<int>(grid.Whole("balance_point_max_f", {-100, 200}));
  s.balance_point_step_f = static_cast<int>(grid.Whole("balance_point_step_f", {1, 30}));
  if (s.balance_point_min_f > s.balance_point_max_f)
    grid.Fail("balance_point_max_f", "must not be below grid.balance_point_min_f");
  s.baseline_days = static_cast<int>(root.Table("baseline").Whole("days", {1, 3660}));
  ReadDegreeDays(root, s);
  ReadHourly(root.Table("hourly"), s);
  if (Status done = reader->Finish(); !done.ok()) return done.error();
  return s;
}

Status ParseFsu(const std::string& text, const std::string& source, MvSettings& out) {
  CsvTable t = ParseCsv(text, source);
  if (!t.errors.empty()) return t.errors.errors().front();
  bool daily = false;
  bool billing = false;
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
