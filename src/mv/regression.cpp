#include "mv/regression.h"

#include <cmath>

namespace cl::mv {

Moments ComputeMoments(std::span<const double> y, std::span<const double> w,
                       std::span<const double> x1, std::span<const double> x2) {
  Moments m;
  m.n = static_cast<int>(y.size());
  m.regressors = x2.empty() ? (x1.empty() ? 0 : 1) : 2;
  for (size_t i = 0; i < y.size(); ++i) {
    double wi = w.empty() ? 1.0 : w[i];
    double yi = y[i];
    m.sw += wi;
    m.sy += wi * yi;
    m.syy += wi * yi * yi;
    if (m.regressors >= 1) {
      double a = x1[i];
      m.sx[0] += wi * a;
      m.sxy[0] += wi * a * yi;
      m.sxx[0][0] += wi * a * a;
      if (m.regressors == 2) {
        double b = x2[i];
        m.sx[1] += wi * b;
        m.sxy[1] += wi * b * yi;
        m.sxx[1][1] += wi * b * b;
        m.sxx[0][1] += wi * a * b;
      }
    }
  }
  m.sxx[1][0] = m.sxx[0][1];
  return m;
}

LinearFit FitFromMoments(const Moments& m) {
  LinearFit fit;
  const int k = m.regressors;
  const int p = k + 1;
  if (m.n <= 0 || m.sw <= 0.0) return fit;
  // Centered normal equations: (Sxx − sx sx'/sw) b = Sxy − sx sy/sw; intercept after.
  double a[2][2] = {{0, 0}, {0, 0}};
  double rhs[2] = {0, 0};
  for (int i = 0; i < k; ++i) {
    rhs[i] = m.sxy[static_cast<size_t>(i)] - m.sx[static_cast<size_t>(i)] * m.sy / m.sw;
    for (int j = 0; j < k; ++j) {
      a[i][j] = m.sxx[static_cast<size_t>(i)][static_cast<size_t>(j)] -
                m.sx[static_cast<size_t>(i)] * m.sx[static_cast<size_t>(j)] / m.sw;
    }
  }
  double b[2] = {0, 0};
  if (k == 1) {
    if (!(a[0][0] > 1e-12 * std::fabs(m.sxx[0][0]))) return fit;
    b[0] = rhs[0] / a[0][0];
  } else if (k == 2) {
    double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
    double scale = std::fabs(a[0][0] * a[1][1]);
    if (!(std::fabs(det) > 1e-12 * scale) || a[0][0] <= 0 || a[1][1] <= 0) return fit;
    b[0] = (rhs[0] * a[1][1] - a[0][1] * rhs[1]) / det;
    b[1] = (a[0][0] * rhs[1] - a[1][0] * rhs[0]) / det;
  }
  double intercept = m.sy / m.sw;
  for (int i = 0; i < k; ++i) intercept -= b[i] * m.sx[static_cast<size_t>(i)] / m.sw;
  fit.beta = {intercept, b[0], b[1]};
  fit.ss_tot = m.syy - m.sy * m.sy / m.sw;
  double explained = 0.0;
  for (int i = 0; i < k; ++i) explained += b[i] * rhs[i];
  fit.ss_res = fit.ss_tot - explained;
  if (fit.ss_res < 0.0) fit.ss_res = 0.0;
  fit.r_squared = fit.ss_tot > 0.0 ? 1.0 - fit.ss_res / fit.ss_tot : 0.0;
  fit.r_squared_adj = m.n > p ? 1.0 - (m.n - 1.0) / (m.n - p) * (1.0 - fit.r_squared) : 0.0;
  fit.ok = true;
  return fit;
}

}  // namespace cl::mv
