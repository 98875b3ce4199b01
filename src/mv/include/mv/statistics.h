// Goodness-of-fit and savings-uncertainty statistics for baseline models
// (ASHRAE Guideline 14-2014 Annex B; CalTRACK 2.0 §4.3; IPMVP).
//
// All functions take observed and predicted values of the same length and
// return plain numbers; a statistic that is undefined for the data (zero
// mean, too few points) is reported as std::nullopt, never NaN.
#pragma once

#include <optional>
#include <span>
#include <vector>

namespace cl::mv {

struct FitStatistics {
  int n = 0;                     // points used
  int parameters = 0;            // fitted parameters including the intercept
  double r_squared = 0.0;        // 1 − SSres/SStot (weighted when weights given)
  double r_squared_adj = 0.0;    // 1 − (SSres/(n−p))/(SStot/(n−1)), p incl. intercept
  std::optional<double> cvrmse;  // √(SSres/(n−p)) / ȳ   (Guideline 14; "cvrmse_adj" in eemeter)
  std::optional<double> nmbe;    // Σ(y−ŷ) / ((n−p)·ȳ)   (Guideline 14)
  std::optional<double> nmbe_eemeter;    // Σ(ŷ−y) / Σy       (eemeter's sign and denominator)
  std::optional<double> cvrmse_eemeter;  // √(SSres/n) / ȳ   (eemeter's unadjusted CV(RMSE))
  double autocorrelation = 0.0;          // lag-1 autocorrelation of residuals (ρ)
  double n_prime = 0.0;                  // effective points n(1−ρ)/(1+ρ)
};

// `weights` empty = ordinary; otherwise each point's weight (WLS: days in period).
FitStatistics ComputeFitStatistics(std::span<const double> observed,
                                   std::span<const double> predicted, int parameters,
                                   std::span<const double> weights = {});

// Two-sided Student t quantile: P(|T| <= t) = confidence with `dof` degrees of freedom.
double StudentTQuantile(double confidence, double dof);

// CalTRACK §4.3.2.4 fractional savings uncertainty of one site:
// FSU = t·(aM² + bM + d)·CV(RMSE)·√((P/P′)(1 + 2/P′)(1/Q)) / F.
struct FsuInput {
  double cvrmse = 0.0;            // baseline CV(RMSE) (Guideline 14)
  int baseline_points = 0;        // P
  double autocorrelation = 0.0;   // ρ of baseline residuals (P′ = P(1−ρ)/(1+ρ))
  int reporting_points = 0;       // Q
  double reporting_months = 12;   // M
  double savings_fraction = 0.0;  // F = savings / counterfactual
  int parameters = 1;             // for the t distribution's degrees of freedom (P − p)
  double confidence = 0.90;
  // Polynomial in M of Sun & Baltazar (2013), per data interval; from
  // data/mv/fsu-coefficients.csv (never literals in code).
  double a = 0.0;
  double b = 0.0;
  double d = 1.0;
};
// nullopt when F is 0 or the inputs are degenerate.
std::optional<double> FractionalSavingsUncertainty(const FsuInput& in);

// Portfolio: √Σ(ΔU_i²) / Σ U_i, with ΔU_i = FSU_i × U_i (CalTRACK §4.3.2.3).
struct SiteSavings {
  double savings = 0.0;
  double uncertainty = 0.0;  // absolute, same unit as savings
};
struct PortfolioSavings {
  double savings = 0.0;
  double uncertainty = 0.0;
  std::optional<double> fsu;
};
PortfolioSavings AggregatePortfolio(std::span<const SiteSavings> sites);

}  // namespace cl::mv
