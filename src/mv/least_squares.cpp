#include "mv/least_squares.h"

#include <cmath>

namespace cl::mv {

namespace {

// One Householder step: reflects rows [row, n) of columns j..p-1 and of b so
// that column j has zeros below `row`. False, with nothing changed, when
// column j depends on the columns before it (what is left after their
// projection is ~0).
bool Reflect(std::vector<std::vector<double>>& a, std::vector<double>& b, size_t j, size_t row) {
  const size_t n = b.size();
  const size_t p = a.size();
  double col_norm = 0.0;
  for (size_t i = 0; i < n; ++i) col_norm += a[j][i] * a[j][i];
  double norm = 0.0;
  for (size_t i = row; i < n; ++i) norm += a[j][i] * a[j][i];
  norm = std::sqrt(norm);
  if (norm <= 1e-10 * std::sqrt(col_norm) || norm == 0.0) return false;
  double alpha = a[j][row] > 0 ? -norm : norm;
  std::vector<double> v(n - row);
  for (size_t i = row; i < n; ++i) v[i - row] = a[j][i];
  v[0] -= alpha;
  double vnorm2 = 0.0;
  for (double x : v) vnorm2 += x * x;
  if (vnorm2 > 0.0) {
    auto reflect = [&](std::vector<double>& col) {
      double dot = 0.0;
      for (size_t i = row; i < n; ++i) dot += v[i - row] * col[i];
      double f = 2.0 * dot / vnorm2;
      for (size_t i = row; i < n; ++i) col[i] -= f * v[i - row];
    };
    for (size_t k = j; k < p; ++k) reflect(a[k]);
    reflect(b);
  }
  return true;
}

}  // namespace

LeastSquaresFit FitLeastSquares(std::span<const double> y,
                                const std::vector<std::vector<double>>& columns,
                                std::span<const double> weights) {
  const size_t n = y.size();
  const size_t p = columns.size();
  LeastSquaresFit fit;
  fit.beta.assign(p, 0.0);
  fit.dropped.assign(p, false);
  if (n == 0 || p == 0) return fit;
  // Scale rows by √w; work on copies (A: n×p column-major, b: n).
  std::vector<std::vector<double>> a(p, std::vector<double>(n));
  std::vector<double> b(n);
  for (size_t i = 0; i < n; ++i) {
    double sw = weights.empty() ? 1.0 : std::sqrt(weights[i]);
    b[i] = y[i] * sw;
    for (size_t j = 0; j < p; ++j) a[j][i] = columns[j][i] * sw;
  }
  std::vector<size_t> kept;  // columns with a pivot, in order
  size_t row = 0;
  for (size_t j = 0; j < p && row < n; ++j) {
    if (!Reflect(a, b, j, row)) {
      fit.dropped[j] = true;
      continue;
    }
    kept.push_back(j);
    ++row;
  }
  // Columns never reached (more columns than rows) are dropped too.
  for (size_t j = 0; j < p; ++j) {
    bool is_kept = false;
    for (size_t k : kept) is_kept = is_kept || k == j;
    if (!is_kept) fit.dropped[j] = true;
  }
  // Back substitution on the kept columns: R (kept×kept, upper) β = Qᵀb.
  const size_t r = kept.size();
  for (size_t kk = r; kk-- > 0;) {
    double s = b[kk];
    for (size_t m = kk + 1; m < r; ++m) s -= a[kept[m]][kk] * fit.beta[kept[m]];
    fit.beta[kept[kk]] = s / a[kept[kk]][kk];
  }
  fit.rank = static_cast<int>(r);
  for (size_t i = r; i < n; ++i) fit.ss_res += b[i] * b[i];
  fit.ok = true;
  return fit;
}

}  // namespace cl::mv
