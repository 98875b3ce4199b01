#include "formats/vee_settings.h"

#include <fstream>
#include <sstream>

#include "core/settings.h"

namespace cl {

Result<VeeSettings> LoadVeeSettings(const std::string& data_dir) {
  Result<SettingsReader> reader = SettingsReader::Load(data_dir + "/vee.toml");
  if (!reader.ok()) return reader.error();
  SettingsTable root = reader->Root();
  const Range share = Range::Open(0, 1);
  VeeSettings s;
  s.minimum_daily_completeness = root.Table("completeness").Number("minimum_daily", share);
  s.maximum_daily_monthly_gap =
      root.Table("consistency").Number("maximum_daily_monthly_gap", share);
  s.spike_factor = root.Table("spike").Number("factor", Range::Closed(1, 1000));
  SettingsTable reg = root.Table("register");
  s.register_reset_fraction = reg.Number("reset_fraction", share);
  s.rollover_band = reg.Number("rollover_band", share);
  s.register_years = reg.Number("counter_years", Range::Closed(1, 1000));
  s.future_tolerance =
      std::chrono::seconds(root.Table("time").Whole("future_tolerance_seconds", {0, 86400}));
  if (Status done = reader->Finish(); !done.ok()) return done.error();
  const std::string bounds_path = data_dir + "/bounds.csv";
  std::ifstream in(bounds_path, std::ios::binary);
  if (!in) return Error::Io("cannot read " + bounds_path, {bounds_path, 0, 0, ""});
  std::stringstream text;
  text << in.rdbuf();
  auto bounds = PhysicalBounds::Parse(text.str(), bounds_path);
  if (!bounds.ok()) return Error::Several(bounds.errors());
  s.bounds = std::move(bounds.value());
  return s;
}

}  // namespace cl
