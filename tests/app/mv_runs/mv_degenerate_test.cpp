// Insufficient or degenerate data gives an explicit status with warnings,
// never NaN and never a crash (issue: constant usage, all zero, one season,
// missing temperatures, a meter replaced mid-baseline).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "core/period.h"
#include "formats/series_reader.h"
#include "mv_runs/mv_service.h"

namespace cl {
namespace {

using std::chrono::hours;

const MvSettings& Settings() {
  static MvSettings s = *LoadMvSettings(CL_SOURCE_DATA_DIR);
  return s;
}

const Instant kStart(std::chrono::sys_days(std::chrono::year(2022) / 1 / 1));
const Instant kEnd = kStart + hours(24 * 365);

// Two years of hourly temperature: a seasonal cycle around 55 °F.
mv::TemperatureSeries Temperatures(const std::function<bool(int)>& missing = [](int) {
  return false;
}) {
  mv::TemperatureSeries t;
  for (int h = 0; h < 24 * 730; ++h) {
    if (missing(h)) continue;
    t.time.push_back(kStart + hours(h));
    t.fahrenheit.push_back(55 - 25 * std::cos(2 * M_PI * h / (24 * 365.0)) +
                           5 * std::sin(2 * M_PI * h / 24.0));
  }
  return t;
}

mv::UsageSeries Daily(const std::function<std::optional<double>(int)>& value) {
  mv::UsageSeries u;
  for (int d = 0; d <= 730; ++d) {
    u.start.push_back(kStart + hours(24 * d));
    u.value.push_back(d < 730 ? value(d) : std::nullopt);
  }
  return u;
}

void ExpectNoNaN(const mv::CaltrackModel& m, const mv::Savings& s) {
  for (double v :
       {m.selected.intercept, m.selected.beta_hdd, m.selected.beta_cdd, m.selected.r_squared_adj,
        m.totals.r_squared, s.counterfactual, s.observed, s.savings}) {
    EXPECT_TRUE(std::isfinite(v));
  }
  if (m.cvrmse) {
    EXPECT_TRUE(std::isfinite(*m.cvrmse));
  }
  if (s.fsu) {
    EXPECT_TRUE(std::isfinite(*s.fsu));
  }
}

struct Outcome {
  mv::CaltrackModel model;
  mv::Savings savings;
};

Outcome Fit(const mv::UsageSeries& u, const mv::TemperatureSeries& t,
            mv::Fuel fuel = mv::Fuel::kElectricity) {
  Outcome r;
  const mv::HourlyTemperature grid(t);
  r.model = mv::FitCaltrack(u, grid, kEnd, mv::Method::kDaily, fuel, Settings().caltrack);
  r.savings = mv::ComputeSavings(r.model, u, grid, kEnd, Settings().caltrack, Settings().fsu_daily);
  ExpectNoNaN(r.model, r.savings);
  return r;
}

TEST(MvDegenerateTest, ConstantUsageSelectsInterceptOnly) {
  Outcome r = Fit(Daily([](int) { return 10.0; }), Temperatures());
  ASSERT_EQ(r.model.status, mv::FitStatus::kSuccess);
  EXPECT_EQ(r.model.selected.type, mv::ModelType::kIntercept);
  EXPECT_NEAR(r.model.selected.intercept, 10.0, 1e-12);
  EXPECT_NEAR(r.savings.savings, 0.0, 1e-9);
  EXPECT_FALSE(r.savings.fsu.has_value());  // no savings: FSU undefined, not NaN
}

TEST(MvDegenerateTest, AllZeroUsageIsExplicit) {
  Outcome r = Fit(Daily([](int) { return 0.0; }), Temperatures());
  ASSERT_EQ(r.model.status, mv::FitStatus::kSuccess);
  EXPECT_EQ(r.model.selected.type, mv::ModelType::kIntercept);
  EXPECT_FALSE(r.model.cvrmse.has_value());  // zero mean: undefined
  bool zero_warning = false;
  for (const std::string& w : r.model.warnings)
    zero_warning |= w.find("zero electricity readings") != std::string::npos;
  EXPECT_TRUE(zero_warning);
}

TEST(MvDegenerateTest, MissingTemperaturesGiveNoDataWithWarning) {
  Outcome r =
      Fit(Daily([](int) { return 10.0; }), Temperatures([](int h) { return h < 24 * 400; }));
  EXPECT_EQ(r.model.status, mv::FitStatus::kNoData);
  EXPECT_FALSE(r.model.warnings.empty());
  EXPECT_EQ(r.savings.rows, 0);
  EXPECT_FALSE(r.savings.warnings.empty());
}

// 6 of 24 hours missing every day: 75 % coverage, below CalTRACK 2.2.1.2's 90 %.
TEST(MvDegenerateTest, SparseTemperaturesWarn) {
  Outcome r = Fit(Daily([](int) { return 10.0; }), Temperatures([](int h) { return h % 24 < 6; }));
  bool warned = false;
  for (const std::string& w : r.model.warnings)
    warned |= w.find("enough hourly temperatures") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(MvDegenerateTest, OneSeasonOnlyWarnsAboutCoverage) {
  // Usage only in the first 120 days of the baseline.
  Outcome r = Fit(
      Daily([](int d) { return d < 120 ? std::optional<double>(5.0 + d * 0.01) : std::nullopt; }),
      Temperatures());
  bool coverage = false;
  for (const std::string& w : r.model.warnings)
    coverage |= w.find("have both usage and temperature") != std::string::npos;
  EXPECT_TRUE(coverage);
}

TEST(MvDegenerateTest, MeterReplacedMidBaselineIsFlagged) {
  // A replacement meter reads 100× (a CT ratio not applied): extreme values flagged.
  Outcome r = Fit(Daily([](int d) { return d >= 300 && d < 365 ? 1000.0 : 10.0; }), Temperatures());
  bool extreme = false;
  for (const std::string& w : r.model.warnings)
    extreme |= w.find("median + 3 IQR") != std::string::npos;
  EXPECT_TRUE(extreme);
}

TEST(MvDegenerateTest, NoUsageAtAll) {
  mv::UsageSeries empty;
  Outcome r = Fit(empty, Temperatures());
  EXPECT_EQ(r.model.status, mv::FitStatus::kNoData);
}

// Heating-dominated synthetic building: recovers the generating model.
// usage/day = 20 + 0.5 × HDD(60 °F), gas (no cooling models).
TEST(MvDegenerateTest, RecoversAKnownHeatingModel) {
  mv::TemperatureSeries t = Temperatures();
  auto usage = Daily([&](int d) {
    double mean = 0;
    for (int h = 0; h < 24; ++h) mean += t.fahrenheit[static_cast<size_t>(24 * d + h)];
    mean /= 24;
    return 20 + 0.5 * std::max(60 - mean, 0.0);
  });
  Outcome r = Fit(usage, t, mv::Fuel::kGas);
  ASSERT_EQ(r.model.status, mv::FitStatus::kSuccess);
  EXPECT_EQ(r.model.selected.type, mv::ModelType::kHddOnly);
  EXPECT_EQ(r.model.selected.heating_bp, 60);
  EXPECT_NEAR(r.model.selected.beta_hdd, 0.5, 1e-9);
  EXPECT_NEAR(r.model.selected.intercept, 20, 1e-9);
  EXPECT_NEAR(r.savings.savings, 0, 1e-6);  // same building in the reporting year
}

}  // namespace
}  // namespace cl

namespace cl {
namespace {

// °C input (Shanghai weather data) is converted with F = C × 9/5 + 32:
// 20 °C = 68 °F, −5 °C = 23 °F (definition of the scales).
TEST(MvSeriesTest, CelsiusIsConvertedToFahrenheit) {
  auto t = ReadTemperatureSeries(
      "dt,tempC\n2023-01-01T00:00:00+08:00,20\n2023-01-01T01:00:00+08:00,-5\n", "t.csv",
      std::chrono::minutes(480));
  ASSERT_TRUE(t.ok());
  EXPECT_DOUBLE_EQ(t.value().fahrenheit[0], 68.0);
  EXPECT_DOUBLE_EQ(t.value().fahrenheit[1], 23.0);
  EXPECT_EQ(FormatInstant(t.value().time[0]), "2022-12-31T16:00:00Z");
}

TEST(MvSeriesTest, BadRowsAreReportedWithTheirLine) {
  auto u = ReadUsageSeries(
      "start,value\n2023-01-01T00:00:00Z,1\n2023-01-01T00:00:00Z,2\nnot-a-time,3\n2023-01-03T00:00:"
      "00Z,x\n",
      "u.csv", std::chrono::minutes(0));
  ASSERT_FALSE(u.ok());
  std::string all = u.errors().ToString();
  EXPECT_NE(all.find("u.csv:3:1: start: period starts must increase"), std::string::npos) << all;
  EXPECT_NE(all.find("u.csv:4:1: start:"), std::string::npos) << all;
  EXPECT_NE(all.find("u.csv:5:2: value: 'x' is not a number"), std::string::npos) << all;
}

}  // namespace
}  // namespace cl
