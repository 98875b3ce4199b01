#include "mv/production.h"

#include <cmath>

#include "caltrack_data.h"
#include "mv/least_squares.h"

namespace cl::mv {
namespace {

constexpr std::chrono::seconds kDay(86400);

// Production per day of each product in each row.
std::vector<std::vector<double>> PerDay(const std::vector<DesignRow>& rows,
                                        const ProductionSeries& p) {
  std::vector<std::vector<double>> out(p.products.size(), std::vector<double>(rows.size(), 0.0));
  size_t r = 0;
  for (size_t i = 0; i < p.start.size(); ++i) {
    while (r < rows.size() && rows[r].end <= p.start[i]) ++r;
    if (r == rows.size()) break;
    if (p.start[i] < rows[r].start) continue;
    for (size_t k = 0; k < p.products.size(); ++k) out[k][r] += p.values[k][i];
  }
  for (auto& col : out) {
    for (size_t j = 0; j < rows.size(); ++j) col[j] /= rows[j].days;
  }
  return out;
}

std::vector<DesignRow> Rows(const UsageSeries& usage, const HourlyTemperature& grid, Instant from,
                            Instant to, Method method, const CaltrackSettings& s,
                            std::chrono::minutes day_offset,
                            std::optional<std::chrono::seconds> tolerance) {
  auto periods = detail::MakePeriods(usage, method, day_offset);
  auto window = detail::Window(periods, from, to);
  return detail::Features(window, grid, tolerance, s.daily_hourly_coverage,
                          s.billing_hourly_coverage);
}

struct Fit {
  ProductionModel m;
  bool ok = false;
};

// One candidate: production columns plus the chosen degree-day columns.
Fit FitCandidate(const std::vector<const DesignRow*>& rows, const std::vector<double>& y,
                 const std::vector<double>& w, const std::vector<std::vector<double>>& prod,
                 int hbp, int cbp) {
  Fit f;
  std::vector<std::vector<double>> cols = {std::vector<double>(rows.size(), 1.0)};
  for (const auto& c : prod) cols.push_back(c);
  if (hbp != 0) {
    std::vector<double> c;
    c.reserve(rows.size());

    for (const DesignRow* r : rows) c.push_back(detail::HeatingDegreeDays(*r, hbp));
    cols.push_back(std::move(c));
  }
  if (cbp != 0) {
    std::vector<double> c;
    c.reserve(rows.size());

    for (const DesignRow* r : rows) c.push_back(detail::CoolingDegreeDays(*r, cbp));
    cols.push_back(std::move(c));
  }
  const size_t n = rows.size();
  const size_t p = cols.size();
  if (n <= p) return f;
  LeastSquaresFit ls = FitLeastSquares(y, cols, w);
  if (!ls.ok || ls.rank != static_cast<int>(p)) return f;
  double sw = 0;
  double swy = 0;
  for (size_t i = 0; i < n; ++i) {
    sw += w[i];
    swy += w[i] * y[i];
  }
  double tss = 0;
  for (size_t i = 0; i < n; ++i) tss += w[i] * (y[i] - swy / sw) * (y[i] - swy / sw);
  double r2 = tss > 0 ? 1 - ls.ss_res / tss : 0;
  f.m.r_squared_adj = 1 - (static_cast<double>(n) - 1.0) / static_cast<double>(n - p) * (1 - r2);
  f.m.intercept = ls.beta[0];
  f.m.beta_production.assign(ls.beta.begin() + 1,
                             ls.beta.begin() + 1 + static_cast<std::ptrdiff_t>(prod.size()));
  size_t k = 1 + prod.size();
  if (hbp != 0) f.m.heating = true, f.m.heating_bp = hbp, f.m.beta_hdd = ls.beta[k++];
  if (cbp != 0) f.m.cooling = true, f.m.cooling_bp = cbp, f.m.beta_cdd = ls.beta[k];
  bool negative = f.m.intercept < 0 || f.m.beta_hdd < 0 || f.m.beta_cdd < 0;
  for (double b : f.m.beta_production) negative = negative || b < 0;
  f.ok = !negative;
  return f;
}

double PredictPerDay(const ProductionModel& m, const DesignRow& r,
                     const std::vector<std::vector<double>>& prod, size_t i) {
  double v = m.intercept;
  for (size_t k = 0; k < prod.size(); ++k) v += m.beta_production[k] * prod[k][i];
  if (m.heating) v += m.beta_hdd * detail::HeatingDegreeDays(r, m.heating_bp);
  if (m.cooling) v += m.beta_cdd * detail::CoolingDegreeDays(r, m.cooling_bp);
  return v;
}

// The usable baseline rows with their usage per day, weights and production
// per day of each product.
struct Baseline {
  std::vector<const DesignRow*> rows;
  std::vector<double> y, w;
  std::vector<std::vector<double>> prod;
};

Baseline BaselineOf(const std::vector<DesignRow>& all, const ProductionSeries& production,
                    Method method) {
  auto prod_all = PerDay(all, production);
  Baseline d;
  d.prod.resize(production.products.size());
  for (size_t i = 0; i < all.size(); ++i) {
    if (!all[i].usable()) continue;
    d.rows.push_back(&all[i]);
    d.y.push_back(*all[i].usage / all[i].days);
    d.w.push_back(method == Method::kBilling ? all[i].n_days_kept : 1.0);
    for (size_t k = 0; k < d.prod.size(); ++k) d.prod[k].push_back(prod_all[k][i]);
  }
  return d;
}

// Every candidate (no degree days, heating, and for electricity cooling and
// both) fitted; the best by adjusted R² into `best`. False when none fits.
bool SelectCandidate(const Baseline& d, Fuel fuel, const CaltrackSettings& s,
                     ProductionModel& best) {
  bool found = false;
  auto consider = [&](int hbp, int cbp) {
    Fit f = FitCandidate(d.rows, d.y, d.w, d.prod, hbp, cbp);
    ++best.candidates_fitted;
    if (f.ok && (!found || f.m.r_squared_adj > best.r_squared_adj)) {
      int fitted = best.candidates_fitted;
      best = f.m;
      best.candidates_fitted = fitted;
      found = true;
    }
  };
  consider(0, 0);
  for (int h = s.balance_point_min_f; h <= s.balance_point_max_f; h += s.balance_point_step_f)
    consider(h, 0);
  if (fuel == Fuel::kElectricity) {
    for (int c = s.balance_point_min_f; c <= s.balance_point_max_f; c += s.balance_point_step_f) {
      consider(0, c);
      for (int h = s.balance_point_min_f; h <= c; h += s.balance_point_step_f) consider(h, c);
    }
  }
  return found;
}

// The selected model's fit statistics over the baseline.
void AddStatistics(const Baseline& d, ProductionModel& best) {
  std::vector<double> obs;
  std::vector<double> pred;
  for (size_t i = 0; i < d.rows.size(); ++i) {
    obs.push_back(d.y[i] * d.rows[i]->days);
    pred.push_back(PredictPerDay(best, *d.rows[i], d.prod, i) * d.rows[i]->days);
  }
  int params =
      1 + static_cast<int>(d.prod.size()) + (best.heating ? 1 : 0) + (best.cooling ? 1 : 0);
  best.totals = ComputeFitStatistics(obs, pred, params);
  if (d.rows.size() < 3 * static_cast<size_t>(params)) {
    best.warnings.push_back("only " + std::to_string(d.rows.size()) + " baseline periods for " +
                            std::to_string(params) + " parameters");
  }
}

}  // namespace

ProductionModel FitProductionModel(const UsageSeries& usage, const HourlyTemperature& grid,
                                   const ProductionSeries& production, Instant baseline_end,
                                   Method method, Fuel fuel, const CaltrackSettings& s,
                                   std::chrono::minutes day_offset) {
  ProductionModel best;
  best.method = method;
  auto tol = method == Method::kBilling ? s.billing_temperature_window_days * kDay : kDay;
  auto all = Rows(usage, grid, baseline_end - s.baseline_days * kDay, baseline_end, method, s,
                  day_offset, tol);
  const Baseline d = BaselineOf(all, production, method);
  if (d.rows.empty() || production.products.empty()) {
    best.warnings.emplace_back(d.rows.empty() ? "no baseline period has usage and temperature"
                                              : "no production data");
    return best;
  }
  const bool found = SelectCandidate(d, fuel, s, best);
  best.method = method;
  best.baseline_rows = static_cast<int>(d.rows.size());
  if (!found) {
    best.status = FitStatus::kNoModel;
    best.warnings.emplace_back("no candidate without a negative coefficient");
    return best;
  }
  best.status = FitStatus::kSuccess;
  AddStatistics(d, best);
  return best;
}

Savings ComputeProductionSavings(const ProductionModel& m, const UsageSeries& usage,
                                 const HourlyTemperature& grid, const ProductionSeries& production,
                                 Instant reporting_start, const CaltrackSettings& s,
                                 std::chrono::minutes day_offset) {
  Savings out;
  if (m.status != FitStatus::kSuccess) {
    out.warnings.emplace_back("no savings without a baseline model");
    return out;
  }
  std::optional<std::chrono::seconds> tol;
  if (m.method == Method::kDaily) tol = kDay;
  auto rows = Rows(usage, grid, reporting_start, reporting_start + s.baseline_days * kDay, m.method,
                   s, day_offset, tol);
  auto prod = PerDay(rows, production);
  for (size_t i = 0; i < rows.size(); ++i) {
    const DesignRow& r = rows[i];
    ReportingPeriodRow p{r.start, r.end, r.usage, std::nullopt};
    if (r.temperature_mean && (!(m.heating || m.cooling) || !r.daily_means.empty())) {
      double dd_part = PredictPerDay(m, r, prod, i);
      double base = m.intercept;
      for (size_t k = 0; k < prod.size(); ++k) base += m.beta_production[k] * prod[k][i];
      p.counterfactual = base * r.days + (dd_part - base) * r.n_days_total;
    }
    out.Add(p);
  }
  out.savings = out.counterfactual - out.observed;
  return out;
}

}  // namespace cl::mv
