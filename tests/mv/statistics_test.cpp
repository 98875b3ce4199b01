#include "mv/statistics.h"

#include <gtest/gtest.h>

#include <vector>

namespace cl::mv {
namespace {

// Worked by hand: observed 10, 12, 14, 13; predicted 11, 12, 13, 13; p = 2.
//   residuals −1, 0, 1, 0; SSres = 2; ȳ = 12.25; SStot = 5.0625 + 0.0625 + 3.0625 + 0.5625 = 8.75
//   R² = 1 − 2/8.75 = 0.771428571…; adj R² = 1 − (2/2)/(8.75/3) = 0.657142857…
//   CV(RMSE) = √(2/2)/12.25 = 0.081632653…; NMBE = 0; lag-1 ρ = 0
TEST(StatisticsTest, GuidelineFourteenWorkedExample) {
  std::vector<double> y = {10, 12, 14, 13};
  std::vector<double> yhat = {11, 12, 13, 13};
  FitStatistics s = ComputeFitStatistics(y, yhat, 2);
  EXPECT_NEAR(s.r_squared, 1.0 - 2.0 / 8.75, 1e-15);
  EXPECT_NEAR(s.r_squared_adj, 1.0 - 3.0 / 8.75, 1e-15);
  ASSERT_TRUE(s.cvrmse && s.nmbe && s.nmbe_eemeter);
  EXPECT_NEAR(*s.cvrmse, 1.0 / 12.25, 1e-15);
  EXPECT_NEAR(*s.nmbe, 0.0, 1e-15);
  EXPECT_NEAR(*s.nmbe_eemeter, 0.0, 1e-15);
  EXPECT_NEAR(s.autocorrelation, 0.0, 1e-15);
}

// Sign conventions: predictions 10 % high everywhere.
//   Guideline 14 NMBE = Σ(y − ŷ)/((n−p)ȳ) = (−4)/((4−1)·10) = −0.1333…
//   eemeter NMBE = Σ(ŷ − y)/Σy = 4/40 = +0.1
TEST(StatisticsTest, NmbeConventionsDiffer) {
  std::vector<double> y = {10, 10, 10, 10};
  std::vector<double> yhat = {11, 11, 11, 11};
  FitStatistics s = ComputeFitStatistics(y, yhat, 1);
  EXPECT_NEAR(*s.nmbe, -4.0 / 30.0, 1e-15);
  EXPECT_NEAR(*s.nmbe_eemeter, 0.1, 1e-15);
}

TEST(StatisticsTest, UndefinedStatisticsAreAbsentNotNaN) {
  std::vector<double> zeros = {0, 0, 0};
  FitStatistics s = ComputeFitStatistics(zeros, zeros, 1);
  EXPECT_FALSE(s.cvrmse.has_value());
  EXPECT_FALSE(s.nmbe_eemeter.has_value());
  EXPECT_EQ(s.r_squared, 0.0);
}

// Student t quantiles (scipy.stats.t.ppf): t(0.95, 10) = 1.8124611228107335,
// t(0.975, 30) = 2.0422724563012373.
TEST(StatisticsTest, StudentTQuantiles) {
  EXPECT_NEAR(StudentTQuantile(0.90, 10), 1.8124611228107335, 1e-10);
  EXPECT_NEAR(StudentTQuantile(0.95, 30), 2.0422724563012373, 1e-10);
}

// CalTRACK §4.3.2.4, daily coefficients a = −0.00024, b = 0.03535, d = 1.00286 (data/mv):
// M = 12: poly = −0.00024·144 + 0.03535·12 + 1.00286 = 1.3925; t(0.95, 363) = 1.6490621366528266;
// CV(RMSE) 0.2, P = Q = 365, ρ = 0, F = 0.1:
// FSU = 1.64906·1.3925·0.2·√((1)(1 + 2/365)(1/365))/0.1 = 0.24104736443078265.
// With ρ = 0.5: P′ = 365·0.5/1.5 = 121.67 -> FSU = 0.41977535481637884.
TEST(StatisticsTest, FractionalSavingsUncertainty) {
  FsuInput in;
  in.cvrmse = 0.2;
  in.baseline_points = 365;
  in.reporting_points = 365;
  in.reporting_months = 12;
  in.savings_fraction = 0.1;
  in.parameters = 2;
  in.a = -0.00024;
  in.b = 0.03535;
  in.d = 1.00286;
  EXPECT_NEAR(*FractionalSavingsUncertainty(in), 0.24104736443078265, 1e-9);
  in.autocorrelation = 0.5;
  EXPECT_NEAR(*FractionalSavingsUncertainty(in), 0.41977535481637884, 1e-9);
  in.savings_fraction = 0.0;
  EXPECT_FALSE(FractionalSavingsUncertainty(in).has_value());
}

// Portfolio: sites (100 ± 30) and (50 ± 40): √(900 + 1600)/150 = 50/150.
TEST(StatisticsTest, PortfolioAggregation) {
  std::vector<SiteSavings> sites = {{100, 30}, {50, 40}};
  PortfolioSavings p = AggregatePortfolio(sites);
  EXPECT_DOUBLE_EQ(p.savings, 150);
  EXPECT_DOUBLE_EQ(p.uncertainty, 50);
  EXPECT_NEAR(*p.fsu, 1.0 / 3.0, 1e-15);
}

}  // namespace
}  // namespace cl::mv
