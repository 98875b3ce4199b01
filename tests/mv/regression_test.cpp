#include "mv/regression.h"

#include <gtest/gtest.h>

#include <vector>

#include "mv/least_squares.h"

namespace cl::mv {
namespace {

// y = 2 + 3·x1 − 1·x2 exactly: the fit recovers the coefficients, R² = 1.
TEST(RegressionTest, RecoversExactCoefficients) {
  std::vector<double> x1 = {0, 1, 2, 3, 4, 5};
  std::vector<double> x2 = {1, 0, 2, 1, 3, 0};
  std::vector<double> y;
  for (size_t i = 0; i < x1.size(); ++i) y.push_back(2 + 3 * x1[i] - x2[i]);
  LinearFit f = FitFromMoments(ComputeMoments(y, {}, x1, x2));
  ASSERT_TRUE(f.ok);
  EXPECT_NEAR(f.beta[0], 2, 1e-12);
  EXPECT_NEAR(f.beta[1], 3, 1e-12);
  EXPECT_NEAR(f.beta[2], -1, 1e-12);
  EXPECT_NEAR(f.r_squared, 1, 1e-12);
}

// Hand-worked simple regression: x = 1, 2, 3; y = 1, 2, 2.
//   x̄ = 2, ȳ = 5/3; Sxy = 1, Sxx = 2 -> slope 0.5, intercept 2/3
//   SStot = 2/3, SSres = 2/3 − 0.5·1 = 1/6 -> R² = 0.75; adj R² = 1 − (2/1)(0.25) = 0.5
TEST(RegressionTest, HandWorkedSimpleRegression) {
  std::vector<double> x = {1, 2, 3};
  std::vector<double> y = {1, 2, 2};
  LinearFit f = FitFromMoments(ComputeMoments(y, {}, x));
  ASSERT_TRUE(f.ok);
  EXPECT_NEAR(f.beta[0], 2.0 / 3.0, 1e-14);
  EXPECT_NEAR(f.beta[1], 0.5, 1e-14);
  EXPECT_NEAR(f.r_squared, 0.75, 1e-14);
  EXPECT_NEAR(f.r_squared_adj, 0.5, 1e-14);
}

// Weights equal to repetitions: weighting a point by 2 = listing it twice (same coefficients).
TEST(RegressionTest, WeightsActAsRepetitions) {
  LinearFit weighted = FitFromMoments(ComputeMoments(
      std::vector<double>{1, 2, 4}, std::vector<double>{1, 2, 1}, std::vector<double>{0, 1, 2}));
  LinearFit repeated = FitFromMoments(
      ComputeMoments(std::vector<double>{1, 2, 2, 4}, {}, std::vector<double>{0, 1, 1, 2}));
  EXPECT_NEAR(weighted.beta[0], repeated.beta[0], 1e-14);
  EXPECT_NEAR(weighted.beta[1], repeated.beta[1], 1e-14);
}

TEST(RegressionTest, ConstantRegressorIsSingular) {
  LinearFit f = FitFromMoments(
      ComputeMoments(std::vector<double>{1, 2, 3}, {}, std::vector<double>{5, 5, 5}));
  EXPECT_FALSE(f.ok);
}

}  // namespace
}  // namespace cl::mv

namespace cl::mv {
namespace {

// The QR solver agrees with the moments solver and drops a dependent column.
TEST(LeastSquaresTest, AgreesWithMomentsAndDropsDependentColumns) {
  std::vector<double> x1 = {0, 1, 2, 3, 4, 5};
  std::vector<double> x2 = {1, 0, 2, 1, 3, 0};
  std::vector<double> w = {1, 2, 1, 3, 1, 2};
  std::vector<double> y = {2.1, 4.9, 5.8, 10.2, 10.9, 17.1};
  LinearFit m = FitFromMoments(ComputeMoments(y, w, x1, x2));
  std::vector<double> ones(6, 1.0);
  std::vector<double> twice_x1;
  for (double v : x1) twice_x1.push_back(2 * v);
  LeastSquaresFit q = FitLeastSquares(y, {ones, x1, x2, twice_x1}, w);
  ASSERT_TRUE(q.ok && m.ok);
  EXPECT_EQ(q.rank, 3);
  EXPECT_TRUE(q.dropped[3]);
  EXPECT_NEAR(q.beta[0], m.beta[0], 1e-12);
  EXPECT_NEAR(q.beta[1], m.beta[1], 1e-12);
  EXPECT_NEAR(q.beta[2], m.beta[2], 1e-12);
  EXPECT_NEAR(q.ss_res, m.ss_res, 1e-10);
}

}  // namespace
}  // namespace cl::mv
