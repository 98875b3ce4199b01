// IPMVP Option C with production: a synthetic factory whose use is known exactly.
//   usage/day = 100 + 2.5 kWh/t × production (t/day) + 0.8 × CDD(65 °F)
// The fit must recover these numbers; a 10 % efficiency gain in the reporting year
// must show as 10 % of the counterfactual.
#include <gtest/gtest.h>

#include <cmath>

#include "mv/production.h"
#include "mv_runs/mv_service.h"

namespace cl {
namespace {

using std::chrono::hours;
const Instant kStart(std::chrono::sys_days(std::chrono::year(2022) / 1 / 1));
const Instant kEnd = kStart + hours(24 * 365);

struct Factory {
  mv::TemperatureSeries temps;
  mv::UsageSeries usage;
  mv::ProductionSeries production;
};

Factory Make(double reporting_efficiency) {
  Factory f;
  for (int h = 0; h < 24 * 731; ++h) {
    f.temps.time.push_back(kStart + hours(h));
    f.temps.fahrenheit.push_back(60 - 22 * std::cos(2 * M_PI * h / (24 * 365.0)) +
                                 4 * std::sin(2 * M_PI * h / 24.0));
  }
  f.production.products = {"steel_t"};
  f.production.values.resize(1);
  for (int d = 0; d <= 730; ++d) {
    f.usage.start.push_back(kStart + hours(24 * d));
    if (d == 730) {
      f.usage.value.emplace_back();
      break;
    }
    double tons = 40 + 15 * std::sin(d * 0.7) + (d % 7 == 6 ? -30 : 0);  // weekly shutdown
    double mean = 0;
    for (int h = 0; h < 24; ++h) mean += f.temps.fahrenheit[static_cast<size_t>(24 * d + h)];
    mean /= 24;
    double use = 100 + 2.5 * tons + 0.8 * std::max(mean - 65, 0.0);
    if (d >= 365) use *= reporting_efficiency;
    f.usage.value.emplace_back(use);
    f.production.start.push_back(kStart + hours(24 * d + 8));  // recorded at 08:00 each day
    f.production.values[0].push_back(tons);
  }
  return f;
}

TEST(ProductionModelTest, RecoversTheFactoryAndItsSavings) {
  MvSettings s = *LoadMvSettings(CL_SOURCE_DATA_DIR);
  Factory f = Make(0.9);
  mv::HourlyTemperature grid(f.temps);
  mv::ProductionModel m = mv::FitProductionModel(
      f.usage, grid, f.production, kEnd, mv::Method::kDaily, mv::Fuel::kElectricity, s.caltrack);
  ASSERT_EQ(m.status, mv::FitStatus::kSuccess);
  EXPECT_NEAR(m.intercept, 100, 1e-6);
  ASSERT_EQ(m.beta_production.size(), 1u);
  EXPECT_NEAR(m.beta_production[0], 2.5, 1e-8);
  EXPECT_TRUE(m.cooling);
  EXPECT_EQ(m.cooling_bp, 65);
  EXPECT_NEAR(m.beta_cdd, 0.8, 1e-8);
  EXPECT_GT(m.r_squared_adj, 0.999999);
  mv::Savings sv = mv::ComputeProductionSavings(m, f.usage, grid, f.production, kEnd, s.caltrack);
  ASSERT_GT(sv.rows, 360);
  EXPECT_NEAR(sv.savings / sv.counterfactual, 0.10, 1e-9);
}

TEST(ProductionModelTest, NoProductionIsExplicit) {
  MvSettings s = *LoadMvSettings(CL_SOURCE_DATA_DIR);
  Factory f = Make(1.0);
  mv::HourlyTemperature grid(f.temps);
  mv::ProductionModel m = mv::FitProductionModel(f.usage, grid, {}, kEnd, mv::Method::kDaily,
                                                 mv::Fuel::kElectricity, s.caltrack);
  EXPECT_EQ(m.status, mv::FitStatus::kNoData);
  EXPECT_FALSE(m.warnings.empty());
}

}  // namespace
}  // namespace cl
