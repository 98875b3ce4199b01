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
      (void)std::snprintf(buf, sizeof buf, "%s T%02d:00", FormatDate(d).c_str(),
                          static_cast<int>(((p % 24) + 24) % 24));
      std::string s(buf);
      s.erase(10, 1);  // "YYYY-MM-DDTHH:00"
      return s;
    }
    case RollupGrain::kDay:
      return FormatDate(DateOf(static_cast<int32_t>(p)));
    case RollupGrain::kMonth:
      (void)std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(p / 12),
                          static_cast<int>(p % 12) + 1);
      return buf;
    case RollupGrain::kYear:
      return std::to_string(p);
  }
  return "";
}

// The first day of month index `mi`.
int32_t MonthStart(int32_t mi) {
  return DayNumber(year_month_day(std::chrono::year(mi / 12) /
                                  std::chrono::month(static_cast<unsigned>(mi % 12 + 1)) / 1));
}

// The last register value before `day`, from the meter's earlier chunks.
Result<std::optional<double>> RegisterValueBefore(Store& store, const MeterRecord& m, int32_t day) {
  std::optional<double> prev;
  auto st = store.Readings().ScanChunks(m.unit_no, m.meter_no, day - 400, day - 1,
                                        [&](const StoredChunk& sc) {
                                          auto d = DecodeChunk(sc.data);
                                          if (!d.ok()) return;
                                          for (int s = d->slots() - 1; s >= 0; --s)
                                            if (d->present[s]) {
                                              prev = d->values[s];
                                              return;
                                            }
                                        });
  if (!st.ok()) return st.error();
  return prev;
}

// One AccumulateMeters call: the meters by number, the range, and the chunks
// left to decode.
class Accumulator {
 public:
  Accumulator(Store& store, const VeeSettings& vee, const std::vector<MeterRecord>& meters,
              RollupGrain grain, Date from, Date to, MeterCells& out)
      : store_(store),
        vee_(vee),
        meters_(meters),
        grain_(grain),
        from_(from),
        to_(to),
        from_day_(DayNumber(from)),
        to_day_(DayNumber(to)),
        out_(out) {
    // Meters by number (dense): the scans below visit one row per meter-day.
    for (const auto& m : meters) max_no_ = std::max(max_no_, m.meter_no);
    by_no_.assign(static_cast<size_t>(max_no_) + 1, nullptr);
    for (const auto& m : meters) by_no_[static_cast<size_t>(m.meter_no)] = &m;
  }

  Status Run() {
    auto day_ranges = AddMonthTotals();
    if (!day_ranges.ok()) return day_ranges.error();
    CL_RETURN_IF_ERROR(QueueMonthlyMeters());
    for (auto [range_from, range_to] : *day_ranges)
      CL_RETURN_IF_ERROR(AddDayTotals(range_from, range_to));
    for (auto [mp, day] : to_decode_) CL_RETURN_IF_ERROR(AddDecoded(*mp, day));
    return Ok{};
  }

 private:
  const MeterRecord* Meter(int64_t meter_no) const {
    if (meter_no < 0 || meter_no > max_no_) return nullptr;
    return by_no_[static_cast<size_t>(meter_no)];
  }

  // Whole months inside [from, to] come from the month totals (monthly and
  // yearly grains); only the days at either end need the day chunks, which
  // are returned as day ranges.
  Result<std::vector<std::pair<int32_t, int32_t>>> AddMonthTotals() {
    int32_t full_from = MonthIndex(from_) + (static_cast<unsigned>(from_.day()) == 1 ? 0 : 1);
    int32_t full_to = MonthIndex(to_) -
                      (to_ == year_month_day(to_.year() / to_.month() / std::chrono::last) ? 0 : 1);
    const bool by_month =
        (grain_ == RollupGrain::kMonth || grain_ == RollupGrain::kYear) && full_from <= full_to;
    std::vector<std::pair<int32_t, int32_t>> day_ranges;
    if (!by_month) {
      day_ranges.emplace_back(from_day_ - 31, to_day_);
      return day_ranges;
    }
    auto st = store_.Readings().ScanMonthTotals(full_from, full_to, [&](const MonthTotal& t) {
      if (!Meter(t.meter_no)) return;
      int64_t period = grain_ == RollupGrain::kMonth ? t.month : t.month / 12;
      Cell& c = out_[t.meter_no][period];
      c.quantity += t.total;
      c.readings += t.count;
    });
    if (!st.ok()) return st.error();
    if (from_day_ < MonthStart(full_from))
      day_ranges.emplace_back(MonthStart(MonthIndex(from_)), MonthStart(full_from) - 1);
    if (MonthStart(full_to + 1) <= to_day_)
      day_ranges.emplace_back(MonthStart(full_to + 1), to_day_);
    return day_ranges;
  }

  // Monthly meters keep a year per chunk: decode theirs.
  Status QueueMonthlyMeters() {
    for (const auto& m : meters_) {
      if (m.interval != MeterInterval::kMonthly) continue;
      auto st = store_.Readings().ScanChunks(
          m.unit_no, m.meter_no, from_day_ - 366, to_day_,
          [&](const StoredChunk& c) { to_decode_.emplace_back(&m, c.chunk_day); });
      if (!st.ok()) return st;
    }
    return Ok{};
  }

  // Chunk totals of [range_from, range_to]: whole chunks inside the range add
  // their stored totals; the others are queued for decoding.
  Status AddDayTotals(int32_t range_from, int32_t range_to) {
    const bool totals_ok = grain_ != RollupGrain::kHour;
    return store_.Readings().ScanTotals(range_from, range_to, [&](const ChunkTotal& t) {
      const MeterRecord* mp = Meter(t.meter_no);
      if (!mp || mp->interval == MeterInterval::kMonthly) return;
      const MeterRecord& m = *mp;
      const bool sub_daily =
          m.interval != MeterInterval::kDaily && m.interval != MeterInterval::kMonthly;
      int32_t end = sub_daily ? t.chunk_day + 1 : ChunkEnd(m, t.chunk_day);
      if (end <= from_day_ || t.chunk_day > to_day_) return;
      bool inside = t.chunk_day >= from_day_ && end - 1 <= to_day_;
      // A chunk longer than the grain must be split by slot.
      bool finer = (grain_ == RollupGrain::kDay && m.interval == MeterInterval::kDaily) ||
                   (grain_ != RollupGrain::kYear && m.interval == MeterInterval::kMonthly);
      if (!(totals_ok && inside && !finer)) {
        to_decode_.emplace_back(&m, t.chunk_day);
        return;
      }
      AddTotal(t);
    });
  }

  void AddTotal(const ChunkTotal& t) {
    if (t.meter_no != cur_meter_) {
      cur_meter_ = t.meter_no;
      meter_cells_ = &out_[t.meter_no];
      cur_period_ = std::numeric_limits<int64_t>::min();
      cur_day_ = std::numeric_limits<int32_t>::min();
    }
    // Consecutive days mostly share a period: map day -> period only on change.
    if (t.chunk_day != cur_day_ + 1 || grain_ == RollupGrain::kDay || !cell_ ||
        PeriodOfDay(grain_, t.chunk_day) != cur_period_) {
      int64_t p = PeriodOfDay(grain_, t.chunk_day);
      if (p != cur_period_ || !cell_) {
        cur_period_ = p;
        cell_ = &(*meter_cells_)[p];
      }
    }
    cur_day_ = t.chunk_day;
    cell_->quantity += t.total;
    cell_->readings += t.count;
  }

  // Decodes the meter's chunk of `day` and adds each slot inside the range.
  Status AddDecoded(const MeterRecord& m, int32_t day) {
    auto tz = TimeZone::Find(m.time_zone);
    if (!tz.ok()) return tz.error();
    auto chunk = store_.Readings().GetChunk(m.unit_no, m.meter_no, day);
    if (!chunk.ok()) return chunk.error();
    if (!chunk->has_value()) return Ok{};
    auto c = DecodeChunk((*chunk)->data);
    if (!c.ok()) return c.error();
    std::optional<double> prev;
    if (m.kind == MeterKind::kRegister) {
      auto before = RegisterValueBefore(store_, m, day);
      if (!before.ok()) return before.error();
      prev = *before;
    }
    const int64_t start = tz->StartOf(sys_days(days(day))).time_since_epoch().count();
    for (int s = 0; s < c->slots(); ++s) {
      if (!c->present[s]) continue;
      double q = c->values[s];
      if (m.kind == MeterKind::kRegister) {
        double v = q;
        q = prev ? StepConsumption(m, *prev, v, ClassifyStep(m, vee_, *prev, v)) : 0;
        prev = v;
      }
      q *= m.multiplier;
      auto [local_day, period] = SlotPlace(m, *tz, day, start, s);
      if (local_day < from_day_ || local_day > to_day_) continue;
      Cell& slot_cell = out_[m.meter_no][period];
      slot_cell.quantity += q;
      ++slot_cell.readings;
    }
    return Ok{};
  }

  // The local day and the period of slot `s` of the meter's chunk of `day`
  // (`start`: the chunk's first instant, in seconds).
  std::pair<int32_t, int64_t> SlotPlace(const MeterRecord& m, const TimeZone& tz, int32_t day,
                                        int64_t start, int s) const {
    const int interval = IntervalSeconds(m.interval);
    if (interval > 0) {
      int64_t t = start + int64_t{s} * interval;
      int64_t wall = t + tz.OffsetAt(Instant(std::chrono::seconds(t))).count();
      auto local_day = static_cast<int32_t>(wall >= 0 ? wall / 86400 : (wall - 86399) / 86400);
      int64_t period = grain_ == RollupGrain::kHour
                           ? (wall >= 0 ? wall / 3600 : (wall - 3599) / 3600)
                           : PeriodOfDay(grain_, local_day);
      return {local_day, period};
    }
    int32_t local_day;
    if (m.interval == MeterInterval::kDaily) {
      local_day = day + s;
    } else {
      year_month_day ymd = DateOf(day);
      local_day = DayNumber(
          year_month_day(ymd.year() / std::chrono::month(static_cast<unsigned>(s + 1)) / 1));
    }
    return {local_day, PeriodOfDay(grain_, local_day)};
  }

  Store& store_;
  const VeeSettings& vee_;
  const std::vector<MeterRecord>& meters_;
  const RollupGrain grain_;
  const Date from_, to_;
  const int32_t from_day_, to_day_;
  MeterCells& out_;
  int64_t max_no_ = 0;
  std::vector<const MeterRecord*> by_no_;
  std::vector<std::pair<const MeterRecord*, int32_t>> to_decode_;
  // The day-totals scan's position: the current meter, period and cell.
  int64_t cur_meter_ = -1, cur_period_ = std::numeric_limits<int64_t>::min();
  int32_t cur_day_ = std::numeric_limits<int32_t>::min();
  Cell* cell_ = nullptr;
  std::unordered_map<int64_t, Cell>* meter_cells_ = nullptr;
};

// The group a meter's row belongs to under `by`.
std::string GroupKey(RollupBy by, const MeterRecord& m,
                     std::unordered_map<std::string, std::string>& district) {
  switch (by) {
    case RollupBy::kMeter:
      return m.id;
    case RollupBy::kSite:
      return m.unit_id + "/" + m.site_id;
    case RollupBy::kUnit:
      return m.unit_id;
    case RollupBy::kDistrict:
      return district[m.unit_id];
    case RollupBy::kCarrier:
      return m.carrier;
  }
  return "";
}

using GroupName = std::tuple<std::string, std::string, std::string>;  // key, carrier, unit
constexpr int64_t kPeriodBias = int64_t{1} << 39;

// The rows of the summed cells (key: group << 40 | (period + 2^39)): group
// order is the text order of (key, carrier, unit); periods ascend.
std::vector<RollupRow> OrderedRows(const std::map<GroupName, size_t>& group_of,
                                   const std::unordered_map<uint64_t, Cell>& sums,
                                   RollupGrain grain) {
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
  std::vector<const GroupName*> by_rank(group_of.size());
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

// Every cell a finite number: a sum that overflowed (readings beyond
// physical bounds, stored before they were checked) is refused by name.
Status CheckCells(const std::vector<MeterRecord>& meters, RollupGrain grain,
                  const MeterCells& cells) {
  for (const auto& m : meters) {
    auto it = cells.find(m.meter_no);
    if (it == cells.end()) continue;
    for (const auto& [period, c] : it->second)
      CL_RETURN_IF_ERROR(CheckFinite(
          c.quantity, "the consumption of meter '" + m.id + "' in " + PeriodText(grain, period)));
  }
  return Ok{};
}

}  // namespace

// Accumulates consumption of `meters` with local dates in [from, to].
// Whole chunks inside the range use their stored totals; others are decoded.
Status AccumulateMeters(Store& store, const VeeSettings& vee,
                        const std::vector<MeterRecord>& meters, RollupGrain grain, Date from,
                        Date to, MeterCells& out) {
  CL_RETURN_IF_ERROR(Accumulator(store, vee, meters, grain, from, to, out).Run());
  return CheckCells(meters, grain, out);
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
  CL_RETURN_IF_ERROR(AccumulateMeters(store, vee, *meters, grain, from, to, cells));
  // Groups are interned once per meter; cells are summed by (group, period)
  // with integer keys, and only the result is sorted by text.
  std::map<GroupName, size_t> group_of;
  std::unordered_map<uint64_t, Cell> sums;  // group << 40 | (period + 2^39)
  for (const auto& m : *meters) {
    auto it = cells.find(m.meter_no);
    if (it == cells.end()) continue;
    auto g =
        group_of
            .try_emplace({GroupKey(by, m, district), m.carrier, m.unit_of_measure}, group_of.size())
            .first;
    const uint64_t base = static_cast<uint64_t>(g->second) << 40;
    for (const auto& [period, c] : it->second) {
      Cell& sum = sums[base | static_cast<uint64_t>(period + kPeriodBias)];
      sum.quantity += c.quantity;
      sum.readings += c.readings;
    }
  }
  for (const auto& [key, sum] : sums)
    CL_RETURN_IF_ERROR(CheckFinite(sum.quantity, "a roll-up's sum"));
  return OrderedRows(group_of, sums, grain);
}

}  // namespace cl
