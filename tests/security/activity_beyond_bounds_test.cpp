// Defect: an activity quantity of 1e308 was accepted, and the unit's inventory then had null totals
// that could still be submitted (issue 14).
//
// Now an activity's quantity beyond its carrier's physical bound over its
// period (data/bounds.csv) is refused at its line, column and field, with
// the limit, in an import from the command and from the API alike.
#include "ingest/activities_import.h"
#include "security_fixture.h"

namespace cl::security {
namespace {

using json = nlohmann::json;

const char* kHeader =
    "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
    "instrument,instrument_ids,factor,factor_unit,note,meter_id\n";

class ActivityBeyondBounds : public StoreCase {};

TEST_P(ActivityBeyondBounds, IsRejectedWithItsPlaceAndLimit) {
  // January: 31 days × 24 h × 25 GW = 18 600 000 000 kWh at most.
  const std::string acts =
      std::string(kHeader) +
      "SH-CHEM-01,,electricity,1e308,kWh,2025-01-01,2025-01-31,bill,,,,,,\n"
      "SH-CHEM-01,,electricity,18600000000,kWh,2025-01-01,2025-01-31,bill,,,,,,\n"
      "SH-CHEM-01,,electricity,18600001,MWh,2025-01-01,2025-01-31,bill,,,,,,\n"
      "SH-CHEM-01,,natural_gas,1e308,m3,2025-02-01,2025-02-28,bill,,,,,,\n";
  auto r = ImportActivities(*store_, Data(), Write("acts.csv", acts), actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->batch.accepted, 1);
  std::vector<RejectRecord> rejects = Rejects(r->batch.id);
  ASSERT_EQ(rejects.size(), 3U);
  const std::vector<int64_t> lines = {2, 4, 5};
  for (size_t i = 0; i < rejects.size(); ++i) {
    SCOPED_TRACE(rejects[i].message);
    EXPECT_EQ(rejects[i].line, lines[i]);
    EXPECT_EQ(rejects[i].column, 4);
    EXPECT_EQ(rejects[i].field, "quantity");
    EXPECT_EQ(rejects[i].kind, "invalid_quantity");
    EXPECT_NE(rejects[i].message.find("beyond the physical bound"), std::string::npos);
    EXPECT_NE(rejects[i].message.find("bounds.csv"), std::string::npos);
  }
  EXPECT_NE(rejects[1].message.find("18600000 MWh"), std::string::npos);
  auto stored = store_->Activities().ListActivities("SH-CHEM-01");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1U);
  EXPECT_EQ((*stored)[0].line, 3);
}

TEST_P(ActivityBeyondBounds, IsRejectedThroughTheApi) {
  OpenApi();
  ApiResponse up = Call("POST", "/api/v1/activities?name=acts.csv", "",
                        std::string(kHeader) +
                            "SH-CHEM-01,,electricity,1e308,kWh,2025-01-01,2025-01-31,bill,,,,,,\n");
  ASSERT_EQ(up.status, 201) << up.body;
  json batch = json::parse(up.body)["batch"];
  EXPECT_EQ(batch.value("accepted", -1), 0);
  EXPECT_EQ(batch.value("rejected", -1), 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, ActivityBeyondBounds, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace cl::security
