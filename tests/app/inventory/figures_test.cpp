// The figures read model against the documents it summarises: an
// inventory's figures equal its document's, and the city overview read from
// the figures equals the overview read from the documents.
#include "inventory/figures.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "demo/demo_city.h"
#include "ingest/activities_import.h"
#include "ingest/ingest.h"
#include "inventory/compute.h"
#include "inventory/stored_inventory.h"
#include "overview/city_overview.h"
#include "refdata/reference_store.h"
#include "reports/render.h"
#include "store_fixture.h"

namespace cl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const ReferenceData& Data() {
  static auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  EXPECT_TRUE(data.ok());
  return *data.value();
}

const std::string kExample = std::string(CL_SOURCE_DATA_DIR) + "/../examples/shanghai-2023/";

void ExpectFiguresOfDocument(const InventoryFigures& f, const json& u) {
  const std::string id = u["unit_id"];
  // Headline figures: the same quantity, converted the same way, to the bit.
  EXPECT_EQ(In(f.energy, units::kTce), u["energy_tce"].get<double>()) << id;
  EXPECT_EQ(In(f.scope1, units::kTCO2e), u["scope1_tco2e"].get<double>()) << id;
  EXPECT_EQ(In(f.scope2, units::kTCO2e), u["scope2_tco2e"].get<double>()) << id;
  EXPECT_EQ(In(f.scope2_location, units::kTCO2e), u["scope2_location_tco2e"].get<double>()) << id;
  EXPECT_EQ(In(f.scope3, units::kTCO2e), u["scope3_tco2e"].get<double>()) << id;
  EXPECT_EQ(In(f.total, units::kTCO2e), u["total_tco2e"].get<double>()) << id;
  ASSERT_EQ(f.scope2_market.has_value(), u.contains("scope2_market_tco2e")) << id;
  if (f.scope2_market) {
    EXPECT_EQ(In(*f.scope2_market, units::kTCO2e), u["scope2_market_tco2e"].get<double>());
  }
  EXPECT_EQ(f.biogenic_co2 ? In(*f.biogenic_co2, units::kTCO2e) : 0.0,
            u["biogenic_co2_t"].get<double>())
      << id;
  const json& in = u["intensities"];
  ASSERT_EQ(f.output_value.has_value(), in.contains("output_value_10k_cny")) << id;
  if (f.output_value) {
    EXPECT_EQ(In(*f.output_value, units::kTenThousandCny), in["output_value_10k_cny"]);
    ASSERT_EQ(f.tce_per_10k_cny.has_value(), in["output_value_10k_cny"].get<double>() > 0);
    if (f.tce_per_10k_cny) {
      EXPECT_EQ(*f.tce_per_10k_cny, in["tce_per_10k_cny"].get<double>()) << id;
      EXPECT_EQ(*f.tco2e_per_10k_cny, in["tco2e_per_10k_cny"].get<double>()) << id;
    }
  }
  // Lines: each one with energy or emissions, to the bit.
  size_t n = 0, kept = 0;
  for (const json& line : u["lines"]) {
    ++n;
    if (line["energy_tce"] == 0.0 && line["tco2e"] == 0.0) continue;
    ASSERT_LT(kept, f.lines.size()) << id;
    const LineFigures& l = f.lines[kept++];
    const std::string activity = line["activity"];
    EXPECT_EQ(l.line, static_cast<int>(n)) << id;
    EXPECT_EQ(l.carrier, activity.substr(0, activity.find(':'))) << id;
    EXPECT_EQ(l.scope, line["scope"].get<int>()) << id;
    EXPECT_EQ(FormatDate(l.period.start), line["period_start"]) << id;
    EXPECT_EQ(FormatDate(l.period.end), line["period_end"]) << id;
    EXPECT_EQ(In(l.energy, units::kTce), line["energy_tce"].get<double>()) << id << " " << n;
    EXPECT_EQ(In(l.emissions, units::kTCO2e), line["tco2e"].get<double>()) << id << " " << n;
  }
  EXPECT_EQ(kept, f.lines.size()) << id;
}

void ExpectFiguresOfEveryUnit(const std::string& units, const std::string& activities, int year,
                              const std::string& methodology) {
  InventoryRequest request;
  request.units_path = units;
  request.activities_path = activities;
  request.year = year;
  request.methodology = methodology;
  auto input = LoadInput(Data(), request);
  ASSERT_TRUE(input.ok()) << input.errors().ToString();
  auto computed = Compute(Data(), *input.value(), {});
  ASSERT_TRUE(computed.ok()) << computed.errors().ToString();
  const Inventory& inv = computed.value()->inventory;
  json doc = InventoryJson(inv);
  ASSERT_EQ(doc["units"].size(), inv.units.size());
  ASSERT_FALSE(inv.units.empty());
  for (size_t i = 0; i < inv.units.size(); ++i) {
    SCOPED_TRACE(methodology + " " + inv.units[i].unit->id);
    ExpectFiguresOfDocument(FiguresOf(inv.units[i], year, inv.market_reported), doc["units"][i]);
  }
}

TEST(FiguresTest, EqualTheDocumentsOfTheExampleUnderEveryMethodology) {
  for (const char* m : {"shanghai", "cn-national", "ghg-protocol"})
    ExpectFiguresOfEveryUnit(kExample + "units.csv", kExample + "activities.csv", 2023, m);
}

TEST(FiguresTest, EqualTheDocumentsOfTheDemoCity) {
  const fs::path dir =
      fs::temp_directory_path() / ("cl_figures_demo_" + std::to_string(::getpid()));
  DemoOptions options;
  options.units = 12;
  auto city = GenerateDemoCity(dir.string(), options);
  ASSERT_TRUE(city.ok()) << city.error().ToString();
  ExpectFiguresOfEveryUnit((dir / "units.csv").string(), (dir / "activities.csv").string(),
                           options.last_year, "shanghai");
  fs::remove_all(dir);
}

// The same inventories, once with figures (as saved now) and once as
// documents only (as saved before migration 8): the overview is the same.
class FiguresStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fixture_ = std::make_unique<testing::TestStore>(GetParam());
    bool skip = false;
    std::string target = fixture_->Create(&skip);
    if (skip) GTEST_SKIP() << "PostgreSQL not configured";
    auto s = OpenStore(target);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
    auto u = ImportUnits(*store_, kExample + "units.csv", Data().regions, actor_);
    ASSERT_TRUE(u.ok()) << u.errors().ToString();
    auto a = ImportActivities(*store_, Data(), kExample + "activities.csv", actor_);
    ASSERT_TRUE(a.ok()) << a.error().ToString();
  }

  std::unique_ptr<testing::TestStore> fixture_;
  std::unique_ptr<Store> store_;
  Actor actor_{"tester", "unit-test"};
};

// Every number the API shows, to the bit.
void ExpectSameOverview(const CityOverview& a, const CityOverview& b) {
  EXPECT_EQ(a.year, b.year);
  EXPECT_EQ(a.years, b.years);
  ASSERT_EQ(a.units.size(), b.units.size());
  for (size_t i = 0; i < a.units.size(); ++i) {
    const UnitFigures &x = a.units[i], &y = b.units[i];
    SCOPED_TRACE(x.unit_id);
    EXPECT_EQ(x.unit_id, y.unit_id);
    EXPECT_EQ(x.status, y.status);
    EXPECT_EQ(x.energy_tce, y.energy_tce);
    EXPECT_EQ(x.total_tco2e, y.total_tco2e);
    EXPECT_EQ(x.scope1_tco2e, y.scope1_tco2e);
    EXPECT_EQ(x.scope2_tco2e, y.scope2_tco2e);
    EXPECT_EQ(x.output_10k_cny, y.output_10k_cny);
    EXPECT_EQ(x.tce_per_10k_cny, y.tce_per_10k_cny);
    EXPECT_EQ(x.tco2e_per_10k_cny, y.tco2e_per_10k_cny);
    EXPECT_EQ(x.carrier_tce, y.carrier_tce);
    EXPECT_EQ(x.carrier_tco2e, y.carrier_tco2e);
  }
  ASSERT_EQ(a.months.size(), b.months.size());
  for (size_t i = 0; i < a.months.size(); ++i) {
    EXPECT_EQ(a.months[i].month, b.months[i].month);
    EXPECT_EQ(a.months[i].carrier, b.months[i].carrier);
    EXPECT_EQ(a.months[i].energy_tce, b.months[i].energy_tce) << a.months[i].month;
    EXPECT_EQ(a.months[i].tco2e, b.months[i].tco2e) << a.months[i].month;
  }
}

TEST_P(FiguresStoreTest, TheOverviewFromFiguresEqualsTheOverviewFromDocuments) {
  auto vee = LoadVeeSettings(CL_SOURCE_DATA_DIR);
  ASSERT_TRUE(vee.ok()) << vee.error().ToString();
  auto units = store_->Registry().ListUnits();
  ASSERT_TRUE(units.ok());
  std::vector<int64_t> saved;
  for (const auto& u : *units) {
    StoredInventoryRequest r{u.id, 2023, "shanghai", {}, 0, ""};
    auto id = ComputeAndSaveInventory(*store_, Data(), *vee, r, actor_);
    ASSERT_TRUE(id.ok()) << id.error().ToString();
    auto figures = store_->Figures().GetFigures(*id);
    ASSERT_TRUE(figures.ok() && figures->has_value());
    EXPECT_EQ((*figures)->unit_id, u.id);
    saved.push_back(*id);
  }
  ASSERT_FALSE(saved.empty());
  auto from_figures = BuildCityOverview(*store_, 2023, 2023, "shanghai", false);
  ASSERT_TRUE(from_figures.ok()) << from_figures.error().ToString();
  ASSERT_FALSE(from_figures->months.empty());
  ASSERT_GT(from_figures->units.front().energy_tce, 0.0);
  // The same documents as new versions without figures.
  for (int64_t id : saved) {
    InventoryRecord again = **store_->Inventories().GetInventory(id);
    again.supersedes = id;
    ASSERT_TRUE(store_->Inventories().CreateInventory(again, actor_).ok());
  }
  auto from_documents = BuildCityOverview(*store_, 2023, 2023, "shanghai", false);
  ASSERT_TRUE(from_documents.ok()) << from_documents.error().ToString();
  ASSERT_EQ(from_documents->units.front().version, 2);
  ExpectSameOverview(*from_figures, *from_documents);
}

INSTANTIATE_TEST_SUITE_P(Stores, FiguresStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl
