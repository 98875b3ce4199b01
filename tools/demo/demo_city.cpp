// The synthetic city of app/demo_data.h.
//
// Every random draw comes from a splitmix64 stream keyed by its purpose and an
// index (a unit, a meter), so the data of one meter do not depend on how many
// numbers were drawn for another, and the same options give the same bytes.
// std:: distributions are not used: their algorithms differ between standard
// libraries, and the files must not.
//
// Readings are produced meter by meter and streamed to the unit's file; what
// the bills and the README need (monthly sums, the values at each fault) is
// collected on the way.
#include "demo/demo_city.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <numbers>
#include <numeric>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/credit_code.h"
#include "core/csv.h"

namespace cl {
namespace {

using std::chrono::sys_days;

// ============================================================================
// Assumptions. Nothing here is measured: the values make the data look like
// Shanghai's key energy-using units and exercise every import and VEE path.
// ============================================================================

// Climate: daily mean 17 + 11·sin(2π(doy − 110)/365) °C (≈6 °C in mid-January,
// ≈28 °C in late July) plus an AR(1) anomaly; a ±4 °C diurnal cosine peaking at 14:00.
constexpr double kTempMean = 17.0;
constexpr double kTempAmplitude = 11.0;
constexpr double kTempPhaseDoy = 110.0;
constexpr double kTempDiurnal = 4.0;
constexpr double kTempPeakHour = 14.0;
constexpr double kTempPersistence = 0.7;  // day-to-day AR(1) coefficient
constexpr double kTempShock = 1.5;        // °C innovation: anomalies spread ≈2.1 °C
constexpr double kCoolingBase = 22.0;     // electricity for cooling ∝ max(0, T − 22)
constexpr double kHeatingBase = 15.0;     // gas and heat for heating ∝ max(0, 15 − T)

// Noise on the load shape.
constexpr double kReadingNoise = 0.03;   // multiplicative, independent per reading
constexpr double kDayPersistence = 0.6;  // a meter's day-level deviation, AR(1)
constexpr double kDayShock = 0.015;

// Meters, faults and bills.
constexpr std::array<int, 3> kCtRatios = {40, 80, 200};  // large industrial feeders
constexpr double kCtMinimumKwh = 2e6;                    // smaller feeders are metered directly
constexpr int kRegisterEvery = 5;             // every 5th gas meter is a register (≈20 %)
constexpr double kRollover = 99999999;        // register maximum
constexpr double kBilledShare = 0.5;          // units whose electricity bills go to activities.csv
constexpr double kMinimumCompleteness = 0.9;  // data/vee.toml [completeness] minimum_daily

enum class Shape { kFactory, kFab, kDataCentre, kOffice, kMall, kHospital, kPark };

struct Range {
  double lo, hi;
};
struct IntRange {
  int lo, hi;
};

// Share of the operating load that runs on each kind of day (1 = a working day).
struct DayLevels {
  double workday;
  Range weekend;
  double holiday, spring_festival;
};

// A gas or heat supply of an archetype.
struct Supply {
  double chance;         // share of units that have the meter
  Range annual;          // m3 or GJ per year (log-uniform)
  double base;           // share of the process part that runs whatever the activity
  double heating_share;  // share of the annual amount that is space heating
  bool meals;            // the process part follows meal times (kitchens)
};

struct Archetype {
  std::string_view key, industry_code, registration, name_zh, name_en, site_zh;
  Shape shape;
  std::array<double, 5> district_weight;  // by District::cls
  Range electricity_gwh;                  // whole unit, per year (log-uniform)
  Range base_load;                        // idle electricity, share of the operating load
  double cooling_share;                   // share of annual electricity that is cooling
  double hvac_idle;                       // share of cooling/heating running when closed
  DayLevels days;
  IntRange shifts;  // factories: 1 to 3 shifts
  double ct_share;  // share of large feeders behind CTs
  Supply gas, heat;
  Range diesel_vehicles_t, diesel_generator_t;  // t per quarter; {0, 0} = none
  double lpg_chance;
  Range output_per_mwh;  // output value, 10^4 CNY per MWh of electricity (synthetic)
};

// GB/T 4754-2017 codes; GB 32100 registration "91" = company, "12" = public institution.
constexpr std::array<Archetype, 8> kArchetypes = {{
    // key, industry, registration, name (zh, en), site word, shape,
    // district weights {CBD, inner, Pudong, industrial, outer}, GWh/yr, base load,
    // cooling share, HVAC idle share, day levels {workday, weekend, holiday, Spring
    // Festival}, shifts, CT share,
    // gas {chance, m3/yr, base, heating share, meals}, heat {chance, GJ/yr, ...},
    // diesel t/quarter (vehicles, generators), LPG chance
    {"auto_parts",
     "C3670",
     "91",
     "汽车零部件有限公司",
     "Auto Parts Co., Ltd.",
     "厂区",
     Shape::kFactory,
     {0, 0, 3, 6, 2},
     {5, 40},
     {0.15, 0.3},
     0.10,
     0.4,
     {1, {0.3, 0.6}, 0.35, 0.12},
     {2, 3},
     0.5,
     {0.8, {3e5, 2e6}, 0.2, 0.3, false},
     {0.1, {5e3, 2e4}, 0.4, 0.5, false},
     {4, 20},
     {0, 0},
     0.3,
     {1.0, 2.5}},
    {"semiconductor",
     "C3973",
     "91",
     "半导体制造有限公司",
     "Semiconductor Manufacturing Co., Ltd.",
     "晶圆厂",
     Shape::kFab,
     {0, 0, 3, 2, 1},
     {20, 50},
     {0.85, 0.92},
     0.15,
     1.0,
     {1, {0.97, 1.0}, 0.97, 0.95},
     {3, 3},
     0.6,
     {0.6, {2e5, 1e6}, 0.6, 0.3, false},
     {0, {1, 1}, 0, 0, false},
     {1, 4},
     {0.5, 2},
     0,
     {0.6, 1.5}},
    {"pharma",
     "C2710",
     "91",
     "制药有限公司",
     "Pharmaceutical Co., Ltd.",
     "厂区",
     Shape::kFactory,
     {0, 1, 2, 4, 2},
     {3, 25},
     {0.25, 0.4},
     0.15,
     0.5,
     {1, {0.4, 0.8}, 0.4, 0.2},
     {1, 3},
     0.4,
     {0.9, {5e5, 3e6}, 0.3, 0.35, false},
     {0.4, {1e4, 6e4}, 0.5, 0.3, false},
     {2, 10},
     {0, 0},
     0.3,
     {2.0, 5.0}},
    {"data_centre",
     "I6450",
     "91",
     "数据科技有限公司",
     "Data Technology Co., Ltd.",
     "数据中心",
     Shape::kDataCentre,
     {0, 1, 2, 2, 4},
     {10, 50},
     {0.9, 0.95},
     0.25,
     1.0,
     {1, {1, 1}, 1, 1},
     {0, 0},
     0.5,
     {0, {1, 1}, 0, 0, false},
     {0, {1, 1}, 0, 0, false},
     {0.3, 1.5},
     {1, 4},
     0,
     {0.1, 0.3}},
    {"office",
     "K7040",
     "91",
     "商务楼宇经营有限公司",
     "Commercial Property Co., Ltd.",
     "大厦",
     Shape::kOffice,
     {8, 4, 4, 1, 1},
     {1.5, 12},
     {0.25, 0.35},
     0.35,
     0.1,
     {1, {0.1, 0.15}, 0.08, 0.06},
     {0, 0},
     0,
     {0.5, {2e4, 1.2e5}, 0.05, 0.25, true},
     {0.25, {3e3, 1.5e4}, 0.1, 0.85, false},
     {0.3, 1.5},
     {0, 0},
     0,
     {1.5, 4.0}},
    {"mall",
     "F5211",
     "91",
     "百货商业有限公司",
     "Department Store Co., Ltd.",
     "广场",
     Shape::kMall,
     {5, 4, 3, 1, 1},
     {3, 20},
     {0.15, 0.25},
     0.35,
     0.1,
     {0.8, {1, 1}, 1, 0.9},
     {0, 0},
     0,
     {0.9, {5e4, 3e5}, 0.08, 0.2, true},
     {0.1, {3e3, 1.5e4}, 0.1, 0.85, false},
     {0.2, 1},
     {0, 0},
     0,
     {1.5, 4.0}},
    {"hospital",
     "Q8411",
     "12",
     "医院",
     "Hospital",
     "院区",
     Shape::kHospital,
     {3, 3, 2, 1, 2},
     {4, 20},
     {0.5, 0.6},
     0.3,
     1.0,
     {1, {0.5, 0.6}, 0.45, 0.4},
     {0, 0},
     0,
     {1, {2e5, 1e6}, 0.45, 0.5, true},
     {0.5, {1e4, 5e4}, 0.4, 0.6, false},
     {0.5, 2},
     {0.5, 2},
     0,
     {1.2, 3.0}},
    {"park",
     "L7221",
     "91",
     "科创园区运营管理有限公司",
     "Innovation Park Management Co., Ltd.",
     "园区",
     Shape::kPark,
     {1, 2, 3, 3, 2},
     {2, 30},
     {0.25, 0.35},
     0.25,
     0.3,
     {1, {0.4, 0.6}, 0.35, 0.2},
     {2, 2},
     0.4,
     {0.5, {1e5, 5e5}, 0.2, 0.4, false},
     {0.3, {5e3, 3e4}, 0.3, 0.7, false},
     {1, 5},
     {0, 0},
     0.1,
     {1.0, 3.0}},
}};

// Shanghai's 16 districts (GB/T 2260). cls: 0 CBD, 1 inner, 2 Pudong,
// 3 industrial, 4 outer; weight: share of units beyond the first 16.
struct District {
  std::string_view name, code, short_name;
  int cls;
  double weight;
};
constexpr std::array<District, 16> kDistricts = {{
    {"黄浦区", "310101", "黄浦", 0, 2},
    {"徐汇区", "310104", "徐汇", 0, 2},
    {"长宁区", "310105", "长宁", 0, 2},
    {"静安区", "310106", "静安", 0, 2},
    {"普陀区", "310107", "普陀", 1, 1.5},
    {"虹口区", "310109", "虹口", 1, 1.5},
    {"杨浦区", "310110", "杨浦", 1, 1.5},
    {"闵行区", "310112", "闵行", 3, 4},
    {"宝山区", "310113", "宝山", 3, 3},
    {"嘉定区", "310114", "嘉定", 3, 4},
    {"浦东新区", "310115", "浦东", 2, 6},
    {"金山区", "310116", "金山", 3, 3},
    {"松江区", "310117", "松江", 3, 3},
    {"青浦区", "310118", "青浦", 4, 2},
    {"奉贤区", "310120", "奉贤", 3, 3},
    {"崇明区", "310151", "崇明", 4, 1},
}};

// Trade names: two characters with their pinyin, in combinations chosen to be
// unlike any real company's.
struct Syllable {
  std::string_view zh, pinyin;
};
constexpr std::array<Syllable, 24> kTradeFirst = {{
    {"澄", "Cheng"}, {"沁", "Qin"},  {"泓", "Hong"}, {"淞", "Song"}, {"沐", "Mu"},
    {"汀", "Ting"},  {"湄", "Mei"},  {"涟", "Lian"}, {"溪", "Xi"},   {"澈", "Che"},
    {"泖", "Mao"},   {"蕰", "Yun"},  {"棠", "Tang"}, {"枫", "Feng"}, {"桦", "Hua"},
    {"榆", "Yu"},    {"杉", "Shan"}, {"岚", "Lan"},  {"峻", "Jun"},  {"晟", "Sheng"},
    {"昕", "Xin"},   {"曜", "Yao"},  {"旻", "Min"},  {"璟", "Jing"},
}};
constexpr std::array<Syllable, 24> kTradeSecond = {{
    {"屿", "yu"},   {"禾", "he"},   {"芯", "xin"}, {"川", "chuan"}, {"岬", "jia"},  {"湾", "wan"},
    {"舟", "zhou"}, {"岭", "ling"}, {"汐", "xi"},  {"麓", "lu"},    {"垣", "yuan"}, {"庐", "lu"},
    {"栖", "qi"},   {"砚", "yan"},  {"澍", "shu"}, {"渚", "zhu"},   {"桥", "qiao"}, {"坪", "ping"},
    {"堤", "di"},   {"帆", "fan"},  {"岑", "cen"}, {"苑", "yuan"},  {"泾", "jing"}, {"塘", "tang"},
}};

// Public holidays and the weekend days worked in exchange (调休), 2023–2026,
// as announced by the General Office of the State Council.
enum class DayType : uint8_t { kWorkday, kWeekend, kHoliday, kSpringFestival };
struct HolidaySpan {
  int year, month, day, length;
  DayType type;  // kWorkday: a weekend day worked instead
};
constexpr DayType kOff = DayType::kHoliday, kSpring = DayType::kSpringFestival,
                  kWorked = DayType::kWorkday;
constexpr auto kHolidays = std::to_array<HolidaySpan>({
    {2022, 12, 31, 3, kOff},  // 2023
    {2023, 1, 21, 7, kSpring},  {2023, 1, 28, 2, kWorked},  {2023, 4, 5, 1, kOff},
    {2023, 4, 23, 1, kWorked},  {2023, 4, 29, 5, kOff},     {2023, 5, 6, 1, kWorked},
    {2023, 6, 22, 3, kOff},     {2023, 6, 25, 1, kWorked},  {2023, 9, 29, 8, kOff},
    {2023, 10, 7, 2, kWorked},  {2023, 12, 30, 3, kOff},  // 2024
    {2024, 2, 4, 1, kWorked},   {2024, 2, 10, 8, kSpring},  {2024, 2, 18, 1, kWorked},
    {2024, 4, 4, 3, kOff},      {2024, 4, 7, 1, kWorked},   {2024, 4, 28, 1, kWorked},
    {2024, 5, 1, 5, kOff},      {2024, 5, 11, 1, kWorked},  {2024, 6, 8, 3, kOff},
    {2024, 9, 14, 1, kWorked},  {2024, 9, 15, 3, kOff},     {2024, 9, 29, 1, kWorked},
    {2024, 10, 1, 7, kOff},     {2024, 10, 12, 1, kWorked},  // 2025
    {2025, 1, 1, 1, kOff},      {2025, 1, 26, 1, kWorked},  {2025, 1, 28, 8, kSpring},
    {2025, 2, 8, 1, kWorked},   {2025, 4, 4, 3, kOff},      {2025, 4, 27, 1, kWorked},
    {2025, 5, 1, 5, kOff},      {2025, 5, 31, 3, kOff},     {2025, 9, 28, 1, kWorked},
    {2025, 10, 1, 8, kOff},     {2025, 10, 11, 1, kWorked},  // 2026
    {2026, 1, 1, 3, kOff},      {2026, 1, 4, 1, kWorked},   {2026, 2, 14, 1, kWorked},
    {2026, 2, 15, 9, kSpring},  {2026, 2, 28, 1, kWorked},  {2026, 4, 4, 3, kOff},
    {2026, 5, 1, 5, kOff},      {2026, 5, 9, 1, kWorked},   {2026, 6, 19, 3, kOff},
    {2026, 9, 20, 1, kWorked},  {2026, 9, 25, 3, kOff},     {2026, 10, 1, 7, kOff},
    {2026, 10, 10, 1, kWorked},
});
constexpr int kExactHolidaysFirst = 2023, kExactHolidaysLast = 2026;
// Other years: 1 Jan, 1–5 May, 1–7 Oct, and a Spring Festival week from the
// eve of Lunar New Year's Day (below, 2015–2030; none outside).
struct YearMonthDay {
  int year, month, day;
};
constexpr auto kLunarNewYear = std::to_array<YearMonthDay>({
    {2015, 2, 19},
    {2016, 2, 8},
    {2017, 1, 28},
    {2018, 2, 16},
    {2019, 2, 5},
    {2020, 1, 25},
    {2021, 2, 12},
    {2022, 2, 1},
    {2027, 2, 6},
    {2028, 1, 26},
    {2029, 2, 13},
    {2030, 2, 3},
});

// ============================================================================
// Random numbers
// ============================================================================

// splitmix64 (Steele, Lea & Flood 2014): small, fast and the same everywhere.
uint64_t SplitMix(uint64_t& state) {
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
  kOutput
};

uint64_t StreamSeed(uint64_t seed, Stream what, uint64_t index) {
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
const CarrierInfo& Info(Carrier c) { return kCarriers[static_cast<size_t>(c)]; }

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

const Archetype& ArchetypeOf(const UnitPlan& u) {
  return kArchetypes[static_cast<size_t>(u.archetype)];
}
int64_t ReadingsPerDay(const MeterPlan& m) { return 86400 / m.interval_s; }

// ---- calendar and climate --------------------------------------------------

sys_days Date(int y, int m, int d) { return sys_days(std::chrono::year(y) / m / d); }

int DaysIn(int year) { return static_cast<int>((Date(year + 1, 1, 1) - Date(year, 1, 1)).count()); }

void MarkDays(std::vector<CityDay>& days, sys_days first, sys_days start, int length,
              DayType type) {
  for (int i = 0; i < length; ++i) {
    const int64_t k = (start - first).count() + i;
    if (k >= 0 && k < static_cast<int64_t>(days.size())) days[static_cast<size_t>(k)].type = type;
  }
}

void MarkHolidays(std::vector<CityDay>& days, sys_days first, int first_year, int last_year) {
  for (const HolidaySpan& h : kHolidays)
    MarkDays(days, first, Date(h.year, h.month, h.day), h.length, h.type);
  for (int y = first_year; y <= last_year; ++y) {
    if (y >= kExactHolidaysFirst && y <= kExactHolidaysLast) continue;
    MarkDays(days, first, Date(y, 1, 1), 1, kOff);
    MarkDays(days, first, Date(y, 5, 1), 5, kOff);
    MarkDays(days, first, Date(y, 10, 1), 7, kOff);
    for (const YearMonthDay& n : kLunarNewYear)
      if (n.year == y)
        MarkDays(days, first, Date(y, n.month, n.day) - std::chrono::days(1), 7, kSpring);
  }
}

std::vector<CityDay> BuildDays(const DemoOptions& o, int first_year) {
  const sys_days first = Date(first_year, 1, 1), end = Date(o.last_year + 1, 1, 1);
  Rng weather(StreamSeed(o.seed, Stream::kClimate, 0));
  double anomaly =
      kTempShock / std::sqrt(1 - kTempPersistence * kTempPersistence) * weather.Normal();
  std::vector<CityDay> days;
  for (sys_days d = first; d < end; d += std::chrono::days(1)) {
    const std::chrono::year_month_day ymd(d);
    const int y = static_cast<int>(ymd.year());
    const int m = static_cast<int>(static_cast<unsigned>(ymd.month()));
    const double doy = static_cast<double>((d - Date(y, 1, 1)).count() + 1);
    if (d != first) anomaly = kTempPersistence * anomaly + kTempShock * weather.Normal();
    CityDay day;
    day.date = fmt::format("{:04d}-{:02d}-{:02d}", y, m, static_cast<unsigned>(ymd.day()));
    day.month_index = (y - first_year) * 12 + m - 1;
    day.type = std::chrono::weekday(d).iso_encoding() >= 6 ? DayType::kWeekend : DayType::kWorkday;
    day.mean_temp = kTempMean +
                    kTempAmplitude * std::sin(2 * std::numbers::pi * (doy - kTempPhaseDoy) / 365) +
                    anomaly;
    days.push_back(std::move(day));
  }
  MarkHolidays(days, first, first_year, o.last_year);
  return days;
}

// ---- load shapes -----------------------------------------------------------

// 1 between open and close, with linear ramps of `ramp` hours inside them.
double Window(double h, double open, double close, double ramp) {
  return std::clamp((h - open) / ramp, 0.0, 1.0) * std::clamp((close - h) / ramp, 0.0, 1.0);
}

double Meals(double h) {
  return std::max(Window(h, 10.5, 13.0, 0.5), 0.7 * Window(h, 16.5, 19.5, 0.5));
}

// Operations over the day (0..1) on a full day, by type of site.
double HourShape(const UnitPlan& u, double h) {
  switch (ArchetypeOf(u).shape) {
    case Shape::kFactory:  // shifts from 08:00; the night shift runs a little lighter
      if (u.shifts >= 3) return h < 8 ? 0.9 : 1.0;
      if (u.shifts == 2) return Window(h, 7.5, 24.0, 0.5);
      return Window(h, 7.5, 17.5, 0.5) * (h > 11.5 && h < 12.5 ? 0.8 : 1.0);
    case Shape::kFab:
    case Shape::kDataCentre:
      return 1.0;
    case Shape::kOffice:  // 08:00–19:00 with arrival and departure ramps
      return Window(h, 7.0, 20.0, 1.5) * (h > 12.0 && h < 13.0 ? 0.9 : 1.0);
    case Shape::kMall:  // 10:00–22:00, staff an hour before and after
      return Window(h, 9.0, 22.5, 1.0);
    case Shape::kHospital:  // wards all day, outpatients in the daytime
      return 0.25 + 0.75 * Window(h, 7.0, 18.5, 1.0);
    case Shape::kPark:  // offices and two-shift workshops
      return 0.5 * Window(h, 7.0, 20.0, 1.5) + 0.5 * Window(h, 7.5, 24.0, 0.5);
  }
  return 1.0;
}

struct Terms {
  double process, weather;
};

Terms LoadTerms(const LoadModel& m, const UnitPlan& u, const CityDay& d, double h) {
  const double level = u.day_levels[static_cast<size_t>(d.type)];
  const double operations = level * HourShape(u, h);
  const double activity = m.meals ? level * Meals(h) : operations;
  const double t =
      d.mean_temp + kTempDiurnal * std::cos(2 * std::numbers::pi * (h - kTempPeakHour) / 24);
  const double degrees =
      m.cooling ? std::max(0.0, t - kCoolingBase) : std::max(0.0, kHeatingBase - t);
  return {m.base + (1 - m.base) * activity,
          degrees * (m.hvac_idle + (1 - m.hvac_idle) * operations)};
}

// Expected consumption of reading `slot` of day `d`, before noise.
double ModelEnergy(const MeterPlan& m, const UnitPlan& u, const CityDay& d, int64_t slot) {
  auto rate = [&](double h) {
    const Terms x = LoadTerms(m.model, u, d, h);
    return m.model.process_scale * x.process + m.model.weather_scale * x.weather;
  };
  if (m.interval_s == 86400) {
    double e = 0;
    for (int h = 0; h < 24; ++h) e += rate(h + 0.5);
    return e;
  }
  const double hours = m.interval_s / 3600.0;
  return rate((static_cast<double>(slot) + 0.5) * hours) * hours;
}

// Scales the process and weather parts so that a year holds `annual` with the
// meter's weather share (the climate differs from year to year; the mean holds).
void Calibrate(MeterPlan& m, const UnitPlan& u, const City& c) {
  double process = 0, weather = 0;
  for (const CityDay& d : c.days)
    for (int h = 0; h < 24; ++h) {
      const Terms x = LoadTerms(m.model, u, d, h + 0.5);
      process += x.process;
      weather += x.weather;
    }
  const double total = m.annual * c.opt.years;
  const double share = weather > 0 ? m.model.weather_share : 0.0;
  m.model.process_scale = total * (1 - share) / process;
  m.model.weather_scale = weather > 0 ? total * share / weather : 0.0;
}

// ---- units, sites, meters --------------------------------------------------

// GB 11714 check character of an organisation code's first 8 characters.
char OrganisationCheck(std::string_view first8) {
  constexpr std::array<int, 8> kWeights = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    const char ch = first8[i];
    sum += (ch <= '9' ? ch - '0' : ch - 'A' + 10) * kWeights[i];
  }
  const int check = 11 - sum % 11;
  return check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
}

// GB 32100: registration, district, organisation code, check character.
// index·prime + offset is a bijection modulo the code space, so codes are unique.
std::string CreditCode(std::string_view registration, std::string_view division, int index,
                       uint64_t offset) {
  const uint64_t i = static_cast<uint64_t>(index);
  std::string org;
  if (registration == "12") {  // public institution: an older all-digit organisation code
    org = fmt::format("425{:05d}", (i * 7919 + offset % 100000) % 100000);
  } else {  // company registered after 2015: "MA" organisation code
    constexpr std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";  // no I O Z S V
    constexpr uint64_t kSpace = 31ull * 31 * 31 * 31 * 31;
    uint64_t n = (i * 104729 + offset % kSpace) % kSpace;
    std::string tail(5, '0');
    for (size_t k = 5; k > 0; --k, n /= 31) tail[k - 1] = kChars[n % 31];
    org = "MA1" + tail;
  }
  org.push_back(OrganisationCheck(org));
  std::string code = std::string(registration) + std::string(division) + org;
  code.push_back(CreditCodeCheckCharacter(code));
  return code;
}

void NameUnit(UnitPlan& u, int trade, int generation) {
  const Archetype& a = ArchetypeOf(u);
  const size_t n = kTradeSecond.size();
  const Syllable& s1 = kTradeFirst[static_cast<size_t>(trade) / n];
  const Syllable& s2 = kTradeSecond[static_cast<size_t>(trade) % n];
  u.trade_zh = std::string(s1.zh) + std::string(s2.zh);
  std::string pinyin = std::string(s1.pinyin) + std::string(s2.pinyin);
  if (generation > 0) {  // beyond 576 units: a third character
    const Syllable& s3 = kTradeSecond[static_cast<size_t>(generation - 1) % n];
    u.trade_zh += s3.zh;
    pinyin += s3.pinyin;
  }
  u.name_zh = fmt::format("上海{}{}", u.trade_zh, a.name_zh);
  u.name_en = fmt::format("Shanghai {} {}", pinyin, a.name_en);
}

size_t PickInClass(Rng& r, int cls) {
  std::vector<double> w;
  for (const District& d : kDistricts) w.push_back(d.cls == cls ? d.weight : 0.0);
  return r.Weighted(w);
}

void PlanSites(UnitPlan& u, Rng& r) {
  constexpr std::array<std::string_view, 3> kPhase = {"", "二期", "三期"};
  const double x = r.Uniform();
  const int n = x < 0.55 ? 1 : x < 0.88 ? 2 : 3;
  for (int k = 0; k < n; ++k) {
    int district = u.district;
    if (k > 0 && r.Chance(0.5))
      district = static_cast<int>(PickInClass(r, kDistricts[static_cast<size_t>(u.district)].cls));
    const District& d = kDistricts[static_cast<size_t>(district)];
    std::string_view phase = district == u.district ? kPhase[static_cast<size_t>(k)] : "";
    std::string name =
        fmt::format("{}{}{}{}", u.trade_zh, d.short_name, ArchetypeOf(u).site_zh, phase);
    u.sites.push_back({fmt::format("S{}", k + 1), std::move(name), district});
  }
}

MeterPlan NewMeter(const City& c, const UnitPlan& u, Carrier carrier, int number, int site) {
  MeterPlan m;
  m.id = fmt::format("{}/{}{}", u.id, Info(carrier).prefix, number);
  m.site_id = u.sites[static_cast<size_t>(site)].id;
  m.index = static_cast<int>(c.meters.size());
  m.unit = static_cast<int>(c.units.size());
  m.carrier = carrier;
  m.true_month.assign(static_cast<size_t>(c.months), 0.0);
  m.read_month.assign(static_cast<size_t>(c.months), 0.0);
  return m;
}

void AddMeter(City& c, UnitPlan& u, MeterPlan m) {
  u.meters.push_back(m.index);
  c.meters.push_back(std::move(m));
}

// Gas and heat: a process part (or kitchens) plus space heating.
void PlanSupply(City& c, UnitPlan& u, Rng& r, Carrier carrier, int& count) {
  const Archetype& a = ArchetypeOf(u);
  const Supply& s = carrier == Carrier::kGas ? a.gas : a.heat;
  if (!r.Chance(s.chance)) return;
  MeterPlan m = NewMeter(c, u, carrier, 1, 0);
  if (carrier == Carrier::kGas) {
    m.interval_s = 3600;
    m.is_register = count % kRegisterEvery == 1;
    m.register_start = std::round(r.Uniform(1e5, 5e6));
  } else {
    m.interval_s = count % 2 == 0 ? 86400 : 3600;
  }
  ++count;
  m.annual = r.LogUniform(s.annual);
  m.model.base = s.base;
  m.model.meals = s.meals;
  m.model.cooling = false;
  m.model.hvac_idle = a.hvac_idle;
  m.model.weather_share = std::min(0.9, s.heating_share * r.Uniform(0.8, 1.2));
  AddMeter(c, u, std::move(m));
}

// 1–4 electricity feeders (at least one per site; the first of each site is
// its 15-minute main meter), then gas and heat.
void PlanMeters(City& c, UnitPlan& u, Rng& r, int& gas_count, int& heat_count) {
  const Archetype& a = ArchetypeOf(u);
  const int sites = static_cast<int>(u.sites.size());
  const int feeders = std::max(sites, static_cast<int>(r.Int(1, 4)));
  const double unit_kwh = r.LogUniform(a.electricity_gwh) * 1e6;
  const double base = r.Uniform(a.base_load);
  std::vector<double> shares;
  for (int j = 0; j < feeders; ++j) shares.push_back(r.Uniform(0.5, 1.5) * (j == 0 ? 2.0 : 1.0));
  const double share_sum = std::accumulate(shares.begin(), shares.end(), 0.0);
  for (int j = 0; j < feeders; ++j) {
    MeterPlan m = NewMeter(c, u, Carrier::kElectricity, j + 1, j < sites ? j : 0);
    m.interval_s = (j < sites || r.Chance(0.7)) ? 900 : 3600;
    m.annual = unit_kwh * shares[static_cast<size_t>(j)] / share_sum;
    if (m.annual >= kCtMinimumKwh && r.Chance(a.ct_share))
      m.multiplier = kCtRatios[static_cast<size_t>(r.Int(0, 2))];
    m.model.base = std::min(0.97, base * r.Uniform(0.9, 1.1));
    m.model.cooling = true;
    m.model.hvac_idle = a.hvac_idle;
    m.model.weather_share = a.cooling_share * r.Uniform(0.7, 1.3);
    AddMeter(c, u, std::move(m));
  }
  PlanSupply(c, u, r, Carrier::kGas, gas_count);
  PlanSupply(c, u, r, Carrier::kHeat, heat_count);
}

// The first 16 units take the 16 districts in a shuffled order, so that every
// district has a unit; the type of a unit follows its district.
void PlanUnits(City& c) {
  Rng city(StreamSeed(c.opt.seed, Stream::kCity, 0));
  std::vector<int> trades(kTradeFirst.size() * kTradeSecond.size());
  std::iota(trades.begin(), trades.end(), 0);
  city.Shuffle(trades);
  std::vector<int> districts(kDistricts.size());
  std::iota(districts.begin(), districts.end(), 0);
  city.Shuffle(districts);
  const uint64_t code_offset = city.Next();
  std::vector<double> district_weights;
  for (const District& d : kDistricts) district_weights.push_back(d.weight);
  int gas_count = 0, heat_count = 0;
  for (int i = 0; i < c.opt.units; ++i) {
    Rng r(StreamSeed(c.opt.seed, Stream::kUnit, static_cast<uint64_t>(i)));
    UnitPlan u;
    u.id = fmt::format("SH-{:04d}", i + 1);
    u.district = i < static_cast<int>(districts.size())
                     ? districts[static_cast<size_t>(i)]
                     : static_cast<int>(r.Weighted(district_weights));
    const District& d = kDistricts[static_cast<size_t>(u.district)];
    std::vector<double> type_weights;
    for (const Archetype& a : kArchetypes)
      type_weights.push_back(a.district_weight[static_cast<size_t>(d.cls)]);
    u.archetype = static_cast<int>(r.Weighted(type_weights));
    const Archetype& a = ArchetypeOf(u);
    NameUnit(u, trades[static_cast<size_t>(i) % trades.size()],
             i / static_cast<int>(trades.size()));
    u.credit_code = CreditCode(a.registration, d.code, i, code_offset);
    u.shifts = static_cast<int>(r.Int(a.shifts.lo, a.shifts.hi));
    u.day_levels = {a.days.workday, r.Uniform(a.days.weekend), a.days.holiday,
                    a.days.spring_festival};
    u.lpg = r.Chance(a.lpg_chance);
    PlanSites(u, r);
    PlanMeters(c, u, r, gas_count, heat_count);
    c.units.push_back(std::move(u));
  }
}

// ---- faults and bills ------------------------------------------------------

// The reading with the highest expected value in the chunk the importer
// compares it with (the day; the month for daily meters), so that × 20 clears a
// "10 × median" spike rule whatever the load shape.
int64_t PeakIndex(const City& c, const MeterPlan& m, int64_t day) {
  const UnitPlan& u = c.units[static_cast<size_t>(m.unit)];
  const int64_t per_day = ReadingsPerDay(m);
  const CityDay& target = c.days[static_cast<size_t>(day)];
  int64_t best = day * per_day;
  double best_value = -1;
  for (int64_t k = 0; k < static_cast<int64_t>(c.days.size()); ++k) {
    const CityDay& d = c.days[static_cast<size_t>(k)];
    if (per_day > 1 ? k != day : d.month_index != target.month_index) continue;
    for (int64_t s = 0; s < per_day; ++s) {
      const double e = ModelEnergy(m, u, d, s);
      if (e > best_value) best = k * per_day + s, best_value = e;
    }
  }
  return best;
}

Fault DrawFault(const City& c, const MeterPlan& m, FaultKind kind, bool whole_day, Rng& r) {
  const int64_t per_day = ReadingsPerDay(m);
  const int64_t n_days = static_cast<int64_t>(c.days.size());
  const int64_t n = per_day * n_days;
  Fault f{kind, 0, 1, 1.0, 0.0, 0.0};
  switch (kind) {
    case FaultKind::kGap:  // 4–40 readings, or one whole local day
      if (whole_day) {
        f.length = per_day;
        f.index = r.Int(1, n_days - 2) * per_day;
      } else {
        f.length = r.Int(4, 40);
        f.index = r.Int(1, n - f.length - 1);
      }
      break;
    case FaultKind::kSpike:
      f.index = PeakIndex(c, m, r.Int(1, n_days - 2));
      f.factor = r.Uniform(20, 50);
      break;
    case FaultKind::kDuplicate:
      f.index = r.Int(1, n - 2);
      f.factor = r.Uniform(0.6, 0.9);
      break;
    case FaultKind::kRegisterReset: {  // May to August of the last year
      const int64_t day = n_days - DaysIn(c.opt.last_year) + r.Int(119, 239);
      f.index = day * per_day + r.Int(0, per_day - 1);  // two statements: a fixed draw order
      break;
    }
  }
  return f;
}

// Faults of one meter, each at least a day away from the others so that one
// does not hide another in the VEE checks.
void PlaceFaults(const City& c, MeterPlan& m, const std::vector<FaultKind>& kinds, bool whole_day) {
  Rng r(StreamSeed(c.opt.seed, Stream::kFaultPlace, static_cast<uint64_t>(m.index)));
  const int64_t per_day = ReadingsPerDay(m);
  std::vector<std::pair<int64_t, int64_t>> taken;
  for (FaultKind kind : kinds) {
    const int64_t runs = kind == FaultKind::kGap ? r.Int(1, 3) : 1;
    for (int64_t run = 0; run < runs; ++run) {
      for (int attempt = 0; attempt < 100; ++attempt) {
        const Fault f = DrawFault(c, m, kind, whole_day && run == 0, r);
        const bool clash = std::any_of(taken.begin(), taken.end(), [&](const auto& t) {
          return f.index < t.second && t.first < f.index + f.length;
        });
        if (clash) continue;
        taken.emplace_back(f.index - per_day, f.index + f.length + per_day);
        m.faults.push_back(f);
        break;
      }
    }
  }
  std::sort(m.faults.begin(), m.faults.end(),
            [](const Fault& x, const Fault& y) { return x.index < y.index; });
}

// About faulty_percent of the meters (at least one of five or more). A register
// gas meter, when there is one, is among them for the reset; the other kinds go
// round the interval meters so that each appears.
void PlanFaults(City& c) {
  const int n_meters = static_cast<int>(c.meters.size());
  int n = 0;
  if (c.opt.faulty_percent > 0) {
    n = static_cast<int>(std::lround(n_meters * c.opt.faulty_percent / 100.0));
    if (n_meters >= 5) n = std::max(n, 1);
    n = std::min(n, n_meters);
  }
  Rng r(StreamSeed(c.opt.seed, Stream::kFaults, 0));
  std::vector<int> order(static_cast<size_t>(n_meters));
  std::iota(order.begin(), order.end(), 0);
  r.Shuffle(order);
  std::vector<int> chosen(order.begin(), order.begin() + n);
  auto is_register = [&](int k) { return c.meters[static_cast<size_t>(k)].is_register; };
  if (n >= 2 && std::none_of(chosen.begin(), chosen.end(), is_register)) {
    auto it = std::find_if(order.begin() + n, order.end(), is_register);
    if (it != order.end()) chosen.back() = *it;
  }
  std::sort(chosen.begin(), chosen.end());
  std::vector<std::vector<FaultKind>> kinds(static_cast<size_t>(n_meters));
  std::vector<int> plain;
  for (int k : chosen) {
    if (is_register(k)) kinds[static_cast<size_t>(k)].push_back(FaultKind::kRegisterReset);
    if (!is_register(k)) plain.push_back(k);
  }
  constexpr std::array<FaultKind, 3> kCycle = {FaultKind::kGap, FaultKind::kSpike,
                                               FaultKind::kDuplicate};
  for (size_t j = 0; !plain.empty() && j < std::max<size_t>(3, plain.size()); ++j)
    kinds[static_cast<size_t>(plain[j % plain.size()])].push_back(kCycle[j % 3]);
  if (plain.empty())  // only register meters: no spike rule applies to them
    for (int k : chosen)
      for (FaultKind f : {FaultKind::kGap, FaultKind::kDuplicate})
        kinds[static_cast<size_t>(k)].push_back(f);
  bool whole_day = true;  // the first sub-daily meter with gaps loses one whole day
  for (int k : chosen) {
    MeterPlan& m = c.meters[static_cast<size_t>(k)];
    const auto& mine = kinds[static_cast<size_t>(k)];
    const bool here = whole_day && m.interval_s < 86400 &&
                      std::find(mine.begin(), mine.end(), FaultKind::kGap) != mine.end();
    if (here) whole_day = false;
    PlaceFaults(c, m, mine, here);
  }
}

bool HasFaultyElectricity(const City& c, const UnitPlan& u) {
  return std::any_of(u.meters.begin(), u.meters.end(), [&](int k) {
    const MeterPlan& m = c.meters[static_cast<size_t>(k)];
    return m.carrier == Carrier::kElectricity && !m.faults.empty();
  });
}

// About half of the units have bills (at least one unit); a unit with a faulty
// electricity meter has none, so that only the deliberate mismatches break the
// 5 % consistency rule.
void PlanBills(City& c) {
  std::vector<int> billed;
  for (size_t i = 0; i < c.units.size(); ++i) {
    UnitPlan& u = c.units[i];
    Rng r(StreamSeed(c.opt.seed, Stream::kBills, i));
    u.billed = !HasFaultyElectricity(c, u) && r.Chance(kBilledShare);
    if (u.billed) billed.push_back(static_cast<int>(i));
  }
  for (size_t i = 0; billed.empty() && i < c.units.size(); ++i) {
    c.units[i].billed = !HasFaultyElectricity(c, c.units[i]);
    if (c.units[i].billed) billed.push_back(static_cast<int>(i));
  }
  Rng r(StreamSeed(c.opt.seed, Stream::kBills, c.units.size()));
  r.Shuffle(billed);
  const size_t n = std::min<size_t>(billed.size(), billed.size() >= 4 ? 2 : 1);
  for (size_t j = 0; j < n; ++j) {
    const UnitPlan& u = c.units[static_cast<size_t>(billed[j])];
    const int month = static_cast<int>(r.Int(0, c.months - 1));
    const double sign = r.Chance(0.5) ? 1.0 : -1.0;
    c.mismatches.push_back({u.meters.front(), month, 1 + sign * r.Uniform(0.06, 0.10)});
  }
  std::sort(c.mismatches.begin(), c.mismatches.end(),
            [](const BillMismatch& x, const BillMismatch& y) { return x.meter < y.meter; });
}

City PlanCity(const DemoOptions& o) {
  City c;
  c.opt = o;
  c.first_year = o.last_year - o.years + 1;
  c.months = o.years * 12;
  c.days = BuildDays(o, c.first_year);
  PlanUnits(c);
  for (MeterPlan& m : c.meters) Calibrate(m, c.units[static_cast<size_t>(m.unit)], c);
  PlanFaults(c);
  PlanBills(c);
  return c;
}

// ============================================================================
// Output
// ============================================================================

// A file written through a large buffer; a failed write is reported by Close.
class OutFile {
 public:
  explicit OutFile(std::string file_path)
      : path_(std::move(file_path)), file_(std::fopen(path_.c_str(), "wb")) {}
  ~OutFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  bool opened() const { return file_ != nullptr; }
  const std::string& path() const { return path_; }
  std::string& buffer() { return buffer_; }
  void FlushIfFull() {
    if (buffer_.size() >= (1u << 20)) Flush();
  }
  Status Close() {
    if (file_ == nullptr) return Error::Io("cannot create " + path_);
    Flush();
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok_ || !closed) return Error::Io("cannot write " + path_);
    return Ok{};
  }

 private:
  void Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      ok_ = false;
    buffer_.clear();
  }
  std::string path_;
  std::FILE* file_;
  std::string buffer_;
  bool ok_ = true;
};

Status WriteText(const std::filesystem::path& path, const std::string& text) {
  OutFile f(path.string());
  if (!f.opened()) return Error::Io("cannot create " + f.path());
  f.buffer() = text;
  return f.Close();
}

// "THH:MM:00+08:00" for every quarter hour of a day.
std::vector<std::string> QuarterHours() {
  std::vector<std::string> out;
  for (int q = 0; q < 96; ++q)
    out.push_back(fmt::format("T{:02d}:{:02d}:00+08:00", q / 4, q % 4 * 15));
  return out;
}

std::string TimeAt(const City& c, const MeterPlan& m, int64_t index) {
  static const std::vector<std::string> kTimes = QuarterHours();
  const int64_t per_day = ReadingsPerDay(m);
  return c.days[static_cast<size_t>(index / per_day)].date +
         kTimes[static_cast<size_t>(index % per_day * m.interval_s / 900)];
}

std::string Value(const MeterPlan& m, double v) {
  return fmt::format("{:.{}f}", v, Info(m.carrier).decimals);
}

// One meter's rows, the true monthly sums and the values at each fault.
// Faults change only what is written: the noise and the counter run on, so a
// meter's other readings are the same with and without faults.
int64_t WriteReadings(const City& c, MeterPlan& m, OutFile& out) {
  static const std::vector<std::string> kTimes = QuarterHours();
  const UnitPlan& u = c.units[static_cast<size_t>(m.unit)];
  Rng noise(StreamSeed(c.opt.seed, Stream::kNoise, static_cast<uint64_t>(m.index)));
  const int64_t per_day = ReadingsPerDay(m);
  const int64_t step = m.interval_s / 900;
  const int decimals = Info(m.carrier).decimals;
  std::string& buf = out.buffer();
  int64_t rows = 0, k = 0, gap_end = -1;
  size_t next = 0;
  double counter = m.register_start, deviation = 0;
  auto emit = [&](const CityDay& d, int64_t slot, double v) {
    buf.append(m.id);
    buf.push_back(',');
    buf.append(d.date);
    buf.append(kTimes[static_cast<size_t>(slot * step)]);
    buf.push_back(',');
    fmt::format_to(std::back_inserter(buf), "{:.{}f}", v, decimals);
    buf.push_back('\n');
    ++rows;
  };
  for (const CityDay& d : c.days) {
    deviation = kDayPersistence * deviation + kDayShock * noise.Normal();
    const size_t month = static_cast<size_t>(d.month_index);
    for (int64_t s = 0; s < per_day; ++s, ++k) {
      const double energy = std::max(
          0.0, ModelEnergy(m, u, d, s) * (1 + deviation) * (1 + kReadingNoise * noise.Normal()));
      m.true_month[month] += energy;
      Fault* f = next < m.faults.size() && m.faults[next].index == k ? &m.faults[next++] : nullptr;
      const FaultKind kind = f != nullptr ? f->kind : FaultKind::kGap;
      if (f != nullptr && kind == FaultKind::kGap) gap_end = k + f->length;
      if (f != nullptr && kind == FaultKind::kRegisterReset) {
        f->original = counter;
        counter = 0;
      }
      double v = m.is_register ? counter : energy / m.multiplier;
      if (f != nullptr && kind == FaultKind::kSpike) {
        f->original = v;
        v *= f->factor;
        f->written = v;
      }
      if (k >= gap_end) {
        emit(d, s, v);
        m.read_month[month] += m.is_register ? 0.0 : v * m.multiplier;
        if (f != nullptr && kind == FaultKind::kDuplicate) {
          f->original = v;
          f->written = m.is_register ? v + std::max(0.5, 0.5 * energy) : v * f->factor;
          if (std::abs(f->written - v) < 0.5) f->written = v + 1.0;
          emit(d, s, f->written);
        }
      }
      if (m.is_register) counter = std::fmod(counter + energy / m.multiplier, kRollover);
    }
    out.FlushIfFull();
  }
  return rows;
}

std::string UnitsCsv(const City& c) {
  std::string out = "unit_id,credit_code,name_zh,name_en,province,city,district,industry_code\n";
  for (const UnitPlan& u : c.units)
    fmt::format_to(std::back_inserter(out), "{},{},{},{},310000,上海市,{},{}\n", u.id,
                   u.credit_code, CsvEscape(u.name_zh), CsvEscape(u.name_en),
                   kDistricts[static_cast<size_t>(u.district)].name, ArchetypeOf(u).industry_code);
  return out;
}

std::string SitesCsv(const City& c) {
  std::string out = "unit_id,site_id,name,district,time_zone\n";
  for (const UnitPlan& u : c.units)
    for (const SitePlan& s : u.sites)
      fmt::format_to(std::back_inserter(out), "{},{},{},{},Asia/Shanghai\n", u.id, s.id,
                     CsvEscape(s.name), kDistricts[static_cast<size_t>(s.district)].name);
  return out;
}

std::string_view IntervalName(int seconds) {
  return seconds == 900 ? "15min" : seconds == 3600 ? "60min" : "daily";
}

std::string MetersCsv(const City& c) {
  std::string out =
      "meter_id,unit_id,site_id,carrier,unit_of_measure,interval,kind,rollover,multiplier,"
      "time_zone\n";
  for (const MeterPlan& m : c.meters)
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{},Asia/Shanghai\n", m.id,
                   c.units[static_cast<size_t>(m.unit)].id, m.site_id, Info(m.carrier).name,
                   Info(m.carrier).unit_of_measure, IntervalName(m.interval_s),
                   m.is_register ? "register" : "interval",
                   m.is_register ? fmt::format("{:.0f}", kRollover) : "", m.multiplier);
  return out;
}

// First and last day of the months [first, last] of the period.
std::string PeriodStart(const City& c, int first) {
  return fmt::format("{:04d}-{:02d}-01", c.first_year + first / 12, first % 12 + 1);
}
std::string PeriodEnd(const City& c, int last) {
  const int y = c.first_year + last / 12, m = last % 12 + 1;
  const unsigned day = static_cast<unsigned>((std::chrono::year(y) / m / std::chrono::last).day());
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, day);
}

double BillFactor(const City& c, int meter, int month) {
  for (const BillMismatch& b : c.mismatches)
    if (b.meter == meter && b.month == month) return b.factor;
  return 1.0;
}

// Monthly bills per electricity meter of billed units, then quarterly fuels.
std::string ActivitiesCsv(const City& c, int64_t& rows) {
  std::string out =
      "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
      "instrument,instrument_ids,factor,factor_unit,note,meter_id\n";
  auto line = [&](const UnitPlan& u, std::string_view site, std::string_view activity, double q,
                  std::string_view uom, int first, int last, std::string_view source,
                  std::string_view note, std::string_view meter) {
    fmt::format_to(std::back_inserter(out), "{},{},{},{:.{}f},{},{},{},{},,,,,{},{}\n", u.id, site,
                   activity, q, uom == "kWh" ? 2 : 3, uom, PeriodStart(c, first),
                   PeriodEnd(c, last), source, CsvEscape(note), meter);
    ++rows;
  };
  for (size_t i = 0; i < c.units.size(); ++i) {
    const UnitPlan& u = c.units[i];
    const Archetype& a = ArchetypeOf(u);
    for (int k : u.meters) {
      const MeterPlan& m = c.meters[static_cast<size_t>(k)];
      if (!u.billed || m.carrier != Carrier::kElectricity) continue;
      for (int mo = 0; mo < c.months; ++mo)
        line(u, m.site_id, "electricity",
             m.true_month[static_cast<size_t>(mo)] * BillFactor(c, k, mo), "kWh", mo, mo, "bill",
             "State Grid Shanghai monthly bill", m.id);
    }
    Rng r(StreamSeed(c.opt.seed, Stream::kFuel, i));
    const int quarters = c.opt.years * 4;
    for (int q = 0; q < quarters; ++q)
      line(u, "S1", "diesel:mobile", r.Uniform(a.diesel_vehicles_t), "t", 3 * q, 3 * q + 2, "bill",
           "company vehicles (fuel card statements)", "");
    for (int q = 0; a.diesel_generator_t.hi > 0 && q < quarters; ++q)
      line(u, "S1", "diesel", r.Uniform(a.diesel_generator_t), "t", 3 * q, 3 * q + 2, "manual",
           "emergency generator test runs (log book)", "");
    for (int q = 0; u.lpg && q < quarters; ++q)
      line(u, "S1", "lpg", r.Uniform(0.5, 4.0), "t", 3 * q, 3 * q + 2, "bill",
           "LPG cylinders for canteen and workshop", "");
    // The year's output value (the denominator of the intensities the
    // programme ranks units by), from the unit's electricity and its type.
    Rng ro(StreamSeed(c.opt.seed, Stream::kOutput, i));
    for (int y = 0; y < c.opt.years; ++y) {
      double mwh = 0;
      for (int k : u.meters) {
        const MeterPlan& m = c.meters[static_cast<size_t>(k)];
        if (m.carrier != Carrier::kElectricity) continue;
        for (int mo = 12 * y; mo < 12 * y + 12 && mo < c.months; ++mo)
          mwh += m.true_month[static_cast<size_t>(mo)] / 1000.0;
      }
      line(u, "S1", "output_value", mwh * ro.Uniform(a.output_per_mwh), "万元", 12 * y,
           std::min(12 * y + 11, c.months - 1), "manual",
           "annual gross output value (statistical report)", "");
    }
  }
  return out;
}

// ---- README ----------------------------------------------------------------

constexpr std::string_view kReadmeModel = R"(## Model

- Climate: daily mean temperature 17 + 11·sin(2π(doy − 110)/365) °C plus an AR(1)
  anomaly (coefficient 0.7, innovation 1.5 °C); within the day ±4 °C, warmest at 14:00.
- Electricity = process part + cooling ∝ max(0, T − 22 °C); gas and heat = process
  part (or kitchens at 10:30–13:00 and 16:30–19:30) + heating ∝ max(0, 15 °C − T).
  Outside operating hours only part of the cooling and heating runs.
- Load shapes: factories run 1, 2 or 3 shifts from 08:00 with reduced weekends;
  the semiconductor fab and data centres are flat around the clock; offices
  08:00–19:00 on working days with a low base at night and at weekends; malls
  10:00–22:00 every day, busier at weekends and holidays; hospitals around the clock
  with a daytime bump; parks mix offices and two-shift workshops.
- Calendar: Chinese public holidays and the weekend days worked in exchange, from
  the State Council's announcements for 2023–2026 (other years: 1 January, 1–5 May,
  1–7 October and a Spring Festival week from a table of Lunar New Year dates,
  2015–2030). Factories and offices run much less on holidays, least in the
  Spring Festival week.
- Scale: each unit's annual electricity is drawn (log-uniform) from a range for its
  type, 1.5–50 GWh, and split over its feeders; gas and heat likewise. The weather
  part is a fixed share of the annual amount.
- Noise: a day-level AR(1) deviation (0.6, 1.5 %) and 3 % per reading, both
  multiplicative.
- Electricity meters with a multiplier (CT ratio) record secondary-side kWh:
  consumption = value × multiplier.
)";

void ReadmeHead(const City& c, const DemoSummary& s, std::string& out) {
  out +=
      "# Synthetic demo city\n\nWritten by CarbonLedger's demo generator "
      "(`src/app/demo_generate.cpp`). Every company, name, credit code, site and reading "
      "is fictitious; the credit codes pass the GB 32100 check (and their organisation "
      "codes the GB 11714 check) but belong to no one. The same options give "
      "byte-identical files.\n\n";
  fmt::format_to(std::back_inserter(out),
                 "## Options\n\n| option | value |\n| --- | --- |\n| units | {} |\n"
                 "| years | {} ({}–{}) |\n| last_year | {} |\n| seed | {} |\n"
                 "| faulty_percent | {} |\n\n",
                 c.opt.units, c.opt.years, c.first_year, c.opt.last_year, c.opt.last_year,
                 c.opt.seed, c.opt.faulty_percent);
  fmt::format_to(std::back_inserter(out),
                 "## Counts\n\n| what | count |\n| --- | --- |\n| units | {} |\n"
                 "| sites | {} |\n| meters | {} |\n| reading rows | {} |\n"
                 "| activity rows | {} |\n| injected faults | {} |\n\n",
                 s.units, s.sites, s.meters, s.readings, s.bills, s.faults);
  out +=
      "## Files\n\n"
      "- `units.csv`: the reporting units (inventory template, docs/templates.md).\n"
      "- `sites.csv`: 1–3 sites per unit (`S1`, `S2`, `S3`), all in Asia/Shanghai.\n"
      "- `meters.csv`: electricity feeders (`E1`–`E4`; each site's first is a 15-minute "
      "main meter, some others are hourly), gas (`G1`, hourly; every fifth gas meter is a "
      "cumulative register with rollover 99999999) and heat (`H1`, hourly or daily).\n"
      "- `readings/<unit_id>.csv`: `meter_id,timestamp,value`, sorted by meter, then time. "
      "The timestamp is the start of the interval in Shanghai time (+08:00). Interval meters "
      "give the consumption of the interval; register meters give the counter read at that "
      "instant, so an hour's consumption is the next reading minus this one.\n"
      "- `activities.csv`: the activities template plus `meter_id`: monthly electricity "
      "bills of about half of the units, one line per meter and month, quantity = the "
      "meter's true consumption in kWh; quarterly `diesel:mobile` for every unit; quarterly "
      "`diesel` for emergency generators and `lpg` for some factories, without a meter.\n\n";
  out += kReadmeModel;
}

void ReadmeUnits(const City& c, std::string& out) {
  out +=
      "\n## Units\n\n| unit | name | type | district | sites | meters | electricity MWh/yr |\n"
      "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const UnitPlan& u : c.units) {
    double kwh = 0;
    for (int k : u.meters) {
      const MeterPlan& m = c.meters[static_cast<size_t>(k)];
      if (m.carrier == Carrier::kElectricity)
        kwh = std::accumulate(m.true_month.begin(), m.true_month.end(), kwh);
    }
    fmt::format_to(std::back_inserter(out), "| {} | {} | {} | {} | {} | {} | {:.0f} |\n", u.id,
                   u.name_en, ArchetypeOf(u).key, kDistricts[static_cast<size_t>(u.district)].name,
                   u.sites.size(), u.meters.size(), kwh / 1000 / c.opt.years);
  }
}

std::string FaultDetail(const City& c, const MeterPlan& m, const Fault& f) {
  switch (f.kind) {
    case FaultKind::kGap:
      return fmt::format("{} readings removed, through {}", f.length,
                         TimeAt(c, m, f.index + f.length - 1));
    case FaultKind::kSpike:
      return fmt::format("{} written instead of {} (× {:.1f})", Value(m, f.written),
                         Value(m, f.original), f.factor);
    case FaultKind::kDuplicate:
      return fmt::format("a second row with {} follows the row with {}", Value(m, f.written),
                         Value(m, f.original));
    case FaultKind::kRegisterReset:
      return fmt::format("the register reads 0.0 instead of {}; it counts on from 0",
                         Value(m, f.original));
  }
  return "";
}

void ReadmeFaults(const City& c, std::string& out) {
  out +=
      "\n## Faulty meters\n\nInjected into the readings files only: bills and monthly sums "
      "are the true consumption. Times are Shanghai local time.\n\n"
      "| meter | fault | timestamp | detail |\n| --- | --- | --- | --- |\n";
  std::string days;
  for (const MeterPlan& m : c.meters) {
    std::map<int64_t, int64_t> missing;  // day -> readings removed
    for (const Fault& f : m.faults) {
      fmt::format_to(std::back_inserter(out), "| {} | {} | {} | {} |\n", m.id,
                     kFaultNames[static_cast<size_t>(f.kind)], TimeAt(c, m, f.index),
                     FaultDetail(c, m, f));
      if (f.kind == FaultKind::kGap)
        for (int64_t k = f.index; k < f.index + f.length; ++k) ++missing[k / ReadingsPerDay(m)];
    }
    const int64_t per_day = ReadingsPerDay(m);
    for (const auto& [day, gone] : missing)
      if (per_day > 1 &&
          static_cast<double>(per_day - gone) < kMinimumCompleteness * static_cast<double>(per_day))
        fmt::format_to(std::back_inserter(days), "| {} | {} | {} | {} |\n", m.id,
                       c.days[static_cast<size_t>(day)].date, per_day - gone, per_day);
  }
  out +=
      "\nA spike is one reading multiplied, placed on the day's (for daily meters the "
      "month's) highest expected reading. A duplicate repeats the timestamp with another "
      "value on the next line. A register reset sets the counter to 0 at the timestamp.\n";
  if (!days.empty())
    out +=
        "\n### Days under 90 % completeness\n\n| meter | day | readings | expected |\n"
        "| --- | --- | --- | --- |\n" +
        days;
}

void ReadmeBills(const City& c, std::string& out) {
  out +=
      "\n## Bills that disagree with the readings\n\nEvery other bill equals the sum of its "
      "meter's readings × multiplier to within rounding. These lines differ by 6–10 % and "
      "should be flagged by the daily-vs-monthly consistency check (5 %):\n\n"
      "| unit | meter | month | bill kWh | readings kWh | bill / readings − 1 | "
      "\\|readings − bill\\| / bill |\n"
      "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const BillMismatch& b : c.mismatches) {
    const MeterPlan& m = c.meters[static_cast<size_t>(b.meter)];
    const size_t mo = static_cast<size_t>(b.month);
    const double bill = m.true_month[mo] * b.factor;
    const double readings = m.read_month[mo];
    fmt::format_to(
        std::back_inserter(out), "| {} | {} | {} | {:.2f} | {:.2f} | {:+.1f} % | {:.1f} % |\n",
        c.units[static_cast<size_t>(m.unit)].id, m.id, PeriodStart(c, b.month).substr(0, 7), bill,
        readings, 100 * (bill / readings - 1), 100 * std::abs(readings - bill) / bill);
  }
}

Status CheckOptions(const std::string& dir, const DemoOptions& o) {
  auto bad = [](std::string field, std::string message) {
    return Error::InvalidInput(std::move(message), {"", 0, 0, std::move(field)});
  };
  if (dir.empty()) return bad("dir", "the output directory is empty");
  if (o.units < 1 || o.units > 9999)
    return bad("units", fmt::format("units must be 1 to 9999, not {}", o.units));
  if (o.years < 1 || o.years > 30)
    return bad("years", fmt::format("years must be 1 to 30, not {}", o.years));
  if (o.last_year - o.years + 1 < 2000 || o.last_year > 2100)
    return bad("last_year", fmt::format("the years must lie within 2000 to 2100, not {} to {}",
                                        o.last_year - o.years + 1, o.last_year));
  if (o.faulty_percent < 0 || o.faulty_percent > 100)
    return bad("faulty_percent",
               fmt::format("faulty_percent must be 0 to 100, not {}", o.faulty_percent));
  return Ok{};
}

}  // namespace

Result<DemoSummary> GenerateDemoCity(const std::string& dir, const DemoOptions& options) {
  if (Status s = CheckOptions(dir, options); !s.ok()) return s.error();
  const std::filesystem::path root(dir), readings = root / "readings";
  std::error_code ec;
  std::filesystem::create_directories(readings, ec);
  if (ec) return Error::Io("cannot create " + readings.string() + ": " + ec.message());
  City c = PlanCity(options);
  DemoSummary summary;
  summary.dir = dir;
  summary.units = static_cast<int>(c.units.size());
  summary.meters = static_cast<int>(c.meters.size());
  for (const UnitPlan& u : c.units) summary.sites += static_cast<int>(u.sites.size());
  for (const MeterPlan& m : c.meters) summary.faults += static_cast<int64_t>(m.faults.size());
  for (const auto& [name, text] :
       {std::pair{"units.csv", UnitsCsv(c)}, std::pair{"sites.csv", SitesCsv(c)},
        std::pair{"meters.csv", MetersCsv(c)}})
    if (Status s = WriteText(root / name, text); !s.ok()) return s.error();
  for (const UnitPlan& u : c.units) {
    OutFile f((readings / (u.id + ".csv")).string());
    if (!f.opened()) return Error::Io("cannot create " + f.path());
    f.buffer() = "meter_id,timestamp,value\n";
    for (int k : u.meters)
      summary.readings += WriteReadings(c, c.meters[static_cast<size_t>(k)], f);
    if (Status s = f.Close(); !s.ok()) return s.error();
  }
  const std::string activities = ActivitiesCsv(c, summary.bills);
  if (Status s = WriteText(root / "activities.csv", activities); !s.ok()) return s.error();
  std::string readme;
  ReadmeHead(c, summary, readme);
  ReadmeUnits(c, readme);
  ReadmeFaults(c, readme);
  ReadmeBills(c, readme);
  if (Status s = WriteText(root / "README.md", readme); !s.ok()) return s.error();
  return summary;
}

}  // namespace cl
