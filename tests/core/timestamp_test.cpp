#include "core/timestamp.h"

#include <gtest/gtest.h>

namespace cl {
namespace {

using std::chrono::minutes;

TEST(TimestampTest, ReadsOffsetsAndConvertsToUtc) {
  EXPECT_EQ(FormatInstant(*ParseInstant("2015-11-22T00:00:00-06:00")), "2015-11-22T06:00:00Z");
  EXPECT_EQ(FormatInstant(*ParseInstant("2023-01-01T00:15+08:00")), "2022-12-31T16:15:00Z");
  EXPECT_EQ(FormatInstant(*ParseInstant("2023-01-01 08:00:00Z")), "2023-01-01T08:00:00Z");
  EXPECT_EQ(FormatInstant(*ParseInstant("2023-01-01T08:00:00.250+0800")), "2023-01-01T00:00:00Z");
}

TEST(TimestampTest, UsesTheSiteOffsetWhenTextHasNone) {
  EXPECT_EQ(FormatInstant(*ParseInstant("2023-06-01T00:00:00", minutes(480))),
            "2023-05-31T16:00:00Z");
  EXPECT_FALSE(ParseInstant("2023-06-01T00:00:00").ok());
}

TEST(TimestampTest, RejectsMalformedText) {
  EXPECT_FALSE(ParseInstant("2023-02-30T00:00:00Z").ok());
  EXPECT_FALSE(ParseInstant("2023-01-01T25:00:00Z").ok());
  EXPECT_FALSE(ParseInstant("2023-01-01").ok());
  EXPECT_FALSE(ParseInstant("2023-01-01T00:00:00+8").ok());
  EXPECT_FALSE(ParseInstant("2023-01-01T00:00:00 junk").ok());
}

}  // namespace
}  // namespace cl
