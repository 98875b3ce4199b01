#include "formats/vee_settings.h"

#include "core/encoding.h"
#include "formats/toml_reader.h"

namespace cl {

Result<VeeSettings> LoadVeeSettings(const std::string& data_dir) {
  const std::string path = data_dir + "/vee.toml";
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.error();
  auto root = ParseToml(*bytes, path);
  if (!root.ok()) return root.error();
  TomlReader r{*root, path, std::nullopt, {}};
  VeeSettings s;
  s.minimum_daily_completeness = r.Number("completeness.minimum_daily");
  s.maximum_daily_monthly_gap = r.Number("consistency.maximum_daily_monthly_gap");
  s.spike_factor = r.Number("spike.factor");
  s.register_reset_fraction = r.Number("register.reset_fraction");
  s.rollover_band = r.Number("register.rollover_band");
  s.future_tolerance = std::chrono::seconds(r.Int("time.future_tolerance_seconds"));
  r.CheckUnknown();
  if (r.error) return *r.error;
  for (double share : {s.minimum_daily_completeness, s.maximum_daily_monthly_gap,
                       s.register_reset_fraction, s.rollover_band})
    if (!(share > 0 && share < 1))
      return Error::InvalidInput("shares in vee.toml must be between 0 and 1", {path, 0, 0, ""});
  return s;
}

}  // namespace cl
