#include "core/period.h"

#include <gtest/gtest.h>

namespace cl {
namespace {

TEST(PeriodTest, ParsesIsoAndExcelDates) {
  EXPECT_EQ(FormatDate(*ParseDate("2023-01-31")), "2023-01-31");
  EXPECT_EQ(FormatDate(*ParseDate("2023/1/5")), "2023-01-05");
  EXPECT_EQ(FormatDate(*ParseDate("2023.12.1")), "2023-12-01");
}

TEST(PeriodTest, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseDate("2023-02-30").ok());
  EXPECT_FALSE(ParseDate("23-01-01").ok());
  EXPECT_FALSE(ParseDate("2023-01").ok());
  EXPECT_FALSE(ParseDate("yesterday").ok());
  EXPECT_FALSE(ParseDate("2023-01-01-01").ok());
}

TEST(PeriodTest, YearContainsAndCounts) {
  Period y = CalendarYear(2024);
  EXPECT_EQ(y.Days(), 366);  // leap year
  EXPECT_TRUE(y.Contains(*ParseDate("2024-02-29")));
  EXPECT_FALSE(y.Contains(*ParseDate("2025-01-01")));
  Period q1{*ParseDate("2024-01-01"), *ParseDate("2024-03-31")};
  EXPECT_TRUE(q1.Within(y));
  EXPECT_EQ(q1.Days(), 91);
}

}  // namespace
}  // namespace cl
