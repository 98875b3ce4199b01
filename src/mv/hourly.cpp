#include "mv/hourly.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "mv/least_squares.h"

namespace cl::mv {
namespace {

using std::chrono::hours;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Hour {
  Instant t;
  double y = kNaN;
  double temp = kNaN;
  int how = 0;    // hour of week, 0 = Monday 00:00 UTC
  int month = 0;  // 1–12, UTC
  bool usable() const { return !std::isnan(y) && !std::isnan(temp); }
};

int HourOfWeek(Instant t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::weekday wd{day};
  int monday_based = static_cast<int>((wd.c_encoding() + 6) % 7);
  return monday_based * 24 + static_cast<int>((t - day) / hours(1));
}

int Month(Instant t) {
  return static_cast<int>(static_cast<unsigned>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t)).month()));
}

// Usage summed per UTC hour (resample("H").sum(min_count=1)) over [from, to];
// the last hour is the end marker.
std::vector<Hour> Hours(const UsageSeries& usage, const HourlyTemperature& grid, Instant from,
                        Instant to) {
  std::vector<Hour> out;
  if (usage.start.empty()) return out;
  Instant first = std::chrono::floor<hours>(usage.start.front());
  Instant last = std::chrono::floor<hours>(usage.start.back());
  Instant lo = std::max(from, first);
  Instant hi = std::min(to, last);
  if (hi < lo) return out;
  // Align to the hour grid of the data.
  if ((lo - first) % hours(1) != std::chrono::seconds(0)) lo = std::chrono::ceil<hours>(lo);
  for (Instant t = lo; t <= hi; t += hours(1))
    out.push_back({t, kNaN, grid.At(t), HourOfWeek(t), Month(t)});
  for (size_t i = 0; i < usage.start.size(); ++i) {
    if (!usage.value[i]) continue;
    Instant h = std::chrono::floor<hours>(usage.start[i]);
    if (h < lo || h > hi) continue;
    Hour& row = out[static_cast<size_t>((h - lo) / hours(1))];
    row.y = std::isnan(row.y) ? *usage.value[i] : row.y + *usage.value[i];
  }
  if (!out.empty()) out.back().y = kNaN;  // end marker
  return out;
}

double SegmentWeight(int month, int middle) {
  if (month == middle) return 1.0;
  if (month == middle % 12 + 1 || middle == month % 12 + 1) return 0.5;
  return 0.0;
}

// §6.2: merge bins with fewer than `min_count` temperatures (outer bins first).
std::vector<double> FitBins(std::vector<double> temps, std::vector<double> edges, int min_count) {
  std::sort(temps.begin(), temps.end());
  for (;;) {
    const size_t k = edges.size();
    if (k == 0) return edges;
    std::vector<int> counts(k + 1, 0);
    for (double t : temps) {
      size_t b = 0;
      while (b < k && t > edges[b]) ++b;  // right-closed: t == e goes to the lower bin
      ++counts[b];
    }
    std::set<double> remove;
    if (counts[0] < min_count) remove.insert(edges[0]);
    if (counts[k] < min_count) remove.insert(edges[k - 1]);
    if (remove.empty()) {
      for (size_t i = 1; i < k; ++i) {
        if (counts[i] < min_count) remove.insert(edges[i]);
      }
    }
    if (remove.empty()) return edges;
    std::vector<double> kept;
    for (double e : edges) {
      if (!remove.contains(e)) kept.push_back(e);
    }
    edges = kept;
  }
}

// §7.2: piecewise split of T on the endpoints; the columns sum to T.
std::vector<double> BinFeatures(double t, const std::vector<double>& e) {
  const size_t k = e.size();
  std::vector<double> f(k + 1);
  if (k == 0) {
    f[0] = t;
    return f;
  }
  f[0] = std::min(t, e[0]);
  for (size_t i = 1; i < k; ++i) f[i] = std::min(std::max(t - e[i - 1], 0.0), e[i] - e[i - 1]);
  f[k] = std::max(t - e[k - 1], 0.0);
  return f;
}

void Occupancy(const std::vector<const Hour*>& rows, const std::vector<double>& w,
               const CaltrackSettings& s, HourlySegment& seg) {
  std::vector<double> y;
  std::vector<double> ones;
  std::vector<double> cdd;
  std::vector<double> hdd;
  for (const Hour* h : rows) {
    y.push_back(h->y);
    ones.push_back(1.0);
    cdd.push_back(std::max(h->temp - s.hourly_cdd_bp_f, 0.0));
    hdd.push_back(std::max(s.hourly_hdd_bp_f - h->temp, 0.0));
  }
  LeastSquaresFit f = FitLeastSquares(y, {ones, cdd, hdd}, w);
  std::array<int, 168> n{};
  std::array<int, 168> positive{};
  for (size_t i = 0; i < rows.size(); ++i) {
    double r = y[i] - (f.beta[0] + f.beta[1] * cdd[i] + f.beta[2] * hdd[i]);
    ++n[static_cast<size_t>(rows[i]->how)];
    if (r > 0) ++positive[static_cast<size_t>(rows[i]->how)];
  }
  for (size_t h = 0; h < 168; ++h) {
    // No row of this hour of week: eemeter's NaN → bool = occupied.
    seg.occupied[h] =
        n[h] == 0 || static_cast<double>(positive[h]) / n[h] > s.hourly_occupancy_threshold;
  }
}

// The masked bin columns of one hour under a segment's model.
void Features(const HourlySegment& seg, const Hour& h, std::vector<double>& occ,
              std::vector<double>& unocc) {
  bool o = seg.occupied[static_cast<size_t>(h.how)];
  occ = BinFeatures(h.temp, seg.occupied_endpoints);
  unocc = BinFeatures(h.temp, seg.unoccupied_endpoints);
  for (double& v : o ? unocc : occ) v = 0.0;
}

// Hour-of-week dummies + bin slopes by WLS, solved by absorbing the dummies:
// the slopes from within-hour-of-week centred columns, then each dummy from its
// group's weighted mean residual (equivalent to the full least squares).
void FitSegment(const std::vector<const Hour*>& rows, const std::vector<double>& w,
                HourlySegment& seg) {
  const size_t n = rows.size();
  std::vector<std::vector<double>> cols;
  std::vector<double> y(n);
  std::vector<double> occ;
  std::vector<double> unocc;
  for (size_t i = 0; i < n; ++i) {
    Features(seg, *rows[i], occ, unocc);
    if (cols.empty()) cols.resize(occ.size() + unocc.size(), std::vector<double>(n));
    for (size_t k = 0; k < occ.size(); ++k) cols[k][i] = occ[k];
    for (size_t k = 0; k < unocc.size(); ++k) cols[occ.size() + k][i] = unocc[k];
    y[i] = rows[i]->y;
  }
  std::array<double, 168> sw{};
  for (size_t i = 0; i < n; ++i) sw[static_cast<size_t>(rows[i]->how)] += w[i];
  auto center = [&](std::vector<double>& v) {
    std::array<double, 168> mean{};
    for (size_t i = 0; i < n; ++i) mean[static_cast<size_t>(rows[i]->how)] += w[i] * v[i];
    for (size_t h = 0; h < 168; ++h) mean[h] = sw[h] > 0 ? mean[h] / sw[h] : 0.0;
    for (size_t i = 0; i < n; ++i) v[i] -= mean[static_cast<size_t>(rows[i]->how)];
  };
  std::vector<std::vector<double>> centred = cols;
  std::vector<double> yc = y;
  for (auto& c : centred) center(c);
  center(yc);
  LeastSquaresFit f = FitLeastSquares(yc, centred, w);
  std::vector<double> slopes = f.ok ? f.beta : std::vector<double>(cols.size(), 0.0);
  const size_t n_occ = seg.occupied_endpoints.size() + 1;
  seg.occupied_slopes.assign(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(n_occ));
  seg.unoccupied_slopes.assign(slopes.begin() + static_cast<std::ptrdiff_t>(n_occ), slopes.end());
  std::array<double, 168> resid{};
  for (size_t i = 0; i < n; ++i) {
    double r = y[i];
    for (size_t k = 0; k < cols.size(); ++k) r -= slopes[k] * cols[k][i];
    resid[static_cast<size_t>(rows[i]->how)] += w[i] * r;
  }
  for (size_t h = 0; h < 168; ++h) seg.hour_of_week[h] = sw[h] > 0 ? resid[h] / sw[h] : 0.0;
}

std::optional<double> Predict(const HourlyModel& m, const Hour& h) {
  const HourlySegment& seg = m.segments[static_cast<size_t>(h.month - 1)];
  if (!seg.fitted || std::isnan(h.temp) || !seg.hour_seen[static_cast<size_t>(h.how)])
    return std::nullopt;
  std::vector<double> occ;
  std::vector<double> unocc;
  Features(seg, h, occ, unocc);
  double v = seg.hour_of_week[static_cast<size_t>(h.how)];
  for (size_t k = 0; k < occ.size(); ++k) v += seg.occupied_slopes[k] * occ[k];
  for (size_t k = 0; k < unocc.size(); ++k) v += seg.unoccupied_slopes[k] * unocc[k];
  return v;
}

}  // namespace

HourlyModel FitHourly(const UsageSeries& usage, const HourlyTemperature& grid, Instant baseline_end,
                      const CaltrackSettings& s) {
  HourlyModel m;
  auto hours_ = Hours(usage, grid, baseline_end - hours(24 * s.baseline_days), baseline_end);
  std::array<bool, 168> seen{};
  for (const Hour& h : hours_) {
    seen[static_cast<size_t>(h.how)] = true;
    if (h.usable()) ++m.baseline_hours;
  }
  if (m.baseline_hours == 0) {
    m.warnings.emplace_back("no baseline hour has both usage and temperature");
    return m;
  }
  for (int k = 0; k < 12; ++k) {
    HourlySegment& seg = m.segments[static_cast<size_t>(k)];
    seg.middle_month = k + 1;
    seg.hour_seen = seen;
    std::vector<const Hour*> rows;
    std::vector<double> w;
    for (const Hour& h : hours_) {
      double wt = SegmentWeight(h.month, seg.middle_month);
      if (wt > 0 && h.usable()) {
        rows.push_back(&h);
        w.push_back(wt);
      }
    }
    seg.rows = static_cast<int>(rows.size());
    if (rows.empty()) {
      m.warnings.push_back("no baseline data for the segment centred on month " +
                           std::to_string(k + 1) + "; that month is not predicted");
      continue;
    }
    Occupancy(rows, w, s, seg);
    std::vector<double> occ_t;
    std::vector<double> unocc_t;
    for (const Hour* h : rows)
      (seg.occupied[static_cast<size_t>(h->how)] ? occ_t : unocc_t).push_back(h->temp);
    seg.occupied_endpoints = FitBins(occ_t, s.hourly_bin_endpoints_f, s.hourly_minimum_bin_hours);
    seg.unoccupied_endpoints =
        FitBins(unocc_t, s.hourly_bin_endpoints_f, s.hourly_minimum_bin_hours);
    FitSegment(rows, w, seg);
    seg.fitted = true;
  }
  m.status = FitStatus::kSuccess;
  std::vector<double> obs;
  std::vector<double> pred;
  for (const Hour& h : hours_) {
    if (!h.usable()) continue;
    if (std::optional<double> p = Predict(m, h)) {
      obs.push_back(h.y);
      pred.push_back(*p);
    }
  }
  m.totals = ComputeFitStatistics(obs, pred, 168 + 2);
  return m;
}

Savings ComputeHourlySavings(const HourlyModel& m, const UsageSeries& usage,
                             const HourlyTemperature& grid, Instant reporting_start,
                             const CaltrackSettings& s) {
  Savings out;
  if (m.status != FitStatus::kSuccess) {
    out.warnings.emplace_back("no savings without a baseline model");
    return out;
  }
  auto hours_ = Hours(usage, grid, reporting_start, reporting_start + hours(24 * s.baseline_days));
  for (const Hour& h : hours_) {
    std::optional<double> cf = Predict(m, h);
    std::optional<double> obs = std::isnan(h.y) ? std::nullopt : std::optional<double>(h.y);
    if (cf && obs) {
      out.counterfactual += *cf;
      out.observed += *obs;
      ++out.rows;
    } else {
      ++out.rows_skipped;
    }
  }
  out.savings = out.counterfactual - out.observed;
  if (out.rows_skipped > 1) {  // the end marker is always skipped
    out.warnings.push_back(
        std::to_string(out.rows_skipped - 1) +
        " reporting hours without usage or temperature are left out of both totals");
  }
  return out;
}

}  // namespace cl::mv
