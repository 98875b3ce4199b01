// Defect: a meter-day poisoned by readings of 1e308 (stored before bounds were checked) could never
// be corrected: every later import touching it was refused whole with a 409 (issue 14).
//
// The poison is planted through the store as an older version wrote it: a
// chunk holding two readings of 1e308 with an infinite total, and an
// infinite month total. A file with the corrected readings is a revision
// that recomputes the day and the month; a file that touches the day without
// correcting it has its rows of that day rejected by name, and the rest of
// the file is stored.
#include <cmath>
#include <limits>

#include "security_fixture.h"
#include "store/chunk.h"

namespace cl::security {
namespace {

class PoisonedDay : public StoreCase {
 protected:
  // 2025-03-03 (local) of meter E1: 96 readings of 1.0, slots 10 and 11 of 1e308.
  void Plant() {
    const MeterRecord e1 = Meter("SH-CHEM-01/E1");
    day_ = static_cast<int32_t>(
        std::chrono::sys_days(*ParseDate("2025-03-03")).time_since_epoch().count());
    Chunk c(96);
    for (int s = 0; s < 96; ++s) {
      c.present[s] = 1;
      c.values[s] = s == 10 || s == 11 ? 1e308 : 1.0;
      c.batch[s] = 0;  // no batch of this store
    }
    const double inf = std::numeric_limits<double>::infinity();
    ASSERT_TRUE(store_->Readings()
                    .PutChunk({e1.unit_no, e1.meter_no, day_, 96, inf, 0, EncodeChunk(c)})
                    .ok());
    ASSERT_TRUE(store_->Readings()
                    .SetMonthTotals({{e1.unit_no, e1.meter_no, 2025 * 12 + 2, 96, inf}})
                    .ok());
  }

  static std::string Row(int slot, const std::string& value) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "SH-CHEM-01/E1,2025-03-03T%02d:%02d:00+08:00,%s\n", slot / 4,
                  (slot % 4) * 15, value.c_str());
    return buf;
  }

  StoredChunk Stored() {
    const MeterRecord e1 = Meter("SH-CHEM-01/E1");
    return **store_->Readings().GetChunk(e1.unit_no, e1.meter_no, day_);
  }

  MonthTotal March() {
    MonthTotal out;
    EXPECT_TRUE(
        store_->Readings()
            .ScanMonthTotals(2025 * 12 + 2, 2025 * 12 + 2, [&](const MonthTotal& t) { out = t; })
            .ok());
    return out;
  }

  int32_t day_ = 0;
};

TEST_P(PoisonedDay, IsCorrectedByARevision) {
  Plant();
  ImportResult r = Import("fix.csv", "meter_id,timestamp,value\n" + Row(10, "2") + Row(11, "3"));
  EXPECT_EQ(r.batch.revised, 2);
  EXPECT_EQ(r.batch.rejected, 0);
  EXPECT_DOUBLE_EQ(Stored().total, 94.0 + 2 + 3);
  EXPECT_EQ(March().count, 96);
  EXPECT_DOUBLE_EQ(March().total, 99.0);
  auto revisions = store_->Readings().ListRevisions(Meter("SH-CHEM-01/E1").meter_no);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 2U);
  EXPECT_EQ((*revisions)[0].old_value, 1e308);
}

TEST_P(PoisonedDay, AFileThatDoesNotCorrectItHasThoseRowsRejectedAndTheRestStored) {
  Plant();
  ImportResult r = Import("other.csv", "meter_id,timestamp,value\n" + Row(20, "5") +
                                           "SH-CHEM-01/E1,2025-03-04T00:00:00+08:00,7\n");
  EXPECT_EQ(r.batch.accepted, 1);
  EXPECT_EQ(r.batch.rejected, 1);
  std::vector<RejectRecord> rejects = Rejects(r.batch.id);
  ASSERT_EQ(rejects.size(), 1U);
  EXPECT_EQ(rejects[0].line, 2);
  EXPECT_EQ(rejects[0].kind, "out_of_bounds");
  EXPECT_NE(rejects[0].message.find("1e+308"), std::string::npos) << rejects[0].message;
  EXPECT_EQ(Stored().count, 96);  // the day as stored
  // Then the correction still works.
  ImportResult fix = Import("fix.csv", "meter_id,timestamp,value\n" + Row(10, "1") + Row(11, "1"));
  EXPECT_EQ(fix.batch.revised, 2);
  EXPECT_DOUBLE_EQ(March().total, 96.0 + 7);
}

INSTANTIATE_TEST_SUITE_P(Stores, PoisonedDay, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace cl::security
