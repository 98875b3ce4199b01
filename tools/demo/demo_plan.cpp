// The plan of the demo city (declared in demo_plan.h): calendar and climate,
// load shapes, units, sites and meters, faults and bills.
#include "demo_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "core/credit_code.h"

namespace cl::demo_city {
namespace {

using std::chrono::sys_days;

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
  const sys_days first = Date(first_year, 1, 1);
  const sys_days end = Date(o.last_year + 1, 1, 1);
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

}  // namespace

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

namespace {

// Scales the process and weather parts so that a year holds `annual` with the
// meter's weather share (the climate differs from year to year; the mean holds).
void Calibrate(MeterPlan& m, const UnitPlan& u, const City& c) {
  double process = 0;
  double weather = 0;
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
  const auto i = static_cast<uint64_t>(index);
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
  w.reserve(kDistricts.size());

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
  shares.reserve(feeders);

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
  district_weights.reserve(kDistricts.size());

  for (const District& d : kDistricts) district_weights.push_back(d.weight);
  int gas_count = 0;
  int heat_count = 0;
  for (int i = 0; i < c.opt.units; ++i) {
    Rng r(StreamSeed(c.opt.seed, Stream::kUnit, static_cast<uint64_t>(i)));
    UnitPlan u;
    u.id = fmt::format("SH-{:04d}", i + 1);
    u.district = i < static_cast<int>(districts.size())
                     ? districts[static_cast<size_t>(i)]
                     : static_cast<int>(r.Weighted(district_weights));
    const District& d = kDistricts[static_cast<size_t>(u.district)];
    std::vector<double> type_weights;
    type_weights.reserve(kArchetypes.size());

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
  const auto n_days = static_cast<int64_t>(c.days.size());
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

}  // namespace

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

}  // namespace cl::demo_city
