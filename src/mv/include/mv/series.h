// Meter usage and temperature series as the M&V models consume them.
#pragma once

#include <optional>
#include <string>
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

enum class Fuel { kElectricity, kGas };

}  // namespace cl::mv
