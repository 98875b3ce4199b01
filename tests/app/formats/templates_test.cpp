#include "formats/templates.h"

#include <gtest/gtest.h>

#include "core/encoding.h"
#include "formats/activity_rows.h"
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

TEST(UnitsFileTest, ReadsAFloorAreaWhereGivenAndRefusesOneThatIsNotPositive) {
  auto good = ParseUnitsFile(
      "unit_id,credit_code,name_zh,province,industry_code,建筑面积\n"
      "U1,9131011513572468XU,甲医院,310000,Q8411,\"12,500.5\"\n"  // grouped thousands
      "U2,91310116MA1CL0012H,乙厂,310000,C2614,\n",               // a factory: none
      "units.csv", Data().regions);
  ASSERT_TRUE(good.ok()) << good.errors().ToString();
  ASSERT_EQ(good.value().size(), 2u);
  EXPECT_EQ(good.value()[0].floor_area_m2, 12500.5);
  EXPECT_FALSE(good.value()[1].floor_area_m2.has_value());
  auto bad = ParseUnitsFile(
      "unit_id,credit_code,name_zh,province,floor_area_m2\n"
      "U1,9131011513572468XU,甲,310000,-5\n"
      "U2,91310116MA1CL0012H,乙,310000,很大\n",
      "units.csv", Data().regions);
  ASSERT_FALSE(bad.ok());
  std::string all = bad.errors().ToString();
  EXPECT_EQ(bad.errors().size(), 2u) << all;
  EXPECT_NE(all.find("units.csv:2:5: floor_area_m2: floor_area_m2 '-5' is not a positive number"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("units.csv:3:5: floor_area_m2:"), std::string::npos) << all;
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

// One read keeps the good rows with their own line numbers, even after a
// quoted note that spans two lines; a serial taken by a refused row is free
// for a later row, one taken by an accepted row is not.
TEST(ActivityRowsTest, OneReadKeepsGoodRowsWithTheirLinesAndSerialsOfAcceptedRowsOnly) {
  ActivityRows rows = ReadActivityRows(
      std::string(kHeader) +
          "U1,,electricity,10,MWh,2023-01-01,2023-12-31,,,,,,\"two\nlines\"\n"  // 2–3: good
          "U1,,electricity,-1,MWh,2023-01-01,2023-12-31,,gec,G1,,,\n"           // 4: negative
          "U1,,electricity,5,MWh,2023-01-01,2023-12-31,,gec,G1,,,\n"            // 5: takes G1
          "U1,,electricity,5,MWh,2023-01-01,2023-12-31,,gec,G1;G2,,,\n",        // 6: G1 taken
      "activities.csv", Units(), Data().catalog, 2023);
  EXPECT_EQ(rows.problem, ActivityRows::FileProblem::kNone);
  EXPECT_EQ(rows.rows, 4);
  ASSERT_EQ(rows.records.size(), 2u) << rows.errors.ToString();
  EXPECT_EQ(rows.records[0].line, 2);
  EXPECT_EQ(rows.records[0].note, "two\nlines");
  EXPECT_EQ(rows.records[1].line, 5);
  EXPECT_EQ(rows.records[1].id, "activities.csv:5");
  std::string all = rows.errors.ToString();
  EXPECT_EQ(rows.errors.size(), 2u) << all;
  EXPECT_NE(all.find("activities.csv:4:4: quantity: negative quantity -1"), std::string::npos)
      << all;
  EXPECT_NE(all.find("activities.csv:6:10: instrument_ids: certificate serial 'G1' is already "
                     "used on line 5"),
            std::string::npos)
      << all;
}

// A record from the store is checked with its numbers typed: no text in
// between, so the quantity is the stored double bit for bit.
TEST(ActivityRowsTest, TypedNumbersAreCheckedWithoutText) {
  ActivityChecker checker(Units(), Data().catalog, 2023);
  ActivityFields f;
  f.unit_id = "U1";
  f.activity = "electricity";
  f.quantity = 0.1 + 0.2;  // 0.30000000000000004
  f.unit_of_measure = "kWh";
  f.period_start = "2023-01-01";
  f.period_end = "2023-01-31";
  ErrorList errors;
  FieldPlace place = [](ActivityField field) {
    return Location{"store:activities", 2, 0, std::string(ActivityFieldName(field))};
  };
  auto rec = checker.Check(f, "store:activities", 2, place, errors);
  ASSERT_TRUE(rec.has_value()) << errors.ToString();
  EXPECT_EQ(rec->quantity.value, 0.1 + 0.2);
  EXPECT_EQ(rec->id, "store:activities:2");
  f.quantity = -2.5;
  f.period_end = "2024-01-31";
  EXPECT_FALSE(checker.Check(f, "store:activities", 3, place, errors).has_value());
  std::string all = errors.ToString();
  EXPECT_NE(all.find("store:activities:2: quantity: negative quantity -2.5"), std::string::npos)
      << all;
  EXPECT_NE(all.find("period_end: period ends 2024-01-31, after the reporting year 2023"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace cl
