#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/timezone.h"
#include "formats/templates.h"
#include "formats/text_util.h"
#include "metering/calendar.h"
#include "metering/metering.h"
#include "metering/register_steps.h"
#include "store/chunk.h"
#include "store/store.h"

namespace cl {

using namespace metering;  // NOLINT(google-build-using-namespace): the calendar helpers

Result<MeterReadings> ReadMeter(Store& store, const MeterRecord& meter, Date from, Date to) {
  auto tz = TimeZone::Find(meter.time_zone);
  if (!tz.ok()) return tz.error();
  const auto a = static_cast<int32_t>(sys_days{from}.time_since_epoch().count());
  const auto b = static_cast<int32_t>(sys_days{to}.time_since_epoch().count());
  MeterReadings out;
  // Chunks start up to a year before the first day (monthly meters).
  auto flags = store.Readings().ListFlags(meter.meter_no, a - 366, b);
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
  auto st = store.Readings().ScanChunks(
      meter.unit_no, meter.meter_no, a - 366, b, [&](const StoredChunk& c) {
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

std::vector<ReadingBucket> BucketReadings(const std::vector<StoredReading>& readings,
                                          int64_t buckets) {
  const int64_t t0 = readings.empty() ? 0 : readings.front().at.time_since_epoch().count();
  const int64_t t1 = readings.empty() ? 1 : readings.back().at.time_since_epoch().count() + 1;
  const double width = static_cast<double>(t1 - t0) / static_cast<double>(buckets);
  struct Span {
    double min = 0, max = 0, sum = 0;
    int64_t count = 0;
  };
  std::vector<Span> spans(static_cast<size_t>(buckets));
  for (const auto& r : readings) {
    auto i = static_cast<size_t>(
        std::min<double>(static_cast<double>(buckets - 1),
                         static_cast<double>(r.at.time_since_epoch().count() - t0) / width));
    Span& s = spans[i];
    s.min = s.count ? std::min(s.min, r.value) : r.value;
    s.max = s.count ? std::max(s.max, r.value) : r.value;
    s.sum += r.value;
    ++s.count;
  }
  std::vector<ReadingBucket> out;
  for (size_t i = 0; i < spans.size(); ++i) {
    if (!spans[i].count) continue;
    const auto start = t0 + static_cast<int64_t>(width * static_cast<double>(i));
    out.push_back({Instant{std::chrono::seconds(start)}, spans[i].min,
                   spans[i].sum / static_cast<double>(spans[i].count), spans[i].max,
                   spans[i].count});
  }
  return out;
}

}  // namespace cl
