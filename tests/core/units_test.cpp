#include "core/units.h"

#include <gtest/gtest.h>

namespace cl {
namespace {

// Mixing dimensions does not compile: these concepts check it at build time.
template <typename A, typename B>
concept Addable = requires(A a, B b) {
  a + b;
};
static_assert(Addable<Energy, Energy>);
static_assert(!Addable<Energy, Mass>);
static_assert(!Addable<Emissions, Mass>);
static_assert(!Addable<Energy, double>);
static_assert(std::is_same_v<decltype(Energy{} * EmissionsPerEnergy{}), Emissions>);
static_assert(std::is_same_v<decltype(Emissions{} / Energy{}), EmissionsPerEnergy>);

TEST(UnitsTest, ConvertsBetweenEnergyUnits) {
  Energy e = 14500.0 * units::kMWh;
  EXPECT_DOUBLE_EQ(In(e, units::kKWh), 14'500'000.0);
  EXPECT_DOUBLE_EQ(In(e, units::kGJ), 52'200.0);  // 1 MWh = 3.6 GJ
  // 1 tce = 29.3076 GJ (GB/T 2589: 1 kgce = 29 307.6 kJ)
  EXPECT_NEAR(In(1.0 * units::kTce, units::kGJ), 29.3076, 1e-12);
}

TEST(UnitsTest, TypedArithmeticGivesEmissions) {
  Emissions e = (14500.0 * units::kMWh) * EmissionsPerEnergy::FromBase(0.42 * 1e3 / 3.6e3);
  EXPECT_NEAR(In(e, units::kTCO2e), 6090.0, 1e-9);  // 14 500 MWh × 0.42 tCO2/MWh
}

struct Spelling {
  const char* text;
  const char* symbol;
  double to_base;
};

class ParseUnitTest : public ::testing::TestWithParam<Spelling> {};

TEST_P(ParseUnitTest, ReadsEnglishAndChinese) {
  Result<Unit> u = ParseUnit(GetParam().text);
  ASSERT_TRUE(u.ok()) << GetParam().text << ": " << u.error().message();
  EXPECT_EQ(u->symbol, GetParam().symbol);
  EXPECT_NEAR(u->to_base, GetParam().to_base, 1e-9 * GetParam().to_base);
}

INSTANTIATE_TEST_SUITE_P(
    Spellings, ParseUnitTest,
    ::testing::Values(
        Spelling{"kWh", "kWh", 3.6}, Spelling{"千瓦时", "kWh", 3.6}, Spelling{"KWH", "kWh", 3.6},
        Spelling{"万千瓦时", "10^4 kWh", 36000}, Spelling{"MWh", "MWh", 3600},
        Spelling{"吉焦", "GJ", 1000}, Spelling{"GJ", "GJ", 1000}, Spelling{"tce", "tce", 29307.6},
        Spelling{"吨标准煤", "tce", 29307.6}, Spelling{"吨", "t", 1000},
        Spelling{"立方米", "m3", 1}, Spelling{"m³", "m3", 1}, Spelling{"万立方米", "10^4 m3", 1e4},
        Spelling{"10⁴ m³", "10^4 m3", 1e4}, Spelling{"10^4m3", "10^4 m3", 1e4},
        Spelling{"万元", "10^4 CNY", 1e4}, Spelling{"tCO2/MWh", "tCO2e/MWh", 1e3 / 3.6e3},
        Spelling{"kgce/kWh", "kgce/kWh", 29.3076 / 3.6}, Spelling{"GJ/10^4 m3", "GJ/10^4 m3", 0.1},
        Spelling{"kgCO2e/t*km", "kgCO2e/t*km", 1e-3}, Spelling{"tC/GJ", "tC/GJ", 1.0},
        Spelling{"L", "L", 1e-3}));

TEST(UnitsTest, RejectsUnknownUnitsNamingThem) {
  Result<Unit> u = ParseUnit("furlong");
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.error().message().find("furlong"), std::string::npos);
  EXPECT_FALSE(ParseUnit("").ok());
  EXPECT_FALSE(ParseUnit("t/km/h").ok());
  Result<Unit> part = ParseUnit("tCO2/parsec");
  ASSERT_FALSE(part.ok());
  EXPECT_NE(part.error().message().find("parsec"), std::string::npos);
}

TEST(UnitsTest, QuantityFromRejectsAnotherDimension) {
  Measured m{5.0, *ParseUnit("kWh")};
  EXPECT_TRUE(QuantityFrom<kEnergyDim>(m).ok());
  Result<Mass> mass = QuantityFrom<kMassDim>(m);
  ASSERT_FALSE(mass.ok());
  EXPECT_EQ(mass.error().message(), "unit 'kWh' is energy; expected mass");
}

TEST(UnitsTest, NamesCompoundDimensions) {
  EXPECT_EQ(DimName(kEmissionsDim / kEnergyDim), "emissions/energy");
  EXPECT_EQ(DimName(kMassDim * kDistanceDim), "mass*distance");
  EXPECT_EQ(DimName(kDimensionless), "dimensionless");
}

}  // namespace
}  // namespace cl
