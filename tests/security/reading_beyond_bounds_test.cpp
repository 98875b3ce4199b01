// Defect: a reading of 1e308 was accepted and overflowed its day and month totals to infinity
// (issue 14).
//
// Now a reading beyond its carrier's physical bound (data/bounds.csv, over the
// meter's interval, after its multiplier) is a reject of kind out_of_bounds
// that names the file, line, column and the limit, on the command's path and
// on the API's, and the day's total stays finite.
#include <cmath>

#include "security_fixture.h"
#include "store/chunk.h"

namespace cl::security {
namespace {

using json = nlohmann::json;

class ReadingBeyondBounds : public StoreCase {};

TEST_P(ReadingBeyondBounds, IsRejectedWithItsPlaceAndLimit) {
  // E1: electricity, kWh, 15 min: at most 25 GW for a quarter hour, 6 250 000 kWh.
  ImportResult r = Import("big.csv",
                          "meter_id,timestamp,value\n"
                          "SH-CHEM-01/E1,2025-03-01T00:00:00+08:00,1.5\n"
                          "SH-CHEM-01/E1,2025-03-01T00:15:00+08:00,1e308\n"
                          "SH-CHEM-01/E1,2025-03-01T00:30:00+08:00,6250000\n"
                          "SH-CHEM-01/E1,2025-03-01T00:45:00+08:00,6250001\n"
                          "SH-CHEM-01/E2,2025-03-01T00:00:00+08:00,100000\n"
                          "SH-CHEM-01/G1,2025-03-01T00:00:00+08:00,1e308\n"
                          "SH-CHEM-01/H1,2025-03-01,5000000\n"
                          "SH-CHEM-01/E1,2025-03-01T01:00:00+08:00,1e400\n");
  EXPECT_EQ(r.batch.accepted, 2);
  EXPECT_EQ(r.batch.rejected, 6);
  std::vector<RejectRecord> rejects = Rejects(r.batch.id);
  ASSERT_EQ(rejects.size(), 6U);
  for (size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(rejects[i].message);
    EXPECT_EQ(rejects[i].file, "big.csv");
    EXPECT_EQ(rejects[i].column, 3);
    EXPECT_EQ(rejects[i].field, "value");
    EXPECT_EQ(rejects[i].kind, "out_of_bounds");
    EXPECT_NE(rejects[i].message.find("beyond the physical bound"), std::string::npos);
    EXPECT_NE(rejects[i].message.find("bounds.csv"), std::string::npos);
  }
  EXPECT_EQ(rejects[0].line, 3);
  EXPECT_NE(rejects[0].message.find("6250000 kWh for a 15min reading"), std::string::npos);
  EXPECT_EQ(rejects[1].line, 5);
  EXPECT_EQ(rejects[2].line, 6);  // 100 000 kWh × multiplier 80
  EXPECT_NE(rejects[2].message.find("multiplier 80"), std::string::npos);
  EXPECT_EQ(rejects[3].line, 7);  // a register
  EXPECT_EQ(rejects[4].line, 8);  // a daily heat meter: 5 000 000 GJ in a day
  EXPECT_EQ(rejects[5].kind, "bad_number");
  const MeterRecord e1 = Meter("SH-CHEM-01/E1");
  auto stored =
      store_->Readings().ScanChunks(e1.unit_no, e1.meter_no, 0, 100000, [](const StoredChunk& c) {
        EXPECT_TRUE(std::isfinite(c.total));
        EXPECT_DOUBLE_EQ(c.total, 6250001.5);
      });
  EXPECT_TRUE(stored.ok());
}

TEST_P(ReadingBeyondBounds, IsRejectedInJsonLines) {
  ImportResult r =
      Import("big.jsonl",
             R"({"meter_id":"SH-CHEM-01/E1","timestamp":"2025-03-01T00:00:00+08:00","value":1e308})"
             "\n");
  EXPECT_EQ(r.batch.accepted, 0);
  ASSERT_EQ(Rejects(r.batch.id).size(), 1U);
  EXPECT_EQ(Rejects(r.batch.id)[0].kind, "out_of_bounds");
}

TEST_P(ReadingBeyondBounds, IsRejectedThroughTheApi) {
  OpenApi();
  ApiResponse up = Call("POST", "/api/v1/readings?name=big.csv", "",
                        "meter_id,timestamp,value\n"
                        "SH-CHEM-01/E1,2025-03-01T00:00:00+08:00,1e308\n"
                        "SH-CHEM-01/E1,2025-03-01T00:15:00+08:00,2.5\n");
  ASSERT_EQ(up.status, 201) << up.body;
  json batch = json::parse(up.body)["batch"];
  EXPECT_EQ(batch.value("accepted", -1), 1);
  EXPECT_EQ(batch.value("rejected", -1), 1);
  ApiResponse rejects = Call("GET", json::parse(up.body).value("rejects", ""), "");
  ASSERT_EQ(rejects.status, 200) << rejects.body;
  EXPECT_NE(rejects.body.find("out_of_bounds"), std::string::npos) << rejects.body;
  // A second import of the same meter-day still succeeds.
  ApiResponse again = Call("POST", "/api/v1/readings?name=more.csv", "",
                           "meter_id,timestamp,value\n"
                           "SH-CHEM-01/E1,2025-03-01T00:30:00+08:00,3.5\n");
  EXPECT_EQ(again.status, 201) << again.body;
}

INSTANTIATE_TEST_SUITE_P(Stores, ReadingBeyondBounds, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace cl::security
