#include "app/store_service.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "app/templates.h"
#include "core/csv.h"
#include "core/encoding.h"
#include "core/timezone.h"
#include "register_steps.h"
#include "store/chunk.h"
#include "text_util.h"

namespace cl {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

int32_t DayNumber(Date d) { return static_cast<int32_t>(sys_days(d).time_since_epoch().count()); }
Date DateOf(int32_t day) { return year_month_day(sys_days(days(day))); }
int MonthIndex(Date d) {
  return static_cast<int>(d.year()) * 12 + static_cast<int>(unsigned(d.month())) - 1;
}

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

// Consumption of one meter per period, keyed by a period number of the grain
// (hour: UTC hour start / 3600 with the local offset; day: local day number;
// month: year*12+month-1; year: the year).
struct Cell {
  double quantity = 0;
  int64_t readings = 0;
};
using MeterCells =
    std::unordered_map<int64_t, std::unordered_map<int64_t, Cell>>;  // meter_no -> period -> cell

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

// Accumulates consumption of `meters` with local dates in [from, to].
// Whole chunks inside the range use their stored totals; others are decoded.
Status Accumulate(Store& store, const VeeSettings& vee, const std::vector<MeterRecord>& meters,
                  RollupGrain grain, Date from, Date to, MeterCells& out) {
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
    auto st = store.ScanMonthTotals(full_from, full_to, [&](const Store::MonthTotal& t) {
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
    auto st =
        store.ScanChunks(m.unit_no, m.meter_no, from_day - 366, to_day,
                         [&](const StoredChunk& c) { to_decode.emplace_back(&m, c.chunk_day); });
    if (!st.ok()) return st;
  }
  int64_t cur_meter = -1, cur_period = std::numeric_limits<int64_t>::min();
  int32_t cur_day = std::numeric_limits<int32_t>::min();
  Cell* cell = nullptr;
  std::unordered_map<int64_t, Cell>* meter_cells = nullptr;
  for (auto [range_from, range_to] : day_ranges) {
    auto st = store.ScanTotals(range_from, range_to, [&](const ChunkTotal& t) {
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
    auto chunk = store.GetChunk(m.unit_no, m.meter_no, day);
    if (!chunk.ok()) return chunk.error();
    if (!chunk->has_value()) continue;
    auto c = DecodeChunk((*chunk)->data);
    if (!c.ok()) return c.error();
    std::optional<double> prev;
    if (m.kind == MeterKind::kRegister) {
      auto s2 =
          store.ScanChunks(m.unit_no, m.meter_no, day - 400, day - 1, [&](const StoredChunk& sc) {
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

}  // namespace

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
  auto meters = store.ListMeters();
  if (!meters.ok()) return meters.error();
  auto units = store.ListUnits();
  if (!units.ok()) return units.error();
  std::unordered_map<std::string, std::string> district;
  for (const auto& u : *units) district[u.id] = u.district;
  MeterCells cells;
  if (auto st = Accumulate(store, vee, *meters, grain, from, to, cells); !st.ok())
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

Result<ImportResult> ImportActivities(Store& store, const ReferenceData& data,
                                      const std::string& path, const Actor& by,
                                      const std::optional<std::vector<std::string>>& only_units) {
  const std::string source = FileName(path);
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.error();
  std::vector<RejectRecord> rejects;
  std::vector<ActivityRecord> records;
  std::string encoding;
  auto text = DecodeText(*bytes, source);
  auto units = store.ListUnits();
  if (!units.ok()) return units.error();
  auto meters = store.ListMeters();
  if (!meters.ok()) return meters.error();
  std::vector<ReportingUnit> reporting;
  for (const auto& u : *units) {
    if (only_units && std::find(only_units->begin(), only_units->end(), u.id) == only_units->end())
      continue;
    ReportingUnit r;
    r.id = u.id;
    r.credit_code = u.credit_code;
    r.name_zh = u.name_zh;
    r.name_en = u.name_en;
    r.province = u.province;
    r.city = u.city;
    r.district = u.district;
    r.industry_code = u.industry_code;
    reporting.push_back(std::move(r));
  }
  auto reject = [&](const Error& e, const std::string& kind) {
    rejects.push_back(
        {0, source, e.where().line, e.where().column, e.where().field, kind, e.message()});
  };
  int64_t rows = 0;
  if (!text.ok()) {
    reject(text.error(), "bad_encoding");
  } else {
    encoding = text->encoding;
    CsvTable csv = ParseCsv(text->utf8, source);
    for (const auto& e : csv.errors.errors()) reject(e, "bad_csv");
    rows = csv.records.empty() ? 0 : static_cast<int64_t>(csv.records.size()) - 1;
    if (csv.errors.empty() && !csv.records.empty()) {
      auto first = ParseActivitiesFile(text->utf8, source, reporting, data.catalog, 0);
      if (first.ok()) {
        records = std::move(first.value());
      } else {
        // Keep the good rows: parse again without the rows that had errors,
        // mapping line numbers back to the file's.
        std::set<int> bad;
        for (const auto& e : first.errors().errors()) {
          bool file_level = e.where().line <= csv.records.front().line;
          reject(e, file_level ? "missing_column"
                               : "invalid_" + (e.where().field.empty() ? std::string("row")
                                                                       : e.where().field));
          if (e.where().line > 0) bad.insert(e.where().line);
        }
        if (!bad.count(csv.records.front().line)) {
          std::string kept;
          std::vector<int> line_of;
          auto add = [&](const CsvRecord& r) {
            std::string row_text;
            for (size_t i = 0; i < r.fields.size(); ++i)
              row_text += (i ? "," : "") + CsvEscape(r.fields[i]);
            kept += row_text + "\n";
            // One entry per physical line: a quoted field may hold line breaks.
            auto lines = 1 + std::count(row_text.begin(), row_text.end(), '\n');
            for (long k = 0; k < lines; ++k) line_of.push_back(r.line);
          };
          for (const auto& r : csv.records)
            if (!bad.count(r.line)) add(r);
          auto second = ParseActivitiesFile(kept, source, reporting, data.catalog, 0);
          if (second.ok()) {
            records = std::move(second.value());
            for (auto& rec : records)
              if (rec.line >= 1 && static_cast<size_t>(rec.line) <= line_of.size())
                rec.line = line_of[static_cast<size_t>(rec.line - 1)];
          }
        }
      }
    }
  }
  std::unordered_map<std::string, const MeterRecord*> meter_by_id;
  for (const auto& m : *meters) meter_by_id[m.id] = &m;

  if (auto st = store.Begin(); !st.ok()) return st.error();
  auto fail = [&](const Error& e) -> Result<ImportResult> {
    store.Rollback();
    return e;
  };
  BatchRecord batch;
  batch.kind = BatchKind::kActivities;
  batch.source = source;
  batch.created_at = NowUtc();
  batch.created_by = by.user;
  auto id = store.CreateBatch(batch, by);
  if (!id.ok()) return fail(id.error());
  batch.id = *id;
  batch.rows = rows;
  for (const auto& rec : records) {
    const std::string& unit_id = reporting[static_cast<size_t>(rec.unit_index)].id;
    if (!rec.meter_id.empty()) {
      auto it = meter_by_id.find(rec.meter_id);
      if (it == meter_by_id.end() || it->second->unit_id != unit_id) {
        rejects.push_back(
            {0, source, rec.line, 0, "meter_id", "unknown_meter",
             "meter '" + rec.meter_id + "' is not a registered meter of unit '" + unit_id + "'"});
        continue;
      }
    }
    ActivityRow row;
    row.unit_id = unit_id;
    row.site_id = rec.site_id == "main" ? "" : rec.site_id;
    row.meter_id = rec.meter_id;
    row.activity = rec.cells.activity;
    row.quantity = rec.quantity.value;
    row.unit_of_measure = rec.cells.unit_of_measure;
    row.period_start = FormatDate(rec.period.start);
    row.period_end = FormatDate(rec.period.end);
    row.data_source = rec.cells.data_source;
    row.instrument = rec.cells.instrument;
    row.instrument_ids = rec.cells.instrument_ids;
    if (rec.factor) row.factor = rec.factor->value;
    row.factor_unit = rec.cells.factor_unit;
    row.note = rec.note;
    row.source_file = source;
    row.line = rec.line;
    row.batch_id = batch.id;
    auto o = store.PutActivity(row, by);
    if (!o.ok()) return fail(o.error());
    if (*o == WriteOutcome::kInserted) ++batch.accepted;
    if (*o == WriteOutcome::kUnchanged) ++batch.unchanged;
    if (*o == WriteOutcome::kUpdated) ++batch.revised;
  }
  for (auto& r : rejects) r.batch_id = batch.id;
  std::set<int64_t> reject_lines;
  for (const auto& r : rejects) reject_lines.insert(r.line);
  batch.rejected = static_cast<int64_t>(reject_lines.size());
  if (auto st = store.AddRejects(rejects); !st.ok()) return fail(st.error());
  if (auto st = store.FinishBatch(batch, by); !st.ok()) return fail(st.error());
  if (auto st = store.Commit(); !st.ok()) return st.error();
  ImportResult result;
  result.batch = batch;
  result.encoding = encoding;
  result.file_error = !text.ok();
  return result;
}

Result<std::vector<Mismatch>> CheckMonthlyConsistency(Store& store, const VeeSettings& vee,
                                                      int year) {
  auto meters = store.ListMeters();
  if (!meters.ok()) return meters.error();
  auto rows = store.ListActivities("");
  if (!rows.ok()) return rows.error();
  std::unordered_map<std::string, const MeterRecord*> by_id;
  for (const auto& m : *meters) by_id[m.id] = &m;
  std::vector<Mismatch> found;
  if (auto st = store.Begin(); !st.ok()) return st.error();
  for (const auto& a : *rows) {
    if (a.meter_id.empty() || a.data_source == "meter" || a.data_source == "计量") continue;
    auto it = by_id.find(a.meter_id);
    if (it == by_id.end()) continue;
    const MeterRecord& m = *it->second;
    auto start = ParseDate(a.period_start), end = ParseDate(a.period_end);
    if (!start.ok() || !end.ok() || static_cast<int>(start->year()) != year) continue;
    auto bill_unit = ParseUnit(a.unit_of_measure), meter_unit = ParseUnit(m.unit_of_measure);
    if (!bill_unit.ok() || !meter_unit.ok() || !(bill_unit->dim == meter_unit->dim)) continue;
    double bill = a.quantity * bill_unit->to_base / meter_unit->to_base;
    MeterCells cells;
    if (auto st = Accumulate(store, vee, {m}, RollupGrain::kYear, *start, *end, cells); !st.ok()) {
      store.Rollback();
      return st.error();
    }
    double readings = 0;
    int64_t n = 0;
    for (const auto& [p, c] : cells[m.meter_no]) {
      readings += c.quantity;
      n += c.readings;
    }
    std::vector<FlagRecord> flags;
    const int32_t day = DayNumber(*start);
    if (n > 0 && bill > 0) {
      double gap = std::fabs(readings - bill) / bill;
      if (gap > vee.maximum_daily_monthly_gap) {
        char month[24];
        std::snprintf(month, sizeof month, "%04d-%02d", static_cast<int>(start->year()),
                      static_cast<int>(unsigned(start->month())));
        found.push_back({m.id, month, readings, bill, gap});
        flags.push_back({m.meter_no, m.unit_no, day, -1, "monthly_mismatch",
                         "readings " + ShortestNumber(readings) + " vs bill " +
                             ShortestNumber(bill) + " " + m.unit_of_measure + " (" +
                             ShortestNumber(std::round(gap * 1000) / 10) + " %, over " +
                             ShortestNumber(vee.maximum_daily_monthly_gap * 100) + " %) for " +
                             a.period_start + ".." + a.period_end,
                         a.batch_id});
      }
    }
    if (auto st = store.ReplaceChunkFlags(m.meter_no, day, {"monthly_mismatch"}, flags); !st.ok()) {
      store.Rollback();
      return st.error();
    }
  }
  if (auto st = store.Commit(); !st.ok()) return st.error();
  return found;
}

Result<MeterReadings> ReadMeter(Store& store, const MeterRecord& meter, Date from, Date to) {
  auto tz = TimeZone::Find(meter.time_zone);
  if (!tz.ok()) return tz.error();
  const auto a = static_cast<int32_t>(sys_days(from).time_since_epoch().count());
  const auto b = static_cast<int32_t>(sys_days(to).time_since_epoch().count());
  MeterReadings out;
  // Chunks start up to a year before the first day (monthly meters).
  auto flags = store.ListFlags(meter.meter_no, a - 366, b);
  if (!flags.ok()) return flags.error();
  std::map<std::pair<int32_t, int32_t>, std::string> flag_at;
  for (const auto& f : *flags) {
    if (f.chunk_day < a) continue;
    if (f.slot < 0) {
      out.day_flags.push_back(FormatDate(year_month_day(sys_days(std::chrono::days(f.chunk_day)))) +
                              " " + f.kind + ": " + f.detail);
    } else {
      auto& s = flag_at[{f.chunk_day, f.slot}];
      s += (s.empty() ? "" : "; ") + f.kind + ": " + f.detail;
    }
  }
  const int interval = IntervalSeconds(meter.interval);
  Status bad = Ok{};
  auto st = store.ScanChunks(meter.unit_no, meter.meter_no, a - 366, b, [&](const StoredChunk& c) {
    auto d = DecodeChunk(c.data);
    if (!d.ok()) {
      bad = Error(ErrorKind::kInternal,
                  "the stored readings of meter '" + meter.id + "' on " +
                      FormatDate(year_month_day(sys_days(std::chrono::days(c.chunk_day)))) +
                      " cannot be read: " + d.error().message());
      return;
    }
    const sys_days first{std::chrono::days(c.chunk_day)};
    const int64_t start = tz->StartOf(first).time_since_epoch().count();
    for (int s = 0; s < d->slots(); ++s) {
      if (!d->present[s]) continue;
      int64_t t = 0;
      if (interval > 0) {
        t = start + int64_t{s} * interval;
      } else if (meter.interval == MeterInterval::kDaily) {
        t = tz->StartOf(first + std::chrono::days(s)).time_since_epoch().count();
      } else {  // monthly: slot = month of the chunk's year
        t = tz->StartOf(sys_days(year_month_day(first).year() /
                                 std::chrono::month(static_cast<unsigned>(s + 1)) / 1))
                .time_since_epoch()
                .count();
      }
      Instant when{std::chrono::seconds(t)};
      const auto local = tz->DayOf(when).time_since_epoch().count();
      if (local < a || local > b) continue;
      auto it = flag_at.find({c.chunk_day, s});
      out.readings.push_back(
          {when, d->values[s], d->batch[s], it == flag_at.end() ? "" : it->second});
    }
  });
  if (!st.ok()) return st.error();
  if (!bad.ok()) return bad.error();
  return out;
}

Result<StoreInput> BuildStoreInput(Store& store, const VeeSettings& vee, int year,
                                   const std::string& unit_id) {
  StoreInput in;
  auto units = store.ListUnits();
  if (!units.ok()) return units.error();
  in.units_csv = "unit_id,credit_code,name_zh,name_en,province,city,district,industry_code\n";
  for (const auto& u : *units) {
    if (!unit_id.empty() && u.id != unit_id) continue;
    for (const std::string* f :
         {&u.id, &u.credit_code, &u.name_zh, &u.name_en, &u.province, &u.city, &u.district})
      in.units_csv += CsvEscape(*f) + ",";
    in.units_csv += CsvEscape(u.industry_code) + "\n";
  }
  auto rows = store.ListActivities(unit_id);
  if (!rows.ok()) return rows.error();
  const Date year_start = year_month_day(std::chrono::year(year) / 1 / 1);
  const Date year_end = year_month_day(std::chrono::year(year) / 12 / 31);
  in.activities_csv =
      "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
      "instrument,instrument_ids,factor,factor_unit,note,meter_id\n";
  auto add = [&](const ActivityRow& a) {
    std::vector<std::string> f = {a.unit_id,
                                  a.site_id,
                                  a.activity,
                                  ShortestNumber(a.quantity),
                                  a.unit_of_measure,
                                  a.period_start,
                                  a.period_end,
                                  a.data_source,
                                  a.instrument,
                                  a.instrument_ids,
                                  a.factor ? ShortestNumber(*a.factor) : "",
                                  a.factor_unit,
                                  a.note,
                                  a.meter_id};
    for (size_t i = 0; i < f.size(); ++i) in.activities_csv += (i ? "," : "") + CsvEscape(f[i]);
    in.activities_csv += "\n";
  };
  // What records already cover, month by month: a named meter, or every
  // meter of a carrier at a site (all sites when the record has none).
  std::set<std::tuple<std::string, int>> meter_months;
  std::set<std::tuple<std::string, std::string, std::string, int>> scope_months;
  for (const auto& a : *rows) {
    auto s = ParseDate(a.period_start), e = ParseDate(a.period_end);
    if (!s.ok() || !e.ok() || *s < year_start || year_end < *e) continue;
    add(a);
    std::string carrier = a.activity.substr(0, a.activity.find(':'));
    for (int mi = MonthIndex(*s); mi <= MonthIndex(*e); ++mi) {
      if (!a.meter_id.empty()) {
        meter_months.insert({a.meter_id, mi});
      } else {
        scope_months.insert({a.unit_id, a.site_id, carrier, mi});
      }
    }
  }
  auto meters = store.ListMeters();
  if (!meters.ok()) return meters.error();
  if (!unit_id.empty())
    std::erase_if(*meters, [&](const MeterRecord& m) { return m.unit_id != unit_id; });
  MeterCells cells;
  if (auto st = Accumulate(store, vee, *meters, RollupGrain::kMonth, year_start, year_end, cells);
      !st.ok())
    return st.error();
  for (const auto& m : *meters) {
    auto it = cells.find(m.meter_no);
    if (it == cells.end()) continue;
    std::vector<std::pair<int64_t, Cell>> months(it->second.begin(), it->second.end());
    std::sort(months.begin(), months.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [mi, c] : months) {
      int month = static_cast<int>(mi);
      bool covered = meter_months.count({m.id, month}) ||
                     scope_months.count({m.unit_id, "", m.carrier, month}) ||
                     scope_months.count({m.unit_id, m.site_id, m.carrier, month});
      if (covered) {
        ++in.skipped_months;
        continue;
      }
      Date first = year_month_day(std::chrono::year(month / 12) /
                                  std::chrono::month(static_cast<unsigned>(month % 12 + 1)) / 1);
      Date last = year_month_day(std::chrono::year(month / 12) /
                                 std::chrono::month(static_cast<unsigned>(month % 12 + 1)) /
                                 std::chrono::last);
      ActivityRow a;
      a.unit_id = m.unit_id;
      a.site_id = m.site_id;
      a.activity = m.carrier;
      a.quantity = c.quantity;
      a.unit_of_measure = m.unit_of_measure;
      a.period_start = FormatDate(first);
      a.period_end = FormatDate(last);
      a.data_source = "meter";
      a.note = "sum of " + std::to_string(c.readings) + " readings of meter " + m.id;
      a.meter_id = m.id;
      add(a);
      ++in.meter_months;
    }
  }
  return in;
}

}  // namespace cl
