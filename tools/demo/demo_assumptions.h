// The assumptions of the demo city: its climate, load, meter, fault and bill
// constants, and its tables (archetypes of units, Shanghai's districts,
// trade-name syllables, public holidays, Lunar New Year days). Data only,
// used by demo_plan.cpp and demo_city.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cl::demo_city {

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

// Buildings' electricity per m² of gross floor area and year (kWh/m²·a),
// from which a building's floor area follows its planned electricity.
// Synthetic, in the ranges that Shanghai's public-building energy monitoring
// reports (上海市国家机关办公建筑和大型公共建筑能耗监测及分析报告: offices
// about 80–120, shopping centres about 150–250, hospitals about 150–250
// kWh/m²·a); data centres are an order higher (IT load). Factories have
// none: they are compared per output value, not per m².
struct FloorIntensity {
  std::string_view archetype;
  Range kwh_per_m2;
};
constexpr std::array<FloorIntensity, 5> kFloorIntensities = {{
    {"office", {80, 120}},
    {"mall", {150, 250}},
    {"hospital", {150, 250}},
    {"park", {60, 110}},
    {"data_centre", {1500, 3000}},
}};

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

}  // namespace cl::demo_city
