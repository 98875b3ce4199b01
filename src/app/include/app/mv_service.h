// The M&V use case: CalTRACK settings from data/mv/, reading usage and
// temperature files, fitting baselines and computing savings.
#pragma once

#include <array>
#include <string>

#include "core/error.h"
#include "mv/caltrack.h"

namespace cl {

struct MvSettings {
  mv::CaltrackSettings caltrack;
  std::array<double, 3> fsu_daily{};  // a, b, d (data/mv/fsu-coefficients.csv)
  std::array<double, 3> fsu_billing{};
};

// Reads data/mv/caltrack.toml and data/mv/fsu-coefficients.csv; every key is
// required and unknown keys are errors.
Result<MvSettings> LoadMvSettings(const std::string& data_dir);

}  // namespace cl
