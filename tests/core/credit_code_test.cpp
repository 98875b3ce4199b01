#include "core/credit_code.h"

#include <gtest/gtest.h>

namespace cl {
namespace {

// Check characters computed by hand with GB 32100-2015 §4 (weights 3^(i-1) mod 31):
// 91310000MA1FL8LA4 -> sum of value×weight = 1960; 1960 mod 31 = 7; 31 - 7 = 24 -> 'Q'.
TEST(CreditCodeTest, ComputesTheCheckCharacter) {
  EXPECT_EQ(CreditCodeCheckCharacter("91310000MA1FL8LA4"), 'Q');
  EXPECT_TRUE(ValidateCreditCode("91310000MA1FL8LA4Q").ok());
}

TEST(CreditCodeTest, AcceptsCodesUsedInTheGoldenCases) {
  EXPECT_TRUE(ValidateCreditCode("9131011513572468XU").ok());
  EXPECT_TRUE(ValidateCreditCode("91310000246813570M").ok());
}

TEST(CreditCodeTest, RejectsWithTheRuleThatFailed) {
  Status wrong_check = ValidateCreditCode("91310000MA1FL8LA4B");
  ASSERT_FALSE(wrong_check.ok());
  EXPECT_NE(wrong_check.error().message().find("should be 'Q'"), std::string::npos);
  Status short_code = ValidateCreditCode("9131000");
  ASSERT_FALSE(short_code.ok());
  EXPECT_NE(short_code.error().message().find("18"), std::string::npos);
  Status bad_char = ValidateCreditCode("91310000MA1FL8LI4Q");  // I is not in the set
  ASSERT_FALSE(bad_char.ok());
  EXPECT_NE(bad_char.error().message().find("character 16"), std::string::npos);
}

}  // namespace
}  // namespace cl
