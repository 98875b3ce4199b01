// Parity with OpenEEmeter 3.2.0's CalTRACK implementation on its public samples
// (tests/mv/samples: meters, temperatures and the reference results computed with
// eemeter 3.2.0). Convention (samples' SOURCE.md): baseline = 365 days before
// blackout_start_date, reporting = 365 days from blackout_end_date, UTC days.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/period.h"
#include "formats/series_reader.h"
#include "mv/hourly.h"
#include "mv_runs/mv_service.h"

namespace cl {
namespace {

const std::string kDir = CL_MV_SAMPLES_DIR;

struct Reference {
  std::string sample;
  nlohmann::json expected;
};

std::vector<Reference> References() {
  std::vector<Reference> out;
  std::string line;
  // Regression (bimonthly, gas-intercept-only): balance points 30–35 tie on adjusted R² up to
  // rounding; eemeter keeps the first (30), we had picked 35 before ties were recognised.
  std::ifstream bimonthly(kDir + "/reference-bimonthly-eemeter-3.2.0-reconstruction.jsonl");
  while (std::getline(bimonthly, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    j["savings"] =
        j["reporting_counterfactual"].get<double>() - j["reporting_observed"].get<double>();
    j["model"]["nmbe"] = 0.0;  // not recorded for these rows; compared only when present below
    out.push_back({j["sample"], j});
  }
  std::ifstream in(kDir + "/reference-eemeter-3.2.0.jsonl");
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    if (j["kind"] == "daily" || j["kind"] == "billing_monthly" || j["kind"] == "hourly") {
      out.push_back({j["sample"], j});
    }
  }
  return out;
}

void PrintTo(const Reference& r, std::ostream* os) { *os << r.sample; }

Instant UtcMidnight(const std::string& date) {
  return Instant(std::chrono::sys_days(*ParseDate(date)));
}

class ParityTest : public ::testing::TestWithParam<Reference> {};

void ExpectRelative(double got, double want, double tol, const char* what) {
  EXPECT_LE(std::fabs(got - want), tol * std::fabs(want))
      << what << ": got " << got << ", eemeter " << want;
}

TEST_P(ParityTest, MatchesEemeter320) {
  const Reference& ref = GetParam();
  nlohmann::json meta;
  std::ifstream(kDir + "/metadata.json") >> meta;
  const nlohmann::json& m = meta[ref.sample];
  auto usage = ReadUsageSeries(*ReadFile(kDir + "/" + ref.sample + ".csv.gz"), ref.sample,
                               std::chrono::minutes(0));
  auto temps = ReadTemperatureSeries(*ReadFile(kDir + "/il-tempF.csv.gz"), "il-tempF",
                                     std::chrono::minutes(0));
  ASSERT_TRUE(usage.ok() && temps.ok());
  Result<MvSettings> settings = LoadMvSettings(CL_SOURCE_DATA_DIR);
  ASSERT_TRUE(settings.ok()) << settings.error().ToString();
  if (ref.expected["kind"] == "hourly") {
    const mv::HourlyTemperature hgrid(temps.value());
    mv::HourlyModel hm = mv::FitHourly(usage.value(), hgrid, UtcMidnight(m["blackout_start_date"]),
                                       settings->caltrack);
    ASSERT_EQ(hm.status, mv::FitStatus::kSuccess);
    int fitted = 0;
    for (const auto& seg : hm.segments) fitted += seg.fitted ? 1 : 0;
    EXPECT_EQ(fitted, ref.expected["model"]["segments"].get<int>());
    mv::Savings hs = mv::ComputeHourlySavings(
        hm, usage.value(), hgrid, UtcMidnight(m["blackout_end_date"]), settings->caltrack);
    ExpectRelative(hs.observed, ref.expected["reporting_observed"], 1e-12, "reporting_observed");
    ExpectRelative(hs.counterfactual, ref.expected["reporting_counterfactual"], 1e-10,
                   "counterfactual");
    ExpectRelative(hs.savings, ref.expected["savings"], 1e-6, "savings");
    return;
  }
  mv::Method method = ref.expected["kind"] == "daily" ? mv::Method::kDaily : mv::Method::kBilling;
  mv::Fuel fuel = m["interpretation"] == "gas" ? mv::Fuel::kGas : mv::Fuel::kElectricity;
  const mv::HourlyTemperature grid(temps.value());
  mv::CaltrackModel model = mv::FitCaltrack(
      usage.value(), grid, UtcMidnight(m["blackout_start_date"]), method, fuel, settings->caltrack);
  ASSERT_EQ(model.status, mv::FitStatus::kSuccess);
  const nlohmann::json& e = ref.expected["model"];
  EXPECT_EQ(mv::ModelTypeName(model.selected.type), e["model_type"].get<std::string>());
  if (e.contains("heating_balance_point")) {
    EXPECT_EQ(model.selected.heating_bp, e["heating_balance_point"].get<int>());
  }
  if (e.contains("cooling_balance_point")) {
    EXPECT_EQ(model.selected.cooling_bp, e["cooling_balance_point"].get<int>());
  }
  constexpr double kTol = 1e-9;  // measured agreement: better than 1e-10
  ExpectRelative(model.selected.intercept, e["intercept"], kTol, "intercept");
  if (e.contains("beta_hdd"))
    ExpectRelative(model.selected.beta_hdd, e["beta_hdd"], kTol, "beta_hdd");
  if (e.contains("beta_cdd"))
    ExpectRelative(model.selected.beta_cdd, e["beta_cdd"], kTol, "beta_cdd");
  ExpectRelative(model.selected.r_squared_adj, e["r_squared_adj"], kTol, "r_squared_adj");
  ASSERT_TRUE(model.cvrmse && model.nmbe);
  ExpectRelative(*model.cvrmse, e["cvrmse"], kTol, "cvrmse");
  if (ref.expected["kind"] != "billing_bimonthly") {
    EXPECT_LE(std::fabs(*model.nmbe - e["nmbe"].get<double>()), 1e-12)
        << "nmbe (absolute: both are ~0)";
  }

  mv::Savings s = mv::ComputeSavings(
      model, usage.value(), grid, UtcMidnight(m["blackout_end_date"]), settings->caltrack,
      method == mv::Method::kDaily ? settings->fsu_daily : settings->fsu_billing);
  ExpectRelative(s.observed, ref.expected["reporting_observed"], 1e-9, "reporting_observed");
  ExpectRelative(s.counterfactual, ref.expected["reporting_counterfactual"], 1e-6,
                 "counterfactual");
  ExpectRelative(s.savings, ref.expected["savings"], 1e-3, "savings (issue: within 0.1 %)");
  ExpectRelative(s.savings, ref.expected["savings"], 1e-6, "savings");
}

INSTANTIATE_TEST_SUITE_P(Samples, ParityTest, ::testing::ValuesIn(References()),
                         [](const ::testing::TestParamInfo<Reference>& p) {
                           std::string n = p.param.sample;
                           for (char& c : n) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(ParitySuite, CoversSixteenSamples) { EXPECT_EQ(References().size(), 16u); }

}  // namespace
}  // namespace cl
