// The plan of the demo city: its random streams, and the units, sites,
// meters, faults and bills drawn for a DemoOptions before any file is written
// (demo_plan.cpp). demo_city.cpp writes the files from the plan.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "demo/demo_city.h"
#include "demo_assumptions.h"

namespace cl::demo_city {

// ============================================================================
// Random numbers
// ============================================================================

// splitmix64 (Steele, Lea & Flood 2014): small, fast and the same everywhere.
inline uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

enum class Stream : uint64_t {
  kCity = 1,
  kUnit,
  kClimate,
  kNoise,
  kFaults,
  kFaultPlace,
  kBills,
  kFuel,
  kOutput,
  kFloorArea
};

inline uint64_t StreamSeed(uint64_t seed, Stream what, uint64_t index) {
  uint64_t s = seed;
  uint64_t t = SplitMix(s) ^ (static_cast<uint64_t>(what) * 0xD1B54A32D192ED03ull);
  uint64_t u = SplitMix(t) ^ (index * 0x9E3779B97F4A7C15ull);
  return SplitMix(u);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return SplitMix(state_); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  double Uniform(Range r) { return Uniform(r.lo, r.hi); }
  double LogUniform(Range r) { return r.lo * std::exp(Uniform() * std::log(r.hi / r.lo)); }
  int64_t Int(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  // Box–Muller; the second value of each pair is kept for the next call.
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(1.0 - Uniform()));
    const double angle = 2.0 * std::numbers::pi * Uniform();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }
  template <typename T>
  void Shuffle(std::vector<T>& v) {  // Fisher–Yates
    for (size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[static_cast<size_t>(Int(0, static_cast<int64_t>(i) - 1))]);
  }
  size_t Weighted(const std::vector<double>& weights) {
    double x = Uniform() * std::accumulate(weights.begin(), weights.end(), 0.0);
    for (size_t i = 0; i < weights.size(); ++i) {
      x -= weights[i];
      if (x < 0) return i;
    }
    for (size_t i = weights.size(); i > 0; --i)  // rounding at the end: the last positive
      if (weights[i - 1] > 0) return i - 1;
    return 0;
  }

 private:
  uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// ============================================================================
// The plan of the city
// ============================================================================

enum class Carrier { kElectricity, kGas, kHeat };
struct CarrierInfo {
  std::string_view name, unit_of_measure, prefix;
  int decimals;
};
constexpr std::array<CarrierInfo, 3> kCarriers = {
    {{"electricity", "kWh", "E", 2}, {"natural_gas", "m3", "G", 1}, {"heat", "GJ", "H", 3}}};
inline const CarrierInfo& Info(Carrier c) { return kCarriers[static_cast<size_t>(c)]; }

enum class FaultKind { kGap, kSpike, kDuplicate, kRegisterReset };
constexpr std::array<std::string_view, 4> kFaultNames = {"gap", "spike", "duplicate",
                                                         "register_reset"};

struct Fault {
  FaultKind kind;
  int64_t index;    // reading number from the start of the period
  int64_t length;   // readings (gaps)
  double factor;    // spike multiplier; duplicate ratio
  double original;  // value without the fault (filled while writing)
  double written;   // value written instead, or as the second row
};

struct CityDay {
  std::string date;     // YYYY-MM-DD
  int month_index = 0;  // months since the first month of the period
  DayType type = DayType::kWorkday;
  double mean_temp = 0;
};

// Rate = process_scale·(base + (1 − base)·activity) + weather_scale·degrees·gate.
struct LoadModel {
  double base = 0;           // share of the process part independent of activity
  bool meals = false;        // activity = meal times (kitchens), else operations
  bool cooling = true;       // degrees above kCoolingBase, else below kHeatingBase
  double hvac_idle = 0;      // gate = hvac_idle + (1 − hvac_idle)·operations
  double weather_share = 0;  // of the annual amount
  double process_scale = 0, weather_scale = 0;  // per hour, from Calibrate
};

struct MeterPlan {
  std::string id, site_id;
  int index = 0;  // in City::meters; keys the meter's random streams
  int unit = 0;   // in City::units
  Carrier carrier = Carrier::kElectricity;
  int interval_s = 900;  // 900, 3600 or 86400
  bool is_register = false;
  int multiplier = 1;
  double register_start = 0;
  double annual = 0;  // true consumption per year (kWh, m3, GJ)
  LoadModel model;
  std::vector<Fault> faults;       // sorted by index
  std::vector<double> true_month;  // true consumption per month, primary side
  std::vector<double> read_month;  // first row of each timestamp × multiplier
};

struct SitePlan {
  std::string id, name;
  int district;
};

struct UnitPlan {
  std::string id, credit_code, name_zh, name_en, trade_zh;
  int archetype = 0, district = 0, shifts = 0;
  std::array<double, 4> day_levels{};  // by DayType
  std::vector<SitePlan> sites;
  std::vector<int> meters;  // in City::meters
  bool billed = false, lpg = false;
};

struct BillMismatch {
  int meter, month;
  double factor;
};

struct City {
  DemoOptions opt;
  int first_year = 0, months = 0;
  std::vector<CityDay> days;
  std::vector<UnitPlan> units;
  std::vector<MeterPlan> meters;
  std::vector<BillMismatch> mismatches;
};

inline const Archetype& ArchetypeOf(const UnitPlan& u) {
  return kArchetypes[static_cast<size_t>(u.archetype)];
}
inline int64_t ReadingsPerDay(const MeterPlan& m) { return 86400 / m.interval_s; }

// Expected consumption of reading `slot` of day `d`, before noise.
double ModelEnergy(const MeterPlan& m, const UnitPlan& u, const CityDay& d, int64_t slot);

// The whole city for `o`: its days, units with their sites and meters (each
// meter calibrated to its annual consumption), faults and bill mismatches.
City PlanCity(const DemoOptions& o);

}  // namespace cl::demo_city
