// Defect: sums were not checked: month totals and roll-ups overflowed to infinity, and an
// inventory's totals became null in its document (issue 14).
//
// Now a sum that would not be a finite number is refused with a domain error
// naming what it sums, before it is stored or shown: the inventory engine's
// lines and totals, and the roll-ups of stored readings (here planted as an
// older store kept them).
#include <cmath>
#include <limits>

#include "ingest/activities_import.h"
#include "inventory/stored_inventory.h"
#include "metering/metering.h"
#include "reports/render.h"
#include "security_fixture.h"
#include "store/chunk.h"

namespace cl::security {
namespace {

class SumOverflow : public StoreCase {};

TEST_P(SumOverflow, AnInventoryWhoseFiguresOverflowIsRefusedNotSavedWithNullTotals) {
  // A quantity within bounds, times a user's factor of 1e300 t per km.
  const std::string acts =
      "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
      "instrument,instrument_ids,factor,factor_unit,note,meter_id\n"
      "SH-CHEM-01,,scope3:6,50000,km,2025-01-01,2025-06-30,bill,,,1e300,tCO2e/km,,\n"
      "SH-CHEM-01,,scope3:6,60000,km,2025-07-01,2025-12-31,bill,,,1e300,tCO2e/km,,\n";
  auto imported = ImportActivities(*store_, Data(), Write("acts.csv", acts), actor_);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  ASSERT_EQ(imported->batch.accepted, 2);
  auto saved = ComputeAndSaveInventory(*store_, Data(), options_.vee,
                                       {"SH-CHEM-01", 2025, "cn-national", {}, 0, ""}, actor_);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(saved.error().message().find("not finite"), std::string::npos)
      << saved.error().ToString();
  auto inventories = store_->Inventories().ListInventories("SH-CHEM-01");
  ASSERT_TRUE(inventories.ok());
  EXPECT_TRUE(inventories->empty());
}

TEST_P(SumOverflow, ARollupOfTotalsThatOverflowIsRefused) {
  // Two month totals of 1e308 kWh, as an older store could hold them.
  const MeterRecord e1 = Meter("SH-CHEM-01/E1");
  const int32_t march = 2025 * 12 + 2;
  ASSERT_TRUE(store_->Readings()
                  .SetMonthTotals({{e1.unit_no, e1.meter_no, march, 1, 1e308},
                                   {e1.unit_no, e1.meter_no, march + 1, 1, 1e308}})
                  .ok());
  auto rows = Rollup(*store_, options_.vee, RollupGrain::kYear, RollupBy::kMeter,
                     *ParseDate("2025-01-01"), *ParseDate("2025-12-31"));
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(rows.error().message().find("SH-CHEM-01/E1"), std::string::npos)
      << rows.error().ToString();
}

// The last guard before a document is stored or sent: nlohmann writes NaN
// and infinities as null, so every document is checked for them first.
TEST(NonFiniteJson, IsFoundAtAnyDepth) {
  nlohmann::json doc = {{"units", {{{"total", 1.5}, {"by_gas", {{"CO2", 2.0}}}}}}};
  EXPECT_TRUE(AllNumbersFinite(doc));
  doc["units"][0]["by_gas"]["CO2"] = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(AllNumbersFinite(doc));
  doc["units"][0]["by_gas"]["CO2"] = std::nan("");
  EXPECT_FALSE(AllNumbersFinite(doc));
}

INSTANTIATE_TEST_SUITE_P(Stores, SumOverflow, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace cl::security
