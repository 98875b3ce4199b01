// The strict settings reader (core/settings.h): exact types, ranges, whole
// numbers never truncated, unknown keys, and every error with its place.
#include "core/settings.h"

#include <gtest/gtest.h>

namespace cl {
namespace {

SettingsReader Parse(const std::string& text) {
  Result<SettingsReader> r = SettingsReader::Parse(text, "s.toml");
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return std::move(r).value();
}

// Every error of the reader, one "file:line:column: key: message" per line.
std::string Errors(SettingsReader& r) {
  (void)r.Finish();
  return r.errors().ToString();
}

TEST(SettingsTest, ReadsEveryType) {
  SettingsReader r = Parse(R"(name = "x"
ratio = 0.25
count = 3
whole_as_number = 4
on = true
tags = ["a", "b"]
bins = [30, 45.5]
[section]
inner = "y"
[map]
k1 = "v1"
[[rows]]
id = 1
[[rows]]
id = 2
)");
  SettingsTable root = r.Root();
  EXPECT_EQ(root.String("name"), "x");
  EXPECT_EQ(root.Number("ratio", Range::Open(0, 1)), 0.25);
  EXPECT_EQ(root.Whole("count", {0, 10}), 3);
  EXPECT_EQ(root.Number("whole_as_number", Range::Closed(0, 10)), 4.0);  // an integer is a number
  EXPECT_TRUE(root.Bool("on"));
  EXPECT_EQ(root.Strings("tags"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(root.Numbers("bins", Range::Closed(0, 100)), (std::vector<double>{30, 45.5}));
  EXPECT_EQ(root.Table("section").String("inner"), "y");
  EXPECT_EQ(root.StringMap("map").at("k1"), "v1");
  std::vector<SettingsTable> rows = root.Tables("rows");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Whole("id", {0, 9}), 1);
  EXPECT_EQ(rows[1].Whole("id", {0, 9}), 2);
  EXPECT_EQ(rows[1].name(), "rows[1]");
  EXPECT_FALSE(root.OptionalString("absent").has_value());
  EXPECT_FALSE(root.OptionalWhole("absent", {0, 1}).has_value());
  EXPECT_FALSE(root.OptionalTable("absent").has_value());
  EXPECT_TRUE(root.OptionalTables("absent").empty());
  EXPECT_TRUE(r.Finish().ok()) << r.errors().ToString();
}

TEST(SettingsTest, ANumberWhereAWholeNumberIsExpectedIsRefusedNotTruncated) {
  SettingsReader r = Parse("days = 2.5\nweeks = 2.0\n");
  SettingsTable root = r.Root();
  EXPECT_EQ(root.Whole("days", {1, 10}), 0);
  root.Whole("weeks", {1, 10});
  const std::string text = Errors(r);
  EXPECT_NE(text.find("s.toml:1:8: days: must be a whole number from 1 to 10"), std::string::npos)
      << text;
  EXPECT_NE(text.find("s.toml:2:9: weeks: must be a whole number from 1 to 10"), std::string::npos)
      << text;
}

TEST(SettingsTest, RangesAreCheckedAndPrintedAsWritten) {
  SettingsReader r = Parse("a = 0\nb = 1e12\nc = -3\nd = 1\ne = 0.5\n");
  SettingsTable root = r.Root();
  root.Number("a", Range::Open(0, 1));
  root.Number("b", Range::Closed(0.01, 1e9));
  root.Whole("c", {0, 65536});
  root.Number("d", Range{0, 1, false, true});
  EXPECT_EQ(root.Number("e", Range::Closed(0.5, 0.5)), 0.5);  // bounds included
  const std::string text = Errors(r);
  EXPECT_NE(text.find("s.toml:1:5: a: must be a number above 0 and below 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("s.toml:2:5: b: must be a number from 0.01 to 1000000000"), std::string::npos)
      << text;
  EXPECT_NE(text.find("s.toml:3:5: c: must be a whole number from 0 to 65536"), std::string::npos)
      << text;
  EXPECT_NE(text.find("s.toml:4:5: d: must be a number at least 0 and below 1"), std::string::npos)
      << text;
  EXPECT_EQ(r.errors().size(), 4u) << text;
}

TEST(SettingsTest, NanAndInfAreRefused) {
  SettingsReader r = Parse("a = nan\nb = inf\nc = -inf\n");
  SettingsTable root = r.Root();
  for (const char* key : {"a", "b", "c"}) root.Number(key, Range::Closed(-1e300, 1e300));
  EXPECT_EQ(r.Finish().ok(), false);
  EXPECT_EQ(r.errors().size(), 3u) << r.errors().ToString();
}

TEST(SettingsTest, BooleansAreNotNumbersAndNumbersAreNotBooleans) {
  SettingsReader r = Parse("flag = 1\ncount = true\nname = 3\nlevel = \"3\"\n");
  SettingsTable root = r.Root();
  root.Bool("flag");
  root.Whole("count", {0, 10});
  root.String("name");
  root.Number("level", Range::Closed(0, 10));
  const std::string text = Errors(r);
  EXPECT_NE(text.find("s.toml:1:8: flag: must be true or false"), std::string::npos) << text;
  EXPECT_NE(text.find("s.toml:2:9: count: must be a whole number"), std::string::npos) << text;
  EXPECT_NE(text.find("s.toml:3:8: name: must be a string"), std::string::npos) << text;
  EXPECT_NE(text.find("s.toml:4:9: level: must be a number"), std::string::npos) << text;
}

TEST(SettingsTest, UnknownKeysAreErrorsAtTheirKey) {
  SettingsReader r = Parse(R"(known = 1
colour = "green"
[server]
port = 80
prot = 81
[extra]
a = 1
[[rows]]
id = 1
typo = 2
)");
  SettingsTable root = r.Root();
  root.Whole("known", {0, 9});
  root.Table("server").Whole("port", {0, 65535});
  for (SettingsTable row : root.Tables("rows")) row.Whole("id", {0, 9});
  const std::string text = Errors(r);
  // In file order, each at its key; [extra] once, not its keys too.
  EXPECT_EQ(text,
            "s.toml:2:1: colour: unknown key\n"
            "s.toml:5:1: server.prot: unknown key\n"
            "s.toml:6:2: extra: unknown key\n"
            "s.toml:10:1: rows[0].typo: unknown key\n");
}

TEST(SettingsTest, MissingKeysAreErrorsWithTheirDottedName) {
  SettingsReader r = Parse("[grid]\nmin = 1\n");
  SettingsTable grid = r.Root().Table("grid");
  grid.Whole("min", {0, 9});
  grid.Whole("max", {0, 9});
  r.Root().Table("baseline").Whole("days", {1, 9});  // the table is missing, not its keys too
  const std::string text = Errors(r);
  EXPECT_EQ(r.errors().size(), 2u) << text;
  EXPECT_NE(text.find("s.toml:1:1: grid.max: is missing (a whole number from 0 to 9)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("baseline: is missing (a table)"), std::string::npos) << text;
}

TEST(SettingsTest, EveryErrorAtOnceInOneErrorWithTheirPositions) {
  SettingsReader r = Parse("[a]\nx = 2.5\ny = \"no\"\nz = 7\n");
  SettingsTable a = r.Root().Table("a");
  a.Whole("x", {0, 9});
  a.Bool("y");
  Status done = r.Finish();
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().message(),
            "s.toml:2:5: a.x: must be a whole number from 0 to 9\n"
            "s.toml:3:5: a.y: must be true or false\n"
            "s.toml:4:1: a.z: unknown key");
}

TEST(SettingsTest, OneErrorKeepsItsLocation) {
  SettingsReader r = Parse("gwp = \"AR9\"\n");
  r.Root().Choice("gwp", {"AR5", "AR6"});
  Status done = r.Finish();
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().where().field, "gwp");
  EXPECT_EQ(done.error().where().line, 1);
  EXPECT_EQ(done.error().where().column, 7);
  EXPECT_EQ(done.error().message(), "'AR9' is not one of: AR5, AR6");
}

TEST(SettingsTest, ArrayElementsAreCheckedOneByOne) {
  SettingsReader r = Parse("tags = [\"a\", 2]\nbins = [1, 500, 2.5]\n");
  r.Root().Strings("tags");
  r.Root().Numbers("bins", Range::Closed(0, 100));
  const std::string text = Errors(r);
  EXPECT_NE(text.find("tags[1]: must be a string"), std::string::npos) << text;
  EXPECT_NE(text.find("s.toml:2:12: bins[1]: must be a number from 0 to 100"), std::string::npos)
      << text;
  EXPECT_EQ(r.errors().size(), 2u) << text;
}

TEST(SettingsTest, RulesBetweenSettingsFailAtTheKey) {
  SettingsReader r = Parse("min = 5\nmax = 3\n");
  SettingsTable root = r.Root();
  if (root.Whole("min", {0, 9}) > root.Whole("max", {0, 9}))
    root.Fail("max", "must not be below min");
  const std::string text = Errors(r);
  EXPECT_NE(text.find("s.toml:2:7: max: must not be below min"), std::string::npos) << text;
}

TEST(SettingsTest, SyntaxErrorsAndUnreadableFilesAreValues) {
  Result<SettingsReader> bad = SettingsReader::Parse("a = = 1\n", "s.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where().file, "s.toml");
  EXPECT_EQ(bad.error().where().line, 1);
  EXPECT_GT(bad.error().where().column, 0);
  Result<SettingsReader> missing = SettingsReader::Load("/nonexistent/settings.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kIo);
}

}  // namespace
}  // namespace cl
