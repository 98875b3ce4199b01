#include "accounting/profile.h"

#include <gtest/gtest.h>

#include "support/data_files.h"

namespace cl {
namespace {

using testing_support::ReadData;

TEST(ProfileTest, ReadsTheShippedProfiles) {
  Result<Profile> sh = ParseProfile(ReadData("methodologies/shanghai.toml"), "shanghai.toml");
  ASSERT_TRUE(sh.ok()) << sh.error().ToString();
  EXPECT_EQ(sh->gwp_set, "AR5");
  EXPECT_FALSE(sh->headline_market);
  ASSERT_EQ(sh->location_instruments.size(), 1u);
  EXPECT_EQ(sh->location_instruments[0].instrument, "green_power_interprovincial");
  EXPECT_EQ(sh->tce_keys.at("natural_gas"), "natural_gas_oilfield");

  Result<Profile> ghg =
      ParseProfile(ReadData("methodologies/ghg-protocol.toml"), "ghg-protocol.toml");
  ASSERT_TRUE(ghg.ok()) << ghg.error().ToString();
  EXPECT_TRUE(ghg->headline_market);
  EXPECT_FALSE(ghg->deduct_exports);
  ASSERT_TRUE(ghg->electricity_market_residual.has_value());
  EXPECT_EQ(ghg->electricity_market_residual->key, "grid_excl_market_nonfossil");
}

TEST(ProfileTest, RejectsBadValuesNamingTheKey) {
  std::string text = ReadData("methodologies/cn-national.toml");
  std::string bad = text;
  bad.replace(bad.find("gwp_set = \"AR5\""), 15, "gwp_set = \"AR9\"");
  Result<Profile> p = ParseProfile(bad, "cn.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().where().field, "gwp_set");
  EXPECT_NE(p.error().message().find("'AR9' is not one of: AR4, AR5, AR6"), std::string::npos);
}

TEST(ProfileTest, ReportsTomlSyntaxErrorsWithLine) {
  Result<Profile> p = ParseProfile("id = \"x\"\nname_zh = \n", "broken.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().where().file, "broken.toml");
  EXPECT_EQ(p.error().where().line, 2);
}

TEST(ProfileTest, MarketHeadlineNeedsAMarketSection) {
  std::string text = ReadData("methodologies/cn-national.toml");
  text.replace(text.find("scope2_headline = \"location\""), 28, "scope2_headline = \"market\"");
  Result<Profile> p = ParseProfile(text, "cn.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().where().field, "scope2_headline");
}

TEST(ProfileTest, UnknownKeysAndEveryMistakeAreNamedWithTheirPlace) {
  std::string text = ReadData("methodologies/cn-national.toml");
  text.replace(text.find("gwp_set = \"AR5\""), 15, "gwp_set = 5");
  text += "\n[heat_extra]\ndataset = \"heat\"\n";
  Result<Profile> p = ParseProfile(text, "cn.toml");
  ASSERT_FALSE(p.ok());
  const std::string& message = p.error().message();
  EXPECT_NE(message.find("cn.toml:6:11: gwp_set: must be a string"), std::string::npos) << message;
  EXPECT_NE(message.find(": heat_extra: unknown key"), std::string::npos) << message;
}

}  // namespace
}  // namespace cl
