// DocumentDifference: a stored inventory document against the same inventory
// computed now (inventory/data_changes.h). The documents are hand-made
// carbonledger.inventory/1 fragments; each difference is now − stored.
#include "inventory/data_changes.h"

#include <gtest/gtest.h>

#include "refdata/reference_store.h"
#include "store/store.h"
#include "support/fake_store.h"

namespace cl {
namespace {

using nlohmann::json;

json Line(const std::string& id, const std::string& activity, const std::string& start,
          double quantity, double energy, double tco2e, const std::string& note = "") {
  json l{{"id", id},
         {"activity", activity},
         {"site_id", "S1"},
         {"period_start", start},
         {"period_end", start.substr(0, 8) + "28"},
         {"data_source", note.empty() ? "bill" : "meter"},
         {"unit_of_measure", activity == "electricity" ? "kWh" : "m3"},
         {"quantity", quantity},
         {"energy_tce", energy},
         {"tco2e", tco2e}};
  if (!note.empty()) l["note"] = note;
  return l;
}

json Doc(double energy, double total, json lines) {
  return {{"units", json::array({{{"unit_id", "U1"},
                                  {"energy_tce", energy},
                                  {"scope1_tco2e", 0.0},
                                  {"total_tco2e", total},
                                  {"lines", std::move(lines)}}})}};
}

TEST(DocumentDifferenceTest, EqualDocumentsHaveNone) {
  json d =
      Doc(1, 2, json::array({Line("store:activities:2", "natural_gas", "2025-02-01", 10, 1, 2)}));
  EXPECT_FALSE(DocumentDifference(d, d).has_value());
}

TEST(DocumentDifferenceTest, LinesAreMatchedByWhatTheyAreNotByPosition) {
  // A bill added before a meter's month moves the meter line's id from 2 to 3:
  // the meter line is the same, the bill is new.
  const std::string meter_note = "sum of 2 readings of meter U1/E1";
  json stored = Doc(0.18435, 0.86055,
                    json::array({Line("store:activities:2", "electricity", "2025-03-01", 1500,
                                      0.18435, 0.86055, meter_note)}));
  json now = Doc(0.18435 + 1.2143, 0.86055 + 2.162188809,
                 json::array({Line("store:activities:2", "natural_gas", "2025-02-01", 1000, 1.2143,
                                   2.162188809),
                              Line("store:activities:3", "electricity", "2025-03-01", 1500, 0.18435,
                                   0.86055, meter_note)}));
  auto d = DocumentDifference(stored, now);
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ((*d)["lines"].size(), 1U) << d->dump();
  const json& l = (*d)["lines"][0];
  EXPECT_EQ(l["change"], "added");
  EXPECT_EQ(l["activity"], "natural_gas");
  EXPECT_TRUE(l["quantity"]["stored"].is_null());
  EXPECT_EQ(l["quantity"]["difference"].get<double>(), 1000.0);
  // Totals: energy 0.18435 → 1.39865 tce (+1.2143), total 0.86055 → 3.022738809 tCO2e.
  ASSERT_EQ((*d)["totals"].size(), 2U);
  EXPECT_EQ((*d)["totals"][0]["field"], "energy_tce");
  EXPECT_EQ((*d)["totals"][0]["unit"], "tce");
  EXPECT_NEAR((*d)["totals"][0]["difference"].get<double>(), 1.2143, 1e-12);
  EXPECT_EQ((*d)["totals"][1]["field"], "total_tco2e");
  EXPECT_NEAR((*d)["totals"][1]["difference"].get<double>(), 2.162188809, 1e-12);
}

TEST(DocumentDifferenceTest, AMetersMonthIsRevisedWhateverItsReadingCount) {
  // 2 readings (1500 kWh) then 3 (1750 kWh): the note changes, the line is the
  // same meter's month, revised by 250 kWh.
  json stored = Doc(0.18435, 0.86055,
                    json::array({Line("store:activities:2", "electricity", "2025-03-01", 1500,
                                      0.18435, 0.86055, "sum of 2 readings of meter U1/E1")}));
  json now = Doc(0.215075, 1.003975,
                 json::array({Line("store:activities:2", "electricity", "2025-03-01", 1750,
                                   0.215075, 1.003975, "sum of 3 readings of meter U1/E1")}));
  auto d = DocumentDifference(stored, now);
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ((*d)["lines"].size(), 1U);
  const json& l = (*d)["lines"][0];
  EXPECT_EQ(l["change"], "revised");
  EXPECT_EQ(l["meter"], "U1/E1");
  EXPECT_EQ(l["quantity"]["difference"].get<double>(), 250.0);
  // 250 kWh × 0.1229 kgce/kWh = 0.030725 tce.
  EXPECT_NEAR(l["energy_tce"]["difference"].get<double>(), 0.030725, 1e-12);
}

TEST(DocumentDifferenceTest, ARemovedLineHasNoCurrentSide) {
  json stored = Doc(1, 2, json::array({Line("a:2", "natural_gas", "2025-02-01", 10, 1, 2)}));
  json now = Doc(0, 0, json::array());
  auto d = DocumentDifference(stored, now);
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ((*d)["lines"].size(), 1U);
  EXPECT_EQ((*d)["lines"][0]["change"], "removed");
  EXPECT_TRUE((*d)["lines"][0]["quantity"]["now"].is_null());
  EXPECT_EQ((*d)["lines"][0]["quantity"]["difference"].get<double>(), -10.0);
}

TEST(DocumentDifferenceTest, OnlyMovedIdsAreNoChange) {
  json a =
      Doc(1, 2, json::array({Line("store:activities:2", "natural_gas", "2025-02-01", 10, 1, 2)}));
  json b =
      Doc(1, 2, json::array({Line("store:activities:5", "natural_gas", "2025-02-01", 10, 1, 2)}));
  EXPECT_FALSE(DocumentDifference(a, b).has_value());
}

// The check is kept while the audit head stays: a second read computes
// nothing; any write (here one audit entry) makes the next read compute again.
TEST(DataChangeCacheTest, ComputesOncePerAuditHead) {
  static auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  ASSERT_TRUE(data.ok());
  auto store = testing::MakeFakeStore();
  DataChangeCache cache(16);
  InventoryRecord inv;
  inv.id = 7;
  inv.unit_id = "NO-SUCH-UNIT";  // cannot be computed again: reported, with the reason
  inv.year = 2025;
  inv.methodology = "cn-national";
  inv.pins = "{}";
  inv.status = InventoryStatus::kVerified;
  const std::string document = Doc(1, 2, json::array()).dump();
  auto first = cache.Check(*store, *data.value(), VeeSettings{}, inv, document);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_TRUE((*first)->is_object());
  EXPECT_EQ((**first)["since"], "verification");
  EXPECT_TRUE((**first).contains("recompute_error"));
  EXPECT_EQ(cache.computed(), 1);
  auto again = cache.Check(*store, *data.value(), VeeSettings{}, inv, document);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first->get());
  EXPECT_EQ(cache.computed(), 1);
  AuditEntry e;
  e.actor = "test";
  e.action = "update";
  e.entity = "unit";
  e.entity_id = "U1";
  ASSERT_TRUE(store->Audit().AppendAudit(e).ok());
  ASSERT_TRUE(cache.Check(*store, *data.value(), VeeSettings{}, inv, document).ok());
  EXPECT_EQ(cache.computed(), 2);
  // A draft is never checked.
  inv.status = InventoryStatus::kDraft;
  auto draft = cache.Check(*store, *data.value(), VeeSettings{}, inv, document);
  ASSERT_TRUE(draft.ok());
  EXPECT_TRUE((*draft)->is_null());
  EXPECT_EQ(cache.computed(), 2);
}

}  // namespace
}  // namespace cl
