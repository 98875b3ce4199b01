// The physical bounds table (data/bounds.csv): its checks, and the limit of
// a quantity in any unit of a row's dimension over so many hours.
#include "accounting/bounds.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace cl {
namespace {

constexpr const char* kHeader = "carrier,max_per_hour,unit,source\n";

Checked<PhysicalBounds> Parse(const std::string& rows) {
  return PhysicalBounds::Parse(kHeader + rows, "data/bounds.csv");
}

TEST(BoundsTest, TheBundledTableParses) {
  std::ifstream in(std::string(CL_SOURCE_DATA_DIR) + "/bounds.csv");
  std::stringstream text;
  text << in.rdbuf();
  auto b = PhysicalBounds::Parse(text.str(), "bounds.csv");
  ASSERT_TRUE(b.ok()) << b.errors().ToString();
  EXPECT_FALSE(b.value().empty());
}

TEST(BoundsTest, ALimitHoldsInEveryUnitOfItsDimensionOverItsHours) {
  auto b = Parse(
      "electricity,25000000,kWh,src\n"
      "*,180000,GJ,src\n"
      "*,1e12,any,src\n");
  ASSERT_TRUE(b.ok()) << b.errors().ToString();
  const Unit kwh = *ParseUnit("kWh");
  const Unit mwh = *ParseUnit("MWh");
  const Unit gj = *ParseUnit("GJ");
  EXPECT_DOUBLE_EQ(b.value().Limit("electricity", kwh, 0.25)->limit, 6250000);
  EXPECT_DOUBLE_EQ(b.value().Limit("electricity", mwh, 24)->limit, 600000);
  EXPECT_DOUBLE_EQ(b.value().Limit("heat", gj, 1)->limit, 180000);                      // the * row
  EXPECT_DOUBLE_EQ(b.value().Limit("heat", kwh, 1)->limit, 50000000);                   // * in kWh
  EXPECT_DOUBLE_EQ(b.value().Limit("product:steel", *ParseUnit("t"), 2)->limit, 2e12);  // any
  EXPECT_NE(b.value().Limit("electricity", kwh, 1)->rule.find("bounds.csv:2"), std::string::npos);
}

TEST(BoundsTest, CheckRefusesBeyondTheLimitAndNumbersThatAreNotFinite) {
  auto b = Parse("electricity,25000000,kWh,src\n");
  ASSERT_TRUE(b.ok());
  const Unit kwh = *ParseUnit("kWh");
  EXPECT_TRUE(b.value().Check(6250000, "electricity", kwh, 0.25, "a reading").ok());
  EXPECT_FALSE(b.value().Check(6250001, "electricity", kwh, 0.25, "a reading").ok());
  EXPECT_FALSE(b.value().Check(-1e308, "electricity", kwh, 0.25, "a reading").ok());
  EXPECT_FALSE(b.value().Check(std::nan(""), "electricity", kwh, 0.25, "a reading").ok());
  EXPECT_TRUE(b.value().Check(1e300, "natural_gas", *ParseUnit("m3"), 1, "a reading").ok())
      << "no row: no bound";
}

TEST(BoundsTest, ReportsEveryBadRowWithItsPlace) {
  auto b = Parse(
      "electricity,-1,kWh,src\n"  // line 2: not positive
      "steam,inf,t,src\n"         // line 3: not finite
      "gas,1,furlong,src\n"       // line 4: unknown unit
      "gas,1,any,src\n"           // line 5: any on a carrier's row
      "heat,1,GJ,\n"              // line 6: no source
      "heat,2,MWh,src\n");        // line 7: a second energy row for heat
  ASSERT_FALSE(b.ok());
  std::vector<std::string> where;
  for (const auto& e : b.errors().errors())
    where.push_back(std::to_string(e.where().line) + " " + e.where().field);
  EXPECT_EQ(where, (std::vector<std::string>{"2 max_per_hour", "3 max_per_hour", "4 unit", "5 unit",
                                             "6 source", "7 unit"}));
}

}  // namespace
}  // namespace cl
