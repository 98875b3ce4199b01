#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "core/encoding.h"
#include "core/timezone.h"
#include "formats/text_util.h"
#include "metering/calendar.h"
#include "metering/metering.h"
#include "metering/register_steps.h"
#include "store/chunk.h"
#include "store/store.h"

namespace cl {
namespace {

using namespace metering;  // NOLINT(google-build-using-namespace): the calendar helpers

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// The first day after a chunk that starts on `day`.
int32_t ChunkEnd(const MeterRecord& m, int32_t day) {
  year_month_day ymd = DateOf(day);
  switch (m.interval) {
    case MeterInterval::kDaily:
      return DayNumber(year_month_day((ymd.year() / ymd.month() + std::chrono::months(1)) / 1));
    case MeterInterval::kMonthly:
      return DayNumber(year_month_day((ymd.year() + std::chrono::years(1)) / 1 / 1));
    default:
      return day + 1;
  }
}

int64_t PeriodOfDay(RollupGrain g, int32_t day) {
  Date d = DateOf(day);
  switch (g) {
    case RollupGrain::kDay:
      return day;
    case RollupGrain::kMonth:
      return MonthIndex(d);
    case RollupGrain::kYear:
      return static_cast<int>(d.year());
    case RollupGrain::kHour:
      return int64_t{day} * 24;
  }
  return day;
}

std::string PeriodText(RollupGrain g, int64_t p) {
  char buf[32];
  switch (g) {
    case RollupGrain::kHour: {
      Date d = DateOf(static_cast<int32_t>(p >= 0 ? p / 24 : (p - 23) / 24));
      std::snprintf(buf, sizeof buf, "%s T%02d:00", FormatDate(d).c_str(),
                    static_cast<int>(((p % 24) + 24) % 24));
      std::string s(buf);
      s.erase(10, 1);  // "YYYY-MM-DDTHH:00"
      return s;
    }
    case RollupGrain::kDay:
      return FormatDate(DateOf(static_cast<int32_t>(p)));
    case RollupGrain::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(p / 12),
                    static_cast<int>(p % 12) + 1);
      return buf;
    case RollupGrain::kYear:
      return std::to_string(p);
  }
  return "";
}

}  // namespace

// Accumulates consumption of `meters` with local dates in [from, to].
// Whole chunks inside the range use their stored totals; others are decoded.
Status AccumulateMeters(Store& store, const VeeSettings& vee,
                        const std::vector<MeterRecord>& meters, RollupGrain grain, Date from,
                        Date to, MeterCells& out) {
  const int32_t from_day = DayNumber(from), to_day = DayNumber(to);
  // Meters by number (dense): the scans below visit one row per meter-day.
  int64_t max_no = 0;
  for (const auto& m : meters) max_no = std::max(max_no, m.meter_no);
  std::vector<const MeterRecord*> by_no(static_cast<size_t>(max_no) + 1, nullptr);
  for (const auto& m : meters) by_no[static_cast<size_t>(m.meter_no)] = &m;
  std::vector<std::pair<const MeterRecord*, int32_t>> to_decode;
  const bool totals_ok = grain != RollupGrain::kHour;

  // Whole months inside [from, to] come from the month totals (monthly and
  // yearly grains); only the days at either end need the day chunks.
  int32_t full_from = MonthIndex(from) + (unsigned(from.day()) == 1 ? 0 : 1);
  int32_t full_to =
      MonthIndex(to) - (to == year_month_day(to.year() / to.month() / std::chrono::last) ? 0 : 1);
  const bool by_month =
      (grain == RollupGrain::kMonth || grain == RollupGrain::kYear) && full_from <= full_to;
  std::vector<std::pair<int32_t, int32_t>> day_ranges;
  if (by_month) {
    auto st = store.Readings().ScanMonthTotals(full_from, full_to, [&](const MonthTotal& t) {
      if (t.meter_no < 0 || t.meter_no > max_no || !by_no[static_cast<size_t>(t.meter_no)]) return;
      int64_t period = grain == RollupGrain::kMonth ? t.month : t.month / 12;
      Cell& c = out[t.meter_no][period];
      c.quantity += t.total;
      c.readings += t.count;
    });
    if (!st.ok()) return st;
    auto month_start = [](int32_t mi) {
      return DayNumber(year_month_day(std::chrono::year(mi / 12) /
                                      std::chrono::month(static_cast<unsigned>(mi % 12 + 1)) / 1));
    };
    if (from_day < month_start(full_from))
      day_ranges.push_back({month_start(MonthIndex(from)), month_start(full_from) - 1});
    if (month_start(full_to + 1) <= to_day)
      day_ranges.push_back({month_start(full_to + 1), to_day});
  } else {
    day_ranges.push_back({from_day - 31, to_day});
  }
  // Monthly meters keep a year per chunk: decode theirs.
  for (const auto& m : meters) {
    if (m.interval != MeterInterval::kMonthly) continue;
    auto st = store.Readings().ScanChunks(
        m.unit_no, m.meter_no, from_day - 366, to_day,
        [&](const StoredChunk& c) { to_decode.emplace_back(&m, c.chunk_day); });
    if (!st.ok()) return st;
  }
  int64_t cur_meter = -1, cur_period = std::numeric_limits<int64_t>::min();
  int32_t cur_day = std::numeric_limits<int32_t>::min();
  Cell* cell = nullptr;
  std::unordered_map<int64_t, Cell>* meter_cells = nullptr;
  for (auto [range_from, range_to] : day_ranges) {
    auto st = store.Readings().ScanTotals(range_from, range_to, [&](const ChunkTotal& t) {
      if (t.meter_no < 0 || t.meter_no > max_no) return;
      const MeterRecord* mp = by_no[static_cast<size_t>(t.meter_no)];
      if (!mp || mp->interval == MeterInterval::kMonthly) return;
      const MeterRecord& m = *mp;
      const bool sub_daily =
          m.interval != MeterInterval::kDaily && m.interval != MeterInterval::kMonthly;
      int32_t end = sub_daily ? t.chunk_day + 1 : ChunkEnd(m, t.chunk_day);
      if (end <= from_day || t.chunk_day > to_day) return;
      bool inside = t.chunk_day >= from_day && end - 1 <= to_day;
      // A chunk longer than the grain must be split by slot.
      bool finer = (grain == RollupGrain::kDay && m.interval == MeterInterval::kDaily) ||
                   (grain != RollupGrain::kYear && m.interval == MeterInterval::kMonthly);
      if (!(totals_ok && inside && !finer)) {
        to_decode.emplace_back(&m, t.chunk_day);
        return;
      }
      if (t.meter_no != cur_meter) {
        cur_meter = t.meter_no;
        meter_cells = &out[t.meter_no];
        cur_period = std::numeric_limits<int64_t>::min();
        cur_day = std::numeric_limits<int32_t>::min();
      }
      // Consecutive days mostly share a period: map day -> period only on change.
      if (t.chunk_day != cur_day + 1 || grain == RollupGrain::kDay || !cell ||
          PeriodOfDay(grain, t.chunk_day) != cur_period) {
        int64_t p = PeriodOfDay(grain, t.chunk_day);
        if (p != cur_period || !cell) {
          cur_period = p;
          cell = &(*meter_cells)[p];
        }
      }
      cur_day = t.chunk_day;
      cell->quantity += t.total;
      cell->readings += t.count;
    });
    if (!st.ok()) return st;
  }
  for (auto [mp, day] : to_decode) {
    const MeterRecord& m = *mp;
    auto tz = TimeZone::Find(m.time_zone);
    if (!tz.ok()) return tz.error();
    auto chunk = store.Readings().GetChunk(m.unit_no, m.meter_no, day);
    if (!chunk.ok()) return chunk.error();
    if (!chunk->has_value()) continue;
    auto c = DecodeChunk((*chunk)->data);
    if (!c.ok()) return c.error();
    std::optional<double> prev;
    if (m.kind == MeterKind::kRegister) {
      auto s2 = store.Readings().ScanChunks(m.unit_no, m.meter_no, day - 400, day - 1,
                                            [&](const StoredChunk& sc) {
                                              auto d = DecodeChunk(sc.data);
                                              if (!d.ok()) return;
                                              for (int s = d->slots() - 1; s >= 0; --s)
                                                if (d->present[s]) {
                                                  prev = d->values[s];
                                                  return;
                                                }
                                            });
      if (!s2.ok()) return s2;
    }
    const int interval = IntervalSeconds(m.interval);
    const int64_t start = tz->StartOf(sys_days(days(day))).time_since_epoch().count();
    for (int s = 0; s < c->slots(); ++s) {
      if (!c->present[s]) continue;
      double q = c->values[s];
      if (m.kind == MeterKind::kRegister) {
        double v = q;
        q = prev ? StepConsumption(m, *prev, v, ClassifyStep(m, vee, *prev, v)) : 0;
        prev = v;
      }
      q *= m.multiplier;
      int32_t local_day;
      int64_t period;
      if (interval > 0) {
        int64_t t = start + int64_t{s} * interval;
        int64_t wall = t + tz->OffsetAt(Instant(std::chrono::seconds(t))).count();
        local_day = static_cast<int32_t>(wall >= 0 ? wall / 86400 : (wall - 86399) / 86400);
        period = grain == RollupGrain::kHour ? (wall >= 0 ? wall / 3600 : (wall - 3599) / 3600)
                                             : PeriodOfDay(grain, local_day);
      } else if (m.interval == MeterInterval::kDaily) {
        local_day = day + s;
        period = PeriodOfDay(grain, local_day);
      } else {
        year_month_day ymd = DateOf(day);
        local_day = DayNumber(
            year_month_day(ymd.year() / std::chrono::month(static_cast<unsigned>(s + 1)) / 1));
        period = PeriodOfDay(grain, local_day);
      }
      if (local_day < from_day || local_day > to_day) continue;
      Cell& slot_cell = out[m.meter_no][period];
      slot_cell.quantity += q;
      ++slot_cell.readings;
    }
  }
  return Ok{};
}

Result<RollupGrain> ParseRollupGrain(std::string_view t) {
  if (t == "hour") return RollupGrain::kHour;
  if (t == "day") return RollupGrain::kDay;
  if (t == "month") return RollupGrain::kMonth;
  if (t == "year") return RollupGrain::kYear;
  return Error::InvalidInput("unknown grain '" + std::string(t) + "' (hour, day, month, year)");
}

Result<RollupBy> ParseRollupBy(std::string_view t) {
  if (t == "meter") return RollupBy::kMeter;
  if (t == "site") return RollupBy::kSite;
  if (t == "unit") return RollupBy::kUnit;
  if (t == "district") return RollupBy::kDistrict;
  if (t == "carrier") return RollupBy::kCarrier;
  return Error::InvalidInput("unknown grouping '" + std::string(t) +
                             "' (meter, site, unit, district, carrier)");
}

Result<std::vector<RollupRow>> Rollup(Store& store, const VeeSettings& vee, RollupGrain grain,
                                      RollupBy by, Date from, Date to) {
  auto meters = store.Registry().ListMeters();
  if (!meters.ok()) return meters.error();
  auto units = store.Registry().ListUnits();
  if (!units.ok()) return units.error();
  std::unordered_map<std::string, std::string> district;
  for (const auto& u : *units) district[u.id] = u.district;
  MeterCells cells;
  if (auto st = AccumulateMeters(store, vee, *meters, grain, from, to, cells); !st.ok())
    return st.error();
  // Groups are interned once per meter; cells are summed by (group, period)
  // with integer keys, and only the result is sorted by text.
  std::map<std::tuple<std::string, std::string, std::string>, size_t> group_of;
  std::unordered_map<uint64_t, Cell> sums;  // group << 40 | (period + 2^39)
  constexpr int64_t kPeriodBias = int64_t{1} << 39;
  for (const auto& m : *meters) {
    auto it = cells.find(m.meter_no);
    if (it == cells.end()) continue;
    std::string key;
    switch (by) {
      case RollupBy::kMeter:
        key = m.id;
        break;
      case RollupBy::kSite:
        key = m.unit_id + "/" + m.site_id;
        break;
      case RollupBy::kUnit:
        key = m.unit_id;
        break;
      case RollupBy::kDistrict:
        key = district[m.unit_id];
        break;
      case RollupBy::kCarrier:
        key = m.carrier;
        break;
    }
    auto g =
        group_of.try_emplace({std::move(key), m.carrier, m.unit_of_measure}, group_of.size()).first;
    const uint64_t base = static_cast<uint64_t>(g->second) << 40;
    for (const auto& [period, c] : it->second) {
      Cell& sum = sums[base | static_cast<uint64_t>(period + kPeriodBias)];
      sum.quantity += c.quantity;
      sum.readings += c.readings;
    }
  }
  // Group order is the text order of (key, carrier, unit); periods ascend.
  std::vector<size_t> rank(group_of.size());
  {
    size_t r = 0;
    for (const auto& [name, index] : group_of) rank[index] = r++;
  }
  std::vector<std::pair<std::pair<size_t, int64_t>, Cell>> ordered;
  ordered.reserve(sums.size());
  for (const auto& [k, c] : sums)
    ordered.push_back({{rank[static_cast<size_t>(k >> 40)],
                        static_cast<int64_t>(k & ((uint64_t{1} << 40) - 1)) - kPeriodBias},
                       c});
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const std::tuple<std::string, std::string, std::string>*> by_rank(group_of.size());
  for (const auto& [name, index] : group_of) by_rank[rank[index]] = &name;
  std::vector<RollupRow> rows;
  rows.reserve(ordered.size());
  for (const auto& [k, c] : ordered) {
    const auto& name = *by_rank[k.first];
    rows.push_back({std::get<0>(name), std::get<1>(name), std::get<2>(name),
                    PeriodText(grain, k.second), c.quantity, c.readings});
  }
  return rows;
}

}  // namespace cl
