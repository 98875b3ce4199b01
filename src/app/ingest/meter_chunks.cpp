// Chunks and slots of a meter's readings, and their VEE findings (declared in
// meter_chunks.h).
#include "meter_chunks.h"

#include <chrono>
#include <string>

#include "core/timestamp.h"
#include "formats/text_util.h"

namespace cl::meter_chunks {

using std::chrono::seconds;
using std::chrono::sys_days;

Slotting ChunkOf(const MeterState& m, int64_t utc) {
  const TimeZone& tz = *m.tz;
  sys_days local = tz.DayOf(Instant(seconds(utc)));
  sys_days first = local;
  sys_days next = local + std::chrono::days(1);
  if (m.rec.interval == MeterInterval::kDaily || m.rec.interval == MeterInterval::kMonthly) {
    std::chrono::year_month_day ymd(local);
    if (m.rec.interval == MeterInterval::kDaily) {
      first = sys_days{ymd.year() / ymd.month() / 1};
      next = sys_days((ymd.year() / ymd.month() + std::chrono::months(1)) / 1);
    } else {
      first = sys_days{ymd.year() / 1 / 1};
      next = sys_days((ymd.year() + std::chrono::years(1)) / 1 / 1);
    }
  }
  int64_t start = tz.StartOf(first).time_since_epoch().count();
  int64_t end = tz.StartOf(next).time_since_epoch().count();
  int slots = 0;
  switch (m.rec.interval) {
    case MeterInterval::kDaily:
      slots = static_cast<int>((next - first).count());
      break;
    case MeterInterval::kMonthly:
      slots = 12;
      break;
    default:
      slots = static_cast<int>((end - start + m.interval_s - 1) / m.interval_s);
  }
  return {static_cast<int32_t>(first.time_since_epoch().count()), start, end, slots};
}

std::optional<Bound> ReadingBound(const MeterRecord& r, const VeeSettings& vee) {
  // Definitions of time, not domain numbers: the Julian year, the longest
  // local day (a daylight-saving change) and the longest month.
  constexpr double kHoursPerYear = 365.25 * 24;
  constexpr double kLongestDayHours = 25;
  constexpr double kLongestMonthHours = 31 * 24 + 1;
  auto unit = ParseUnit(r.unit_of_measure);
  if (!unit.ok()) return std::nullopt;  // a registered meter's unit parses (CheckMeter)
  const int interval_s = IntervalSeconds(r.interval);
  const double hours = r.kind == MeterKind::kRegister        ? vee.register_years * kHoursPerYear
                       : interval_s > 0                      ? interval_s / 3600.0
                       : r.interval == MeterInterval::kDaily ? kLongestDayHours
                                                             : kLongestMonthHours;
  return vee.bounds.Limit(r.carrier, *unit, hours);
}

int SlotOf(const MeterState& m, int64_t utc) {
  if (m.interval_s > 0) {
    int64_t off = utc - m.start;
    return off % m.interval_s == 0 ? static_cast<int>(off / m.interval_s) : -1;
  }
  const TimeZone& tz = *m.tz;
  sys_days local = tz.DayOf(Instant(seconds(utc)));
  if (tz.StartOf(local).time_since_epoch().count() != utc) return -1;  // not local midnight
  std::chrono::year_month_day ymd(local);
  if (m.rec.interval == MeterInterval::kDaily)
    return static_cast<int>(static_cast<unsigned>(ymd.day())) - 1;
  if (static_cast<unsigned>(ymd.day()) != 1) return -1;
  return static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

int64_t SlotTime(const MeterState& m, int32_t day, int64_t start, int s) {
  if (m.interval_s > 0) return start + int64_t{s} * m.interval_s;
  sys_days first{std::chrono::days(day)};
  if (m.rec.interval == MeterInterval::kDaily)
    return m.tz->StartOf(first + std::chrono::days(s)).time_since_epoch().count();
  std::chrono::year_month_day ymd(first);
  return m.tz->StartOf(sys_days(ymd.year() / std::chrono::month(static_cast<unsigned>(s + 1)) / 1))
      .time_since_epoch()
      .count();
}

std::string Iso(int64_t utc) { return FormatInstant(Instant(seconds(utc))); }

void SpikeFlags(const MeterState& m, const Chunk& c, const std::vector<double>& use,
                const VeeSettings& vee, int64_t batch_id, std::vector<FlagRecord>& flags) {
  double sum = 0;
  int n = 0;
  for (int s = 0; s < c.slots(); ++s)
    if (c.present[s]) {
      sum += use[s];
      ++n;
    }
  if (n < 4) return;
  for (int s = 0; s < c.slots(); ++s) {
    if (!c.present[s]) continue;
    double others = (sum - use[s]) / (n - 1);
    if (others > 0 && use[s] > vee.spike_factor * others)
      flags.push_back(
          {m.rec.meter_no, m.rec.unit_no, m.day, s, "spike",
           ShortestNumber(use[s]) + " is more than " + ShortestNumber(vee.spike_factor) +
               " x the mean of the chunk's other readings (" + ShortestNumber(others) + ")",
           batch_id});
  }
}

void CompletenessFlags(const MeterState& m, const Chunk& c, const VeeSettings& vee,
                       Instant now_instant, int64_t batch_id, std::vector<FlagRecord>& flags) {
  const int64_t now = now_instant.time_since_epoch().count();
  int due = 0;
  int present = 0;
  int run_start = -1;
  auto close_run = [&](int s) {
    if (run_start < 0) return;
    flags.push_back({m.rec.meter_no, m.rec.unit_no, m.day, run_start, "gap",
                     std::to_string(s - run_start) + " readings missing from " +
                         Iso(SlotTime(m, m.day, m.start, run_start)),
                     batch_id});
    run_start = -1;
  };
  for (int s = 0; s < c.slots(); ++s) {
    if (SlotTime(m, m.day, m.start, s) >= now) {
      close_run(s);
      break;
    }
    ++due;
    if (c.present[s]) {
      ++present;
      close_run(s);
    } else if (run_start < 0) {
      run_start = s;
    }
  }
  if (run_start >= 0) close_run(due);
  if (m.interval_s > 0 && m.end <= now && due > 0 && present < vee.minimum_daily_completeness * due)
    flags.push_back({m.rec.meter_no, m.rec.unit_no, m.day, -1, "incomplete_day",
                     std::to_string(present) + " of " + std::to_string(due) + " readings (" +
                         ShortestNumber(100.0 * present / due) + " %, under " +
                         ShortestNumber(100 * vee.minimum_daily_completeness) + " %)",
                     batch_id});
}

}  // namespace cl::meter_chunks
