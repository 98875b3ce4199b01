#include "core/csv.h"

#include <gtest/gtest.h>

namespace cl {
namespace {

TEST(CsvTest, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  CsvTable t = ParseCsv("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n", "f.csv");
  ASSERT_TRUE(t.errors.empty()) << t.errors.ToString();
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[1].fields[1], "x, y");
  EXPECT_EQ(t.records[1].fields[2], "say \"hi\"");
  EXPECT_EQ(t.records[2].fields[1], "two\nlines");
  EXPECT_EQ(t.records[2].line, 3);
}

TEST(CsvTest, CountsPhysicalLinesAcrossMultilineFields) {
  CsvTable t = ParseCsv("h\n\"a\nb\nc\"\nnext\n", "f.csv");
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[2].line, 5);
}

TEST(CsvTest, SkipsBlankAndAllEmptyLines) {
  CsvTable t = ParseCsv("h1,h2\n\n,\n1,2\n,,\n", "f.csv");
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[1].line, 4);
}

TEST(CsvTest, ReportsUnclosedQuoteWithItsStart) {
  CsvTable t = ParseCsv("h\nok\n\"never closed\n", "f.csv");
  ASSERT_EQ(t.errors.size(), 1u);
  EXPECT_EQ(t.errors.errors()[0].where().line, 3);
  EXPECT_EQ(t.errors.errors()[0].ToString(),
            "f.csv:3:1: quoted field is never closed (opened here)");
}

TEST(CsvTest, ReportsStrayQuotesWithColumn) {
  CsvTable t = ParseCsv("a,b\n1,x\"y\n2,\"z\"w\n", "f.csv");
  ASSERT_EQ(t.errors.size(), 2u);
  EXPECT_EQ(t.errors.errors()[0].where().column, 2);
  EXPECT_EQ(t.errors.errors()[1].where().line, 3);
}

TEST(CsvTest, EscapesForOutput) {
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"x\""), "\"say \"\"x\"\"\"");
}

}  // namespace
}  // namespace cl
