#include "caltrack_data.h"

#include <cmath>
#include <limits>

namespace cl::mv::detail {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::seconds;

}  // namespace

}  // namespace cl::mv::detail

namespace cl::mv {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::seconds;
}  // namespace

HourlyTemperature::HourlyTemperature(const TemperatureSeries& t) {
  if (t.time.empty()) return;
  start_ = floor<hours>(t.time.front());
  const auto last = floor<hours>(t.time.back());
  const size_t n = static_cast<size_t>((last - start_) / hours(1)) + 1;
  values_.assign(n, kNaN);
  std::vector<int> counts(n, 0);
  for (size_t i = 0; i < t.time.size(); ++i) {
    auto h = static_cast<size_t>((floor<hours>(t.time[i]) - start_) / hours(1));
    // Several readings in one hour: their mean (hourly data has one).
    values_[h] = counts[h] == 0 ? t.fahrenheit[i] : values_[h] + t.fahrenheit[i];
    ++counts[h];
  }
  for (size_t h = 0; h < n; ++h) {
    if (counts[h] > 1) values_[h] /= counts[h];
  }
}

double HourlyTemperature::At(Instant t) const {
  if (values_.empty() || t < start_) return kNaN;
  auto d = t - start_;
  if (d % hours(1) != seconds(0)) return kNaN;
  auto i = static_cast<size_t>(d / hours(1));
  return i < values_.size() ? values_[i] : kNaN;
}

std::pair<size_t, size_t> HourlyTemperature::Range(Instant from, Instant to) const {
  if (values_.empty() || to <= from) return {0, 0};
  auto index = [&](Instant t) -> int64_t {
    // First grid hour >= t.
    auto d = t - start_;
    int64_t h = d / hours(1);
    if (d.count() > 0 && d % hours(1) != seconds(0)) ++h;
    if (d.count() < 0) h = -((-d) / hours(1));
    return h;
  };
  int64_t a = std::max<int64_t>(0, index(from));
  int64_t b = std::min<int64_t>(static_cast<int64_t>(values_.size()), index(to));
  if (b <= a) return {0, 0};
  return {static_cast<size_t>(a), static_cast<size_t>(b)};
}

}  // namespace cl::mv

namespace cl::mv::detail {

std::vector<Period> MakePeriods(const UsageSeries& usage, Method method,
                                std::chrono::minutes day_offset) {
  std::vector<Period> out;
  if (usage.start.empty()) return out;
  if (method == Method::kBilling) {
    for (size_t i = 0; i < usage.start.size(); ++i) out.push_back({usage.start[i], usage.value[i]});
    return out;
  }
  auto day_of = [&](Instant t) { return floor<days>(t + day_offset); };
  const auto first = day_of(usage.start.front());
  const auto last = day_of(usage.start.back());
  const size_t n = static_cast<size_t>((last - first).count()) + 1;
  out.resize(n);
  for (size_t d = 0; d < n; ++d) out[d].start = Instant(first + days(d)) - day_offset;
  for (size_t i = 0; i < usage.start.size(); ++i) {
    if (!usage.value[i]) continue;
    auto d = static_cast<size_t>((day_of(usage.start[i]) - first).count());
    out[d].value = out[d].value.value_or(0.0) + *usage.value[i];  // sum, min_count = 1
  }
  return out;
}

std::vector<Period> Window(const std::vector<Period>& periods, Instant from, Instant to) {
  std::vector<Period> out;
  for (const Period& p : periods) {
    if (from <= p.start && p.start <= to) out.push_back(p);
  }
  if (!out.empty()) out.back().value.reset();  // the end marker
  return out;
}

namespace {

// The temperature features of hours [a, b) of the grid (§3.2).
void Summarise(const HourlyGrid& grid, size_t a, size_t b, double coverage_per_day,
               double coverage_per_period, DesignRow& row) {
  const size_t count = b - a;
  const double day_limit = 24.0 * coverage_per_day;
  double sum = 0;
  int valid = 0;
  for (size_t h = a; h < b; ++h) {
    if (!std::isnan(grid.at(h))) {
      sum += grid.at(h);
      ++valid;
    }
  }
  if (valid > 0) row.temperature_mean = sum / valid;
  row.temperature_hours = static_cast<int>(count);
  row.temperature_hours_valid = valid;
  if (count <= 24) {  // one day: kept when it has more than 12 hourly rows (valid or not)
    row.n_days_total = 1;
    if (static_cast<double>(count) > day_limit) {
      row.n_days_kept = 1;
      if (valid > 0) row.daily_means.push_back(sum / valid);
    }
    return;
  }
  row.n_days_total = std::ceil(static_cast<double>(count) / 24.0);
  if (static_cast<double>(valid) < coverage_per_period * static_cast<double>(count)) return;
  for (size_t c = a; c < b; c += 24) {
    double chunk_sum = 0;
    int chunk_valid = 0;
    for (size_t h = c; h < std::min(b, c + 24); ++h) {
      if (!std::isnan(grid.at(h))) {
        chunk_sum += grid.at(h);
        ++chunk_valid;
      }
    }
    if (static_cast<double>(chunk_valid) > day_limit)
      row.daily_means.push_back(chunk_sum / chunk_valid);
  }
  row.n_days_kept = static_cast<double>(row.daily_means.size());
}

}  // namespace

std::vector<DesignRow> Features(const std::vector<Period>& window, const HourlyGrid& grid,
                                std::optional<std::chrono::seconds> tolerance,
                                double coverage_per_day, double coverage_per_period) {
  std::vector<DesignRow> rows;
  for (size_t i = 0; i + 1 < window.size(); ++i) {
    DesignRow row;
    row.start = window[i].start;
    row.end = window[i + 1].start;
    row.days = std::chrono::duration<double>(row.end - row.start).count() / 86400.0;
    row.usage = window[i].value;
    Instant to = row.end;
    // merge_asof tolerance is inclusive: the hour at start + tolerance still matches.
    if (tolerance && row.start + *tolerance + seconds(1) < to)
      to = row.start + *tolerance + seconds(1);
    auto [a, b] = grid.Range(row.start, to);
    Summarise(grid, a, b, coverage_per_day, coverage_per_period, row);
    rows.push_back(std::move(row));
  }
  return rows;
}

double CoolingDegreeDays(const DesignRow& row, double bp) {
  double s = 0;
  for (double t : row.daily_means) s += std::max(t - bp, 0.0);
  return s / static_cast<double>(row.daily_means.size());
}

double HeatingDegreeDays(const DesignRow& row, double bp) {
  double s = 0;
  for (double t : row.daily_means) s += std::max(bp - t, 0.0);
  return s / static_cast<double>(row.daily_means.size());
}

}  // namespace cl::mv::detail
