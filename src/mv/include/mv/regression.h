// Weighted least squares with an intercept and up to two regressors, from
// sufficient statistics, so that a balance-point grid search of thousands of
// candidates costs O(1) each after O(n) sums per column.
#pragma once

#include <array>
#include <span>

namespace cl::mv {

// Σw, Σw·x_i, Σw·x_i·x_j, Σw·y, Σw·x_i·y, Σw·y² for i, j in the model's regressors.
struct Moments {
  int n = 0;
  int regressors = 0;  // 0, 1 or 2
  double sw = 0, sy = 0, syy = 0;
  std::array<double, 2> sx{};
  std::array<double, 2> sxy{};
  std::array<std::array<double, 2>, 2> sxx{};
};

// Accumulates the moments of y on x1 (and x2), weighted by w (empty = 1).
Moments ComputeMoments(std::span<const double> y, std::span<const double> w,
                       std::span<const double> x1 = {}, std::span<const double> x2 = {});

struct LinearFit {
  bool ok = false;               // false when the normal equations are singular
  std::array<double, 3> beta{};  // intercept, then one coefficient per regressor
  double ss_res = 0.0;           // Σw·(y − ŷ)²
  double ss_tot = 0.0;           // Σw·(y − ȳ_w)²
  double r_squared = 0.0;
  double r_squared_adj = 0.0;  // statsmodels: 1 − (n−1)/(n−k−1)·(1−R²), k regressors
};

// Solves the normal equations from `m` (Cholesky of a ≤3×3 matrix).
LinearFit FitFromMoments(const Moments& m);

}  // namespace cl::mv
