// The synthetic city of demo/demo_city.h: its files, written from the plan of
// the city (demo_plan.h, drawn under the assumptions of demo_assumptions.h).
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

#include "core/csv.h"
#include "demo_plan.h"

namespace cl {
namespace {

// The plan and its assumptions.
using namespace demo_city;  // NOLINT(google-build-using-namespace)

// ============================================================================
// Output
// ============================================================================

// A file written through a large buffer; a failed write is reported by Close.
class OutFile {
 public:
  explicit OutFile(std::string file_path)
      : path_(std::move(file_path)), file_(std::fopen(path_.c_str(), "wb")) {}
  ~OutFile() {
    if (file_ != nullptr) (void)std::fclose(file_);
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
  out.reserve(96);

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
class ReadingWriter {
 public:
  ReadingWriter(const City& c, MeterPlan& m, OutFile& out)
      : c_(c),
        m_(m),
        u_(c.units[static_cast<size_t>(m.unit)]),
        out_(out),
        noise_(StreamSeed(c.opt.seed, Stream::kNoise, static_cast<uint64_t>(m.index))),
        step_(m.interval_s / 900),
        decimals_(Info(m.carrier).decimals),
        counter_(m.register_start) {}

  int64_t Run() {
    const int64_t per_day = ReadingsPerDay(m_);
    for (const CityDay& d : c_.days) {
      deviation_ = kDayPersistence * deviation_ + kDayShock * noise_.Normal();
      for (int64_t s = 0; s < per_day; ++s, ++k_) Reading(d, s);
      out_.FlushIfFull();
    }
    return rows_;
  }

 private:
  // The fault planned at the current reading, if any.
  Fault* FaultHere() {
    if (next_ < m_.faults.size() && m_.faults[next_].index == k_) return &m_.faults[next_++];
    return nullptr;
  }

  void Reading(const CityDay& d, int64_t s) {
    const auto month = static_cast<size_t>(d.month_index);
    const double energy = std::max(
        0.0, ModelEnergy(m_, u_, d, s) * (1 + deviation_) * (1 + kReadingNoise * noise_.Normal()));
    m_.true_month[month] += energy;
    Fault* f = FaultHere();
    const FaultKind kind = f != nullptr ? f->kind : FaultKind::kGap;
    if (f != nullptr && kind == FaultKind::kGap) gap_end_ = k_ + f->length;
    if (f != nullptr && kind == FaultKind::kRegisterReset) {
      f->original = counter_;
      counter_ = 0;
    }
    double v = m_.is_register ? counter_ : energy / m_.multiplier;
    if (f != nullptr && kind == FaultKind::kSpike) {
      f->original = v;
      v *= f->factor;
      f->written = v;
    }
    if (k_ >= gap_end_) {
      Emit(d, s, v);
      m_.read_month[month] += m_.is_register ? 0.0 : v * m_.multiplier;
      if (f != nullptr && kind == FaultKind::kDuplicate) Duplicate(d, s, *f, v, energy);
    }
    if (m_.is_register) counter_ = std::fmod(counter_ + energy / m_.multiplier, kRollover);
  }

  // A second row for the same time with another value.
  void Duplicate(const CityDay& d, int64_t s, Fault& f, double v, double energy) {
    f.original = v;
    f.written = m_.is_register ? v + std::max(0.5, 0.5 * energy) : v * f.factor;
    if (std::abs(f.written - v) < 0.5) f.written = v + 1.0;
    Emit(d, s, f.written);
  }

  void Emit(const CityDay& d, int64_t slot, double v) {
    static const std::vector<std::string> kTimes = QuarterHours();
    std::string& buf = out_.buffer();
    buf.append(m_.id);
    buf.push_back(',');
    buf.append(d.date);
    buf.append(kTimes[static_cast<size_t>(slot * step_)]);
    buf.push_back(',');
    fmt::format_to(std::back_inserter(buf), "{:.{}f}", v, decimals_);
    buf.push_back('\n');
    ++rows_;
  }

  const City& c_;
  MeterPlan& m_;
  const UnitPlan& u_;
  OutFile& out_;
  Rng noise_;
  const int64_t step_;
  const int decimals_;
  int64_t rows_ = 0;
  int64_t k_ = 0;  // the reading's index over the whole period
  int64_t gap_end_ = -1;
  size_t next_ = 0;  // the next fault
  double counter_;
  double deviation_ = 0;
};

int64_t WriteReadings(const City& c, MeterPlan& m, OutFile& out) {
  return ReadingWriter(c, m, out).Run();
}

// A building's gross floor area in m² from its planned electricity (empty
// for factories).
std::string FloorArea(const City& c, const UnitPlan& u, size_t index) {
  for (const FloorIntensity& f : kFloorIntensities) {
    if (f.archetype != ArchetypeOf(u).key) continue;
    double kwh = 0;
    for (int k : u.meters)
      if (const MeterPlan& m = c.meters[static_cast<size_t>(k)]; m.carrier == Carrier::kElectricity)
        kwh += m.annual;
    Rng r(StreamSeed(c.opt.seed, Stream::kFloorArea, index));
    return fmt::format("{:.0f}", std::round(kwh / r.Uniform(f.kwh_per_m2) / 100) * 100);
  }
  return "";
}

std::string UnitsCsv(const City& c) {
  std::string out =
      "unit_id,credit_code,name_zh,name_en,province,city,district,industry_code,floor_area_m2\n";
  for (size_t i = 0; i < c.units.size(); ++i) {
    const UnitPlan& u = c.units[i];
    fmt::format_to(std::back_inserter(out), "{},{},{},{},310000,上海市,{},{},{}\n", u.id,
                   u.credit_code, CsvEscape(u.name_zh), CsvEscape(u.name_en),
                   kDistricts[static_cast<size_t>(u.district)].name, ArchetypeOf(u).industry_code,
                   FloorArea(c, u, i));
  }
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
  const int y = c.first_year + last / 12;
  const int m = last % 12 + 1;
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
             "国网上海市电力公司月度电费账单", m.id);
    }
    Rng r(StreamSeed(c.opt.seed, Stream::kFuel, i));
    const int quarters = c.opt.years * 4;
    for (int q = 0; q < quarters; ++q)
      line(u, "S1", "diesel:mobile", r.Uniform(a.diesel_vehicles_t), "t", 3 * q, 3 * q + 2, "bill",
           "公司车辆（加油卡对账单）", "");
    for (int q = 0; a.diesel_generator_t.hi > 0 && q < quarters; ++q)
      line(u, "S1", "diesel", r.Uniform(a.diesel_generator_t), "t", 3 * q, 3 * q + 2, "manual",
           "应急发电机试运行（运行记录）", "");
    for (int q = 0; u.lpg && q < quarters; ++q)
      line(u, "S1", "lpg", r.Uniform(0.5, 4.0), "t", 3 * q, 3 * q + 2, "bill",
           "食堂及车间液化石油气钢瓶", "");
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
           std::min(12 * y + 11, c.months - 1), "manual", "年度总产值（统计报表）", "");
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
    const auto mo = static_cast<size_t>(b.month);
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
  const std::filesystem::path root(dir);
  const std::filesystem::path readings = root / "readings";
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
