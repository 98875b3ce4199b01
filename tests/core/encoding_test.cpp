#include "core/encoding.h"

#include <gtest/gtest.h>

namespace cl {
namespace {

TEST(EncodingTest, KeepsUtf8AndDropsTheBom) {
  Result<DecodedText> plain = DecodeText("单位编号,a\n", "f.csv");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->encoding, "UTF-8");
  Result<DecodedText> bom = DecodeText("\xEF\xBB\xBF单位编号\n", "f.csv");
  ASSERT_TRUE(bom.ok());
  EXPECT_EQ(bom->encoding, "UTF-8 with BOM");
  EXPECT_EQ(bom->utf8, "单位编号\n");
}

TEST(EncodingTest, DecodesGbkAsExcelSavesIt) {
  // "天然气" in GBK: CC EC C8 BB C6 F8
  Result<DecodedText> gbk = DecodeText("\xCC\xEC\xC8\xBB\xC6\xF8", "f.csv");
  ASSERT_TRUE(gbk.ok());
  EXPECT_EQ(gbk->encoding, "GB18030");
  EXPECT_EQ(gbk->utf8, "天然气");
  EXPECT_EQ(*EncodeGb18030("天然气"), "\xCC\xEC\xC8\xBB\xC6\xF8");
}

TEST(EncodingTest, RejectsBytesThatAreNeitherNamingTheLine) {
  Result<DecodedText> bad = DecodeText("ok\nok\n\x81\x20\xFF", "f.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where().line, 3);
}

TEST(EncodingTest, ValidatesUtf8Strictly) {
  EXPECT_TRUE(IsValidUtf8("abc 碳"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE7\xA2"));      // truncated
}

}  // namespace
}  // namespace cl
