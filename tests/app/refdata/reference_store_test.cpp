#include "refdata/reference_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cl {
namespace {

namespace fs = std::filesystem;

TEST(ReferenceStoreTest, LoadsTheBundledData) {
  auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  ASSERT_TRUE(data.ok()) << data.errors().ToString();
  const ReferenceData& d = *data.value();
  EXPECT_EQ(d.profiles.size(), 3u);
  EXPECT_NE(d.FindProfile("shanghai"), nullptr);
  EXPECT_EQ(d.library.all().at("grid-electricity").size(), 2u);
  EXPECT_NE(d.catalog.Find("natural_gas"), nullptr);
  EXPECT_EQ(d.regions.Resolve("Shanghai")->code, "310000");
  // Every row of every dataset has a source (checked on load) — spot-check one.
  const Dataset* grid = d.library.Find("grid-electricity", "2025.12");
  ASSERT_NE(grid, nullptr);
  for (const FactorRow& r : grid->rows()) EXPECT_FALSE(r.source.empty());
}

TEST(ReferenceStoreTest, ABrokenDatasetIsReportedWithFileAndLine) {
  fs::path dir = fs::temp_directory_path() / ("cl-data-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(CL_SOURCE_DATA_DIR, dir, fs::copy_options::recursive);
  {
    std::ofstream out(dir / "reference" / "heat" / "2019.csv", std::ios::app);
    out << "purchased_heat,ef,0.2,tCO2/GJ,CN,,,another source,S,overlaps the first row\n";
  }
  auto data = LoadReferenceData(dir.string());
  fs::remove_all(dir);
  ASSERT_FALSE(data.ok());
  std::string all = data.errors().ToString();
  EXPECT_NE(all.find("heat/2019.csv:3:6: valid_from: validity overlaps line 2"), std::string::npos)
      << all;
}

}  // namespace
}  // namespace cl
