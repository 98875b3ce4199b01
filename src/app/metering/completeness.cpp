#include "metering/completeness.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "core/timezone.h"
#include "metering/metering.h"
#include "store/store.h"

namespace cl {

Result<std::vector<MeterCompleteness>> BuildCompleteness(
    Store& store, int year, Instant now, double coverage_ok,
    const std::optional<std::vector<std::string>>& units) {
  using namespace std::chrono;
  auto meters = store.Registry().ListMeters();
  if (!meters.ok()) return meters.error();
  const year_month_day first{std::chrono::year{year} / January / 1};
  const year_month_day last_of_year{std::chrono::year{year} / December / 31};
  const int first_month = year * 12;
  std::map<int64_t, std::map<int32_t, int64_t>> counts;  // meter_no -> month index -> readings
  auto st = store.Readings().ScanMonthTotals(
      first_month, first_month + 11,
      [&](const MonthTotal& t) { counts[t.meter_no][t.month] += t.count; });
  if (!st.ok()) return st.error();
  std::map<std::string, TimeZone> zones;
  std::vector<MeterCompleteness> out;
  for (const auto& m : *meters) {
    if (units && std::find(units->begin(), units->end(), m.unit_id) == units->end()) continue;
    MeterCompleteness c;
    c.meter_id = m.id;
    c.unit_id = m.unit_id;
    c.site_id = m.site_id;
    c.carrier = m.carrier;
    c.interval = MeterIntervalName(m.interval);
    // Due through yesterday, local time.
    auto zone = zones.find(m.time_zone);
    if (zone == zones.end()) {
      auto z = TimeZone::Find(m.time_zone);
      if (!z.ok()) return z.error();
      zone = zones.emplace(m.time_zone, *z).first;
    }
    const year_month_day yesterday{zone->second.DayOf(now) - days(1)};
    const year_month_day until = std::min(yesterday, last_of_year);
    // From the meter's first stored day when it started during the year.
    year_month_day from = first;
    auto range = store.Readings().ChunkRange(m.unit_no, m.meter_no);
    if (!range.ok()) return range.error();
    if (*range) from = std::max(first, year_month_day{sys_days{days{(*range)->first}}});
    // Monthly meters keep no month totals: count their readings.
    std::map<int32_t, int64_t> monthly;
    if (m.interval == MeterInterval::kMonthly && until >= from) {
      auto read = ReadMeter(store, m, first, until);
      if (!read.ok()) return read.error();
      for (const auto& r : read->readings) {
        const year_month_day d{zone->second.DayOf(r.at)};
        ++monthly[static_cast<int>(d.year()) * 12 + static_cast<int>(unsigned(d.month())) - 1];
      }
    }
    const auto& mine = m.interval == MeterInterval::kMonthly ? monthly : counts[m.meter_no];
    bool last_due_empty = false;
    for (int mo = 0; mo < 12; ++mo) {
      const year_month_day month_start{std::chrono::year{year} /
                                       month(static_cast<unsigned>(mo + 1)) / 1};
      const year_month_day month_end{month_start.year() / month_start.month() / last};
      const year_month_day start = std::max(month_start, from);
      const year_month_day stop = std::min(month_end, until);
      if (stop < start) continue;
      const int64_t n_days = (sys_days{stop} - sys_days{start}).count() + 1;
      int64_t due = 0;
      const int seconds = IntervalSeconds(m.interval);
      if (seconds > 0)
        due = n_days * 86400 / seconds;
      else if (m.interval == MeterInterval::kDaily)
        due = n_days;
      else
        due = stop == month_end ? 1 : 0;  // monthly: due once the month is over
      auto it = mine.find(first_month + mo);
      const int64_t have = it == mine.end() ? 0 : it->second;
      if (have > 0) c.last_month = FormatMonth(month_start);
      if (due == 0) continue;
      c.expected += due;
      c.stored += std::min(have, due);
      if (static_cast<double>(have) < coverage_ok * static_cast<double>(due))
        c.short_months.push_back(FormatMonth(month_start));
      last_due_empty = have == 0;
    }
    const int32_t day_from = static_cast<int32_t>(sys_days{from}.time_since_epoch().count());
    const int32_t day_to = static_cast<int32_t>(sys_days{until}.time_since_epoch().count());
    for (const char* kind : {"gap", "incomplete_day", "missing_day"}) {
      auto flagged = store.Readings().FlagDays(m.meter_no, kind);
      if (!flagged.ok()) return flagged.error();
      int n = 0;
      for (int32_t d : *flagged) n += d >= day_from && d <= day_to;
      (std::string_view(kind) == "gap" ? c.gap_chunks : c.incomplete_days) += n;
    }
    if (c.expected > 0)
      c.coverage = static_cast<double>(c.stored) / static_cast<double>(c.expected);
    if (c.expected == 0)
      c.status = "not_due";
    else if (c.stored == 0)
      c.status = "no_data";
    else if (last_due_empty)
      c.status = "late";
    else if (!c.short_months.empty() || c.incomplete_days > 0)
      c.status = "incomplete";
    else if (c.gap_chunks > 0)
      c.status = "gaps";
    else
      c.status = "complete";
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace cl
