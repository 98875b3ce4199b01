#include "formats/templates.h"

#include <gtest/gtest.h>

#include "core/encoding.h"
#include "refdata/reference_store.h"

namespace cl {
namespace {

const ReferenceData& Data() {
  static auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  return *data.value();
}

constexpr const char* kUnits =
    "unit_id,credit_code,name_zh,province\n"
    "U1,9131011513572468XU,甲公司,上海\n";
constexpr const char* kHeader =
    "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
    "instrument,instrument_ids,factor,factor_unit,note\n";

std::vector<ReportingUnit> Units() {
  return ParseUnitsFile(kUnits, "units.csv", Data().regions).value();
}

std::string Errors(const std::string& rows) {
  auto r = ParseActivitiesFile(std::string(kHeader) + rows, "activities.csv", Units(),
                               Data().catalog, 2023);
  return r.ok() ? "" : r.errors().ToString();
}

TEST(UnitsFileTest, ResolvesProvinceNamesAndOptionalColumns) {
  std::vector<ReportingUnit> units = Units();
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0].province, "310000");
}

TEST(UnitsFileTest, ReportsEveryBadCell) {
  auto r = ParseUnitsFile(
      "unit_id,credit_code,name_zh,province,industry_code\n"
      "U1,9131011513572468XU,甲,火星,C2614\n"  // line 2: unknown province
      "U1,9131011513572468XU,乙,310000,Z99\n"  // line 3: duplicate id, bad industry code
      ",123,,310000,\n",                       // line 4: empty id, short code, no name
      "units.csv", Data().regions);
  ASSERT_FALSE(r.ok());
  std::string all = r.errors().ToString();
  EXPECT_EQ(r.errors().size(), 6u) << all;
  EXPECT_NE(all.find("units.csv:2:4: province: '火星' is not a province"), std::string::npos)
      << all;
  EXPECT_NE(all.find("units.csv:3:1: unit_id: unit_id 'U1' already used on line 2"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("units.csv:3:5: industry_code:"), std::string::npos) << all;
  EXPECT_NE(all.find("units.csv:4:2: credit_code:"), std::string::npos) << all;
}

TEST(UnitsFileTest, RejectsUnknownAndDuplicateColumns) {
  auto r = ParseUnitsFile("unit_id,credit_code,name_zh,province,provnice,unit_id\n", "units.csv",
                          Data().regions);
  ASSERT_FALSE(r.ok());
  std::string all = r.errors().ToString();
  EXPECT_NE(all.find("units.csv:1:5: provnice: unknown column 'provnice'"), std::string::npos)
      << all;
  EXPECT_NE(all.find("units.csv:1:6: unit_id: column 'unit_id' appears twice"), std::string::npos)
      << all;
}

TEST(ActivitiesFileTest, AcceptsGroupedThousandsAndChineseAliases) {
  auto r = ParseActivitiesFile(
      std::string(kHeader) +
          "U1,,外购电力,\"14,500,000\",千瓦时,2023/1/1,2023/12/31,计量,省间绿电,BJ-1,,,\n",
      "activities.csv", Units(), Data().catalog, 2023);
  ASSERT_TRUE(r.ok()) << r.errors().ToString();
  const ActivityRecord& rec = r.value()[0];
  EXPECT_EQ(rec.type->code, "electricity");
  EXPECT_DOUBLE_EQ(rec.quantity.value, 14'500'000.0);
  EXPECT_EQ(rec.site_id, "main");
  EXPECT_EQ(rec.data_source, DataSource::kMeter);
  EXPECT_EQ(rec.instrument, Instrument::kGreenPowerInterprovincial);
}

TEST(ActivitiesFileTest, RejectsMalformedThousands) {
  EXPECT_NE(Errors("U1,,electricity,\"14,50\",kWh,2023-01-01,2023-12-31,,,,,,\n")
                .find("activities.csv:2:4"),
            std::string::npos);
}

TEST(ActivitiesFileTest, ChecksFactorsAgainstTheQuantity) {
  std::string all = Errors(
      "U1,,scope3:6,1000,km,2023-01-01,2023-12-31,,,,,,\n"               // 2: factor missing
      "U1,,scope3:6,1000,km,2023-01-01,2023-12-31,,,,0.1,kgCO2e/t,\n"    // 3: wrong denominator
      "U1,,scope3:16,1000,km,2023-01-01,2023-12-31,,,,0.1,kgCO2e/km,\n"  // 4: no category 16
      "U1,,natural_gas,1000,kWh,2023-01-01,2023-12-31,,,,,,\n"     // 5: gas in energy? volume only
      "U1,,diesel,10,t,2023-01-01,2023-12-31,,gec,X1,,,\n"         // 6: instrument on diesel
      "U1,,fugitive,10,kg,2023-01-01,2023-12-31,,,,,,\n"           // 7: fugitive without gas
      "U1,,electricity,10,MWh,2023-01-01,2023-12-31,,gec,,,,\n");  // 8: gec without serials
  EXPECT_NE(all.find("activities.csv:2:11: factor:"), std::string::npos) << all;
  EXPECT_NE(all.find("activities.csv:3:12: factor_unit:"), std::string::npos) << all;
  EXPECT_NE(all.find("activities.csv:4:3: activity:"), std::string::npos) << all;
  EXPECT_NE(all.find("activities.csv:5:5: unit_of_measure:"), std::string::npos) << all;
  EXPECT_NE(all.find("activities.csv:6:9: instrument:"), std::string::npos) << all;
  EXPECT_NE(all.find("activities.csv:7:3: activity:"), std::string::npos) << all;
  EXPECT_NE(all.find("activities.csv:8:10: instrument_ids:"), std::string::npos) << all;
}

TEST(ActivitiesFileTest, RowWidthAndUnknownUnitId) {
  std::string all =
      Errors("U1,,electricity,10,MWh\nU9,,electricity,10,MWh,2023-01-01,2023-12-31,,,,,,\n");
  EXPECT_NE(all.find("activities.csv:2: row has 5 columns; the header has 13"), std::string::npos)
      << all;
  EXPECT_NE(all.find("activities.csv:3:1: unit_id: unit_id 'U9' is not in the units file"),
            std::string::npos)
      << all;
}

TEST(ActivitiesFileTest, ReadsGbkFiles) {
  std::string gbk = *EncodeGb18030(
      "单位编号,活动类型,数量,计量单位,开始日期,结束日期\nU1,天然气,1,万立方米,2023-01-01,2023-12-"
      "31\n");
  auto r = ParseActivitiesFile(gbk, "activities.csv", Units(), Data().catalog, 2023);
  ASSERT_TRUE(r.ok()) << r.errors().ToString();
  EXPECT_EQ(r.value()[0].type->code, "natural_gas");
  EXPECT_DOUBLE_EQ(r.value()[0].quantity.base(), 1e4);
}

TEST(ActivitiesFileTest, EmptyFileIsAnError) {
  auto r = ParseActivitiesFile("", "activities.csv", Units(), Data().catalog, 2023);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors().ToString().find("activities.csv:1: file is empty"), std::string::npos);
}

}  // namespace
}  // namespace cl
