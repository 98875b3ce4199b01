#include "core/csv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/text_stream.h"

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

// Every record and error of `text` read through a CsvStream in blocks of `block` bytes.
CsvTable Streamed(const std::string& text, size_t block) {
  const auto path =
      std::filesystem::temp_directory_path() /
      ("csv_stream_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
       std::to_string(block) + ".csv");
  std::ofstream(path, std::ios::binary) << text;
  CsvTable out;
  auto stream = TextStream::Open(path.string(), block);
  EXPECT_TRUE(stream.ok());
  if (!stream.ok()) return out;
  CsvStream csv(**stream, "f.csv");
  CsvRecord r;
  for (;;) {
    auto more = csv.Next(r, out.errors);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    out.records.push_back(r);
  }
  std::filesystem::remove(path);
  return out;
}

TEST(CsvTest, StreamReadsAsParseCsvAtAnyBlockSize) {
  const std::vector<std::string> texts = {
      "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n",
      "h\n\"a\nb\nc\"\nnext\n",
      "h1,h2\n\n,\n1,2\n,,\n",
      "h\nok\n\"never closed\n",
      "a,b\n1,x\"y\n2,\"z\"w\n",
      "a,b\r1,2\r\r3,4",
      "a,\"\"\n\"\"\"\",b\r\n",
  };
  for (const std::string& text : texts) {
    const CsvTable whole = ParseCsv(text, "f.csv");
    for (size_t block : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{1} << 12}) {
      const CsvTable part = Streamed(text, block);
      ASSERT_EQ(part.records.size(), whole.records.size()) << text << " block " << block;
      for (size_t i = 0; i < whole.records.size(); ++i) {
        EXPECT_EQ(part.records[i].line, whole.records[i].line) << text << " block " << block;
        EXPECT_EQ(part.records[i].fields, whole.records[i].fields) << text << " block " << block;
      }
      EXPECT_EQ(part.errors.ToString(), whole.errors.ToString()) << text << " block " << block;
    }
  }
}

TEST(CsvTest, StreamEndsARecordWhoseQuoteStaysOpenTooLong) {
  std::string text = "a,b\n1,\"open\n";
  text += std::string(CsvStream::kLongestRecord + 16, 'x') + "\n2,3\n";
  const CsvTable t = Streamed(text, size_t{1} << 16);
  ASSERT_EQ(t.errors.size(), 1u);
  EXPECT_EQ(t.errors.errors()[0].where().line, 2);
  ASSERT_GE(t.records.size(), 3u);
  EXPECT_EQ(t.records.back().line, 4);
  EXPECT_EQ(t.records.back().fields, (std::vector<std::string>{"2", "3"}));
}

TEST(CsvTest, EscapesForOutput) {
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"x\""), "\"say \"\"x\"\"\"");
}

}  // namespace
}  // namespace cl
