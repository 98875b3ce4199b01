#include "metering/completeness.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "core/timezone.h"
#include "metering/metering.h"
#include "store/store.h"

namespace cl {

namespace {

using namespace std::chrono;  // NOLINT(google-build-using-namespace): calendar arithmetic

using MonthCounts = std::map<int32_t, int64_t>;  // month index -> readings

// The status of a meter's completeness once its counts are known.
std::string StatusOf(const MeterCompleteness& c, bool last_due_empty) {
  if (c.expected == 0) return "not_due";
  if (c.stored == 0) return "no_data";
  if (last_due_empty) return "late";
  if (!c.short_months.empty() || c.incomplete_days > 0) return "incomplete";
  if (c.gap_chunks > 0) return "gaps";
  return "complete";
}

// One BuildCompleteness call: the year, the month totals of every meter, and
// the time zones met so far.
class CompletenessBuilder {
 public:
  CompletenessBuilder(Store& store, int year, Instant now, double coverage_ok)
      : store_(store),
        year_(year),
        now_(now),
        coverage_ok_(coverage_ok),
        first_{std::chrono::year{year} / January / 1},
        last_of_year_{std::chrono::year{year} / December / 31},
        first_month_(year * 12) {}

  Status LoadMonthTotals() {
    return store_.Readings().ScanMonthTotals(
        first_month_, first_month_ + 11,
        [&](const MonthTotal& t) { counts_[t.meter_no][t.month] += t.count; });
  }

  Result<MeterCompleteness> Meter(const MeterRecord& m) {
    MeterCompleteness c;
    c.meter_id = m.id;
    c.unit_id = m.unit_id;
    c.site_id = m.site_id;
    c.carrier = m.carrier;
    c.interval = MeterIntervalName(m.interval);
    auto zone = Zone(m.time_zone);
    if (!zone.ok()) return zone.error();
    // Due through yesterday, local time.
    const year_month_day yesterday{(*zone)->DayOf(now_) - days(1)};
    const year_month_day until = std::min(yesterday, last_of_year_);
    // From the meter's first stored day when it started during the year.
    year_month_day from = first_;
    auto range = store_.Readings().ChunkRange(m.unit_no, m.meter_no);
    if (!range.ok()) return range.error();
    if (*range) from = std::max(first_, year_month_day{sys_days{days{(*range)->first}}});
    // Monthly meters keep no month totals: count their readings.
    MonthCounts monthly;
    if (m.interval == MeterInterval::kMonthly && until >= from) {
      auto read = ReadMeter(store_, m, first_, until);
      if (!read.ok()) return read.error();
      for (const auto& r : read->readings) {
        const year_month_day d{(*zone)->DayOf(r.at)};
        ++monthly[static_cast<int>(d.year()) * 12 +
                  static_cast<int>(static_cast<unsigned>(d.month())) - 1];
      }
    }
    const auto& mine = m.interval == MeterInterval::kMonthly ? monthly : counts_[m.meter_no];
    const bool last_due_empty = CountMonths(m, mine, from, until, c);
    CL_RETURN_IF_ERROR(CountFlags(m, from, until, c));
    if (c.expected > 0)
      c.coverage = static_cast<double>(c.stored) / static_cast<double>(c.expected);
    c.status = StatusOf(c, last_due_empty);
    return c;
  }

 private:
  Result<const TimeZone*> Zone(const std::string& name) {
    auto zone = zones_.find(name);
    if (zone == zones_.end()) {
      auto z = TimeZone::Find(name);
      if (!z.ok()) return z.error();
      zone = zones_.emplace(name, *z).first;
    }
    return &zone->second;
  }

  // Readings due and stored month by month over [from, until]; true when the
  // last month with readings due has none.
  bool CountMonths(const MeterRecord& m, const MonthCounts& mine, year_month_day from,
                   year_month_day until, MeterCompleteness& c) const {
    bool last_due_empty = false;
    for (int mo = 0; mo < 12; ++mo) {
      const year_month_day month_start{std::chrono::year{year_} /
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
      auto it = mine.find(first_month_ + mo);
      const int64_t have = it == mine.end() ? 0 : it->second;
      if (have > 0) c.last_month = FormatMonth(month_start);
      if (due == 0) continue;
      c.expected += due;
      c.stored += std::min(have, due);
      if (static_cast<double>(have) < coverage_ok_ * static_cast<double>(due))
        c.short_months.push_back(FormatMonth(month_start));
      last_due_empty = have == 0;
    }
    return last_due_empty;
  }

  // Gap and incomplete-day flags of the meter over [from, until].
  Status CountFlags(const MeterRecord& m, year_month_day from, year_month_day until,
                    MeterCompleteness& c) {
    const int32_t day_from = static_cast<int32_t>(sys_days{from}.time_since_epoch().count());
    const int32_t day_to = static_cast<int32_t>(sys_days{until}.time_since_epoch().count());
    for (const char* kind : {"gap", "incomplete_day", "missing_day"}) {
      auto flagged = store_.Readings().FlagDays(m.meter_no, kind);
      if (!flagged.ok()) return flagged.error();
      int n = 0;
      for (int32_t d : *flagged) n += d >= day_from && d <= day_to;
      (std::string_view(kind) == "gap" ? c.gap_chunks : c.incomplete_days) += n;
    }
    return Ok{};
  }

  Store& store_;
  const int year_;
  const Instant now_;
  const double coverage_ok_;
  const year_month_day first_, last_of_year_;
  const int first_month_;
  std::map<int64_t, MonthCounts> counts_;  // meter_no -> month index -> readings
  std::map<std::string, TimeZone> zones_;
};

}  // namespace

Result<std::vector<MeterCompleteness>> BuildCompleteness(
    Store& store, int year, Instant now, double coverage_ok,
    const std::optional<std::vector<std::string>>& units) {
  auto meters = store.Registry().ListMeters();
  if (!meters.ok()) return meters.error();
  CompletenessBuilder builder(store, year, now, coverage_ok);
  CL_RETURN_IF_ERROR(builder.LoadMonthTotals());
  std::vector<MeterCompleteness> out;
  for (const auto& m : *meters) {
    if (units && std::find(units->begin(), units->end(), m.unit_id) == units->end()) continue;
    auto c = builder.Meter(m);
    if (!c.ok()) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace cl
