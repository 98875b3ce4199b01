#include "mv/statistics.h"

#include <cassert>
#include <cmath>

namespace cl::mv {
namespace {

// Continued fraction of the regularized incomplete beta (Lentz's method).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr int kMaxIterations = 300;
  constexpr double kEpsilon = 1e-15;
  constexpr double kTiny = 1e-300;
  double qab = a + b;
  double qap = a + 1.0;
  double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEpsilon) break;
  }
  return h;
}

// I_x(a, b).
double RegularizedBeta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                          b * std::log1p(-x));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1.0 - front * BetaContinuedFraction(b, a, 1.0 - x) / b;
}

// P(|T| <= t) for Student's t with `dof` degrees of freedom.
double TwoSidedCoverage(double t, double dof) {
  return 1.0 - RegularizedBeta(dof / 2.0, 0.5, dof / (dof + t * t));
}

double Lag1Autocorrelation(std::span<const double> residuals) {
  size_t n = residuals.size();
  if (n < 3) return 0.0;
  double mean = 0.0;
  for (double r : residuals) mean += r;
  mean /= static_cast<double>(n);
  double num = 0.0;
  double den = 0.0;
  for (size_t i = 0; i < n; ++i) {
    double di = residuals[i] - mean;
    den += di * di;
    if (i > 0) num += di * (residuals[i - 1] - mean);
  }
  return den > 0.0 ? num / den : 0.0;
}

}  // namespace

FitStatistics ComputeFitStatistics(std::span<const double> observed,
                                   std::span<const double> predicted, int parameters,
                                   std::span<const double> weights) {
  assert(observed.size() == predicted.size());
  assert(weights.empty() || weights.size() == observed.size());
  FitStatistics s;
  s.n = static_cast<int>(observed.size());
  s.parameters = parameters;
  if (s.n == 0) return s;
  auto w = [&](size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  double sum_w = 0.0;
  double sum_wy = 0.0;
  double sum_y = 0.0;
  double sum_pred = 0.0;
  for (size_t i = 0; i < observed.size(); ++i) {
    sum_w += w(i);
    sum_wy += w(i) * observed[i];
    sum_y += observed[i];
    sum_pred += predicted[i];
  }
  const double weighted_mean = sum_wy / sum_w;
  const double mean = sum_y / s.n;
  double ss_res_w = 0.0;
  double ss_tot_w = 0.0;
  double ss_res = 0.0;
  double bias = 0.0;
  std::vector<double> residuals(observed.size());
  for (size_t i = 0; i < observed.size(); ++i) {
    double e = observed[i] - predicted[i];
    residuals[i] = e;
    ss_res_w += w(i) * e * e;
    ss_tot_w += w(i) * (observed[i] - weighted_mean) * (observed[i] - weighted_mean);
    ss_res += e * e;
    bias += e;
  }
  const double n = s.n;
  const double p = parameters;
  s.r_squared = ss_tot_w > 0.0 ? 1.0 - ss_res_w / ss_tot_w : 0.0;
  s.r_squared_adj =
      (ss_tot_w > 0.0 && n > p) ? 1.0 - (ss_res_w / (n - p)) / (ss_tot_w / (n - 1.0)) : 0.0;
  if (mean != 0.0 && n > p) {
    s.cvrmse = std::sqrt(ss_res / (n - p)) / mean;
    s.nmbe = bias / ((n - p) * mean);
  }
  if (mean != 0.0) s.cvrmse_eemeter = std::sqrt(ss_res / n) / mean;
  if (sum_y != 0.0) s.nmbe_eemeter = (sum_pred - sum_y) / sum_y;
  s.autocorrelation = Lag1Autocorrelation(residuals);
  s.n_prime = n * (1.0 - s.autocorrelation) / (1.0 + s.autocorrelation);
  return s;
}

double StudentTQuantile(double confidence, double dof) {
  assert(confidence > 0.0 && confidence < 1.0 && dof > 0.0);
  double lo = 0.0;
  double hi = 1.0;
  while (TwoSidedCoverage(hi, dof) < confidence) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    double mid = 0.5 * (lo + hi);
    (TwoSidedCoverage(mid, dof) < confidence ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::optional<double> FractionalSavingsUncertainty(const FsuInput& in) {
  if (in.savings_fraction == 0.0 || in.baseline_points <= in.parameters ||
      in.reporting_points <= 0 || in.autocorrelation >= 1.0 || in.autocorrelation <= -1.0) {
    return std::nullopt;
  }
  const double p = in.baseline_points;
  const double p_prime = p * (1.0 - in.autocorrelation) / (1.0 + in.autocorrelation);
  if (p_prime <= 0.0) return std::nullopt;
  const double t = StudentTQuantile(in.confidence, p - in.parameters);
  const double m = in.reporting_months;
  const double poly = in.a * m * m + in.b * m + in.d;
  return t * poly * in.cvrmse *
         std::sqrt((p / p_prime) * (1.0 + 2.0 / p_prime) * (1.0 / in.reporting_points)) /
         std::fabs(in.savings_fraction);
}

PortfolioSavings AggregatePortfolio(std::span<const SiteSavings> sites) {
  PortfolioSavings out;
  double sum_sq = 0.0;
  for (const SiteSavings& s : sites) {
    out.savings += s.savings;
    sum_sq += s.uncertainty * s.uncertainty;
  }
  out.uncertainty = std::sqrt(sum_sq);
  if (out.savings != 0.0) out.fsu = out.uncertainty / std::fabs(out.savings);
  return out;
}

}  // namespace cl::mv
