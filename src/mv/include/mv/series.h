// Meter usage and temperature series as the M&V models consume them.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/timestamp.h"

namespace cl::mv {

// Usage per period: period i runs from start[i] to start[i+1]; the last
// start is the end of the last period (its value is ignored). A missing
// value is std::nullopt.
struct UsageSeries {
  std::vector<Instant> start;
  std::vector<std::optional<double>> value;
  std::string unit;  // as given ("kWh", "therm", ...)
};

// Hourly (or finer) dry-bulb temperature in degrees Fahrenheit, ascending.
// CalTRACK's balance-point grid is defined in °F; Celsius input is converted.
struct TemperatureSeries {
  std::vector<Instant> time;
  std::vector<double> fahrenheit;
};

// A TemperatureSeries on a complete hourly grid (a missing hour is NaN), as
// eemeter's resample("H"). Build it once and share it between meters (read-only).
class HourlyTemperature {
 public:
  explicit HourlyTemperature(const TemperatureSeries& t);
  // Indexes of the grid hours h with from <= h < to (clamped to the grid).
  std::pair<size_t, size_t> Range(Instant from, Instant to) const;
  double at(size_t i) const { return values_[i]; }
  // The temperature of the hour starting at `t` (NaN when absent).
  double At(Instant t) const;
  bool empty() const { return values_.empty(); }

 private:
  Instant start_{};
  std::vector<double> values_;
};

enum class Fuel { kElectricity, kGas };

}  // namespace cl::mv
