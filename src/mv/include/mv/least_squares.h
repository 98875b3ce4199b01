// General weighted least squares by Householder QR, for models with many
// columns (hourly time-of-week-and-temperature, production-normalised).
// Columns that are linearly dependent on earlier ones are dropped (their
// coefficient is 0 and `dropped` says which), as a rank-revealing fit must.
#pragma once

#include <span>
#include <vector>

namespace cl::mv {

struct LeastSquaresFit {
  bool ok = false;
  std::vector<double> beta;  // one per column of X, 0 for dropped columns
  std::vector<bool> dropped;
  int rank = 0;
  double ss_res = 0.0;  // Σw·(y − Xβ)²
};

// X is column-major: columns[j][i] is row i of column j. `weights` empty = 1.
// Include a column of ones for an intercept.
LeastSquaresFit FitLeastSquares(std::span<const double> y,
                                const std::vector<std::vector<double>>& columns,
                                std::span<const double> weights = {});

}  // namespace cl::mv
