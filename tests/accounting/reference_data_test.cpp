#include "accounting/reference_data.h"

#include <gtest/gtest.h>

namespace cl {
namespace {

constexpr const char* kHeader =
    "key,parameter,value,unit,region,valid_from,valid_to,source,confidence,note\n";

Checked<std::shared_ptr<const Dataset>> Parse(const std::string& rows) {
  return Dataset::Parse({"grid", "1", "grid/1.csv", "", "", ""}, kHeader + rows, "grid/1.csv");
}

TEST(ReferenceDataTest, ParsesRowsWithUnitsAndValidity) {
  auto d = Parse("grid_average,ef,0.5737,tCO2/MWh,310000,2023-01-01,2023-12-31,MEE 2025-47,V,\n");
  ASSERT_TRUE(d.ok()) << d.errors().ToString();
  const FactorRow* row = d.value()->Find("grid_average", "ef", "310000", *ParseDate("2023-06-30"));
  ASSERT_NE(row, nullptr);
  EXPECT_DOUBLE_EQ(row->value.value, 0.5737);
  EXPECT_EQ(row->value.unit.symbol, "tCO2e/MWh");
  EXPECT_EQ(d.value()->Find("grid_average", "ef", "310000", *ParseDate("2024-01-01")), nullptr);
}

TEST(ReferenceDataTest, ReportsEveryBadRowWithFileLineAndColumn) {
  auto d = Parse(
      "a,ef,abc,tCO2/MWh,CN,,,src,V,\n"                      // line 2: value not a number
      "b,ef,1,furlong,CN,,,src,V,\n"                         // line 3: unknown unit
      "c,ef,1,kWh,CN,,,src,V,\n"                             // line 4: unit does not fit parameter
      "d,ef,1,tCO2/MWh,CN,,,,V,\n"                           // line 5: no source
      "e,ef,1,tCO2/MWh,CN,,,src,X,\n"                        // line 6: bad confidence
      "f,ef,1,tCO2/MWh,CN,2023-12-31,2023-01-01,src,V,\n");  // line 7: reversed validity
  ASSERT_FALSE(d.ok());
  std::string all = d.errors().ToString();
  EXPECT_EQ(d.errors().size(), 6u) << all;
  EXPECT_NE(all.find("grid/1.csv:2:3: value: 'abc' is not a number"), std::string::npos) << all;
  EXPECT_NE(all.find("grid/1.csv:3:4: unit:"), std::string::npos) << all;
  EXPECT_NE(all.find("grid/1.csv:4:4: unit: unit 'kWh' (energy) does not fit parameter 'ef'"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("grid/1.csv:5:8: source:"), std::string::npos) << all;
  EXPECT_NE(all.find("grid/1.csv:6:9: confidence:"), std::string::npos) << all;
  EXPECT_NE(all.find("grid/1.csv:7:7: valid_to:"), std::string::npos) << all;
}

TEST(ReferenceDataTest, RejectsOverlappingValidityForTheSameKey) {
  auto d = Parse(
      "electricity,ef,0.788,tCO2/MWh,310000,,2021-12-31,src,V,\n"
      "electricity,ef,0.42,tCO2/MWh,310000,2021-06-01,,src,V,\n");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.errors().ToString().find("grid/1.csv:3:6: valid_from: validity overlaps line 2"),
            std::string::npos)
      << d.errors().ToString();
  // Same key, other region: no overlap.
  EXPECT_TRUE(Parse("electricity,ef,0.788,tCO2/MWh,310000,,,src,V,\n"
                    "electricity,ef,0.5,tCO2/MWh,320000,,,src,V,\n")
                  .ok());
}

TEST(ReferenceDataTest, FindsTheLatestEarlierDataYear) {
  auto d = Parse(
      "g,ef,0.5834,tCO2/MWh,310000,2021-01-01,2021-12-31,src,V,\n"
      "g,ef,0.5849,tCO2/MWh,310000,2022-01-01,2022-12-31,src,V,\n");
  ASSERT_TRUE(d.ok());
  const FactorRow* row = d.value()->FindLatestBefore("g", "ef", "310000", *ParseDate("2023-01-01"));
  ASSERT_NE(row, nullptr);
  EXPECT_DOUBLE_EQ(row->value.value, 0.5849);
}

TEST(ReferenceDataTest, LibrarySelectsNewestUnlessPinned) {
  ReferenceLibrary lib;
  lib.Add(Parse("g,ef,1,tCO2/MWh,CN,,,src,V,\n").value());
  auto newer = Dataset::Parse({"grid", "2", "grid/2.csv", "", "", ""},
                              std::string(kHeader) + "g,ef,2,tCO2/MWh,CN,,,src,V,\n", "grid/2.csv");
  lib.Add(newer.value());
  EXPECT_EQ(lib.Select()->Pins().at("grid"), "2");
  EXPECT_EQ(lib.Select({{"grid", "1"}})->Pins().at("grid"), "1");
  EXPECT_FALSE(lib.Select({{"grid", "9"}}).ok());
  EXPECT_FALSE(lib.Select({{"nope", "1"}}).ok());
}

}  // namespace
}  // namespace cl
