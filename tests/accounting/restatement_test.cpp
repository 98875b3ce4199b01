// A new dataset version never changes a result silently: recomputing with it
// is a restatement that names the factor that changed, and the old pins
// reproduce the old numbers exactly.
#include "accounting/restatement.h"

#include <gtest/gtest.h>

#include "accounting/engine.h"
#include "support/data_files.h"

namespace cl {
namespace {

using testing_support::ReadData;

struct World {
  ReferenceLibrary library;
  ActivityCatalog catalog;
  Profile profile;
  InventoryInput input;
};

std::unique_ptr<World> MakeWorld() {
  auto w = std::make_unique<World>();
  auto infos = ParseManifest(ReadData("reference/datasets.csv"), "datasets.csv");
  EXPECT_TRUE(infos.ok());
  for (const DatasetInfo& info : infos.value()) {
    auto d = Dataset::Parse(info, ReadData("reference/" + info.file), info.file);
    EXPECT_TRUE(d.ok()) << info.file;
    w->library.Add(d.value());
  }
  w->catalog = ActivityCatalog::Parse(ReadData("activities.csv"), "activities.csv",
                                      ReadData("scope3-categories.csv"), "scope3.csv")
                   .value();
  w->profile = *ParseProfile(ReadData("methodologies/cn-national.toml"), "cn-national.toml");
  w->input.year = 2023;
  ReportingUnit unit;
  unit.id = "U1";
  unit.province = "310000";
  w->input.units.push_back(unit);
  ActivityRecord r;
  r.id = "activities.csv:2";
  r.line = 2;
  r.type = w->catalog.Find("electricity");
  r.quantity = {1000.0, *ParseUnit("MWh")};
  r.period = CalendarYear(2023);
  w->input.records.push_back(r);
  return w;
}

Inventory Compute(const World& w, const ReferenceSet& refs) {
  return ComputeInventory(w.input, refs, w.profile).value();
}

TEST(RestatementTest, NewGridVersionRestatesWithTheFactorThatChanged) {
  auto w = MakeWorld();
  ReferenceSet old_refs = *w->library.Select({{"grid-electricity", "2024.12"}});
  ReferenceSet new_refs = *w->library.Select();
  Inventory before = Compute(*w, old_refs);
  Inventory after = Compute(*w, new_refs);
  // 2024.12 has no 2023 data: cn-national falls back to data year 2022, 0.5849 (公告2024年第33号);
  // 2025.12 has 2023: 0.5737 (公告2025年第47号). 1000 MWh × factor.
  EXPECT_NEAR(In(before.units[0].total, units::kTCO2e), 584.9, 1e-9);
  EXPECT_NEAR(In(after.units[0].total, units::kTCO2e), 573.7, 1e-9);
  EXPECT_EQ(before.units[0].lines[0].fallback_year, 2022);
  EXPECT_FALSE(before.units[0].warnings.empty());

  Restatement r = Restate(before, after);
  ASSERT_TRUE(r.Changed());
  EXPECT_EQ(r.old_pins.at("grid-electricity"), "2024.12");
  EXPECT_EQ(r.new_pins.at("grid-electricity"), "2025.12");
  ASSERT_EQ(r.units[0].lines.size(), 1u);
  const LineChange& c = r.units[0].lines[0];
  EXPECT_NEAR(c.old_tco2e, 584.9, 1e-9);
  EXPECT_NEAR(c.new_tco2e, 573.7, 1e-9);
  ASSERT_EQ(c.factors.size(), 1u);
  EXPECT_EQ(c.factors[0].dataset, "grid-electricity");
  EXPECT_EQ(c.factors[0].old_version, "2024.12");
  EXPECT_EQ(c.factors[0].new_version, "2025.12");
  EXPECT_DOUBLE_EQ(c.factors[0].old_value, 0.5849);
  EXPECT_DOUBLE_EQ(c.factors[0].new_value, 0.5737);
}

TEST(RestatementTest, PinnedVersionsReproduceTheOldNumbersExactly) {
  auto w = MakeWorld();
  ReferenceSet pinned = *w->library.Select({{"grid-electricity", "2024.12"}});
  Inventory first = Compute(*w, pinned);
  Inventory again = Compute(*w, *w->library.Select(first.pins));
  EXPECT_EQ(first.units[0].total.base(), again.units[0].total.base());  // bit for bit
  EXPECT_EQ(first.pins, again.pins);
  EXPECT_FALSE(Restate(first, again).Changed());
}

TEST(RestatementTest, UnchangedNumbersInANewerVersionAreNotAChange) {
  auto w = MakeWorld();
  w->input.year = 2022;
  w->input.records[0].period = CalendarYear(2022);
  Inventory before = Compute(*w, *w->library.Select({{"grid-electricity", "2024.12"}}));
  Inventory after = Compute(*w, *w->library.Select());
  // Data year 2022 is identical in both versions (0.5849).
  EXPECT_FALSE(Restate(before, after).Changed());
}

}  // namespace
}  // namespace cl
