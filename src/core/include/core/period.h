// Calendar dates and inclusive periods, in the site's local calendar.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cl {

using Date = std::chrono::year_month_day;

// "2023-01-31", "2023/1/31" or "2023.1.31"; fails on anything else or an
// impossible date (2023-02-30).
Result<Date> ParseDate(std::string_view text);
std::string FormatDate(Date d);
// "2025-03": the calendar month of a date.
std::string FormatMonth(Date d);

// [start, end], both days included.
struct Period {
  Date start;
  Date end;
  bool Contains(Date d) const { return start <= d && d <= end; }
  bool Within(const Period& outer) const { return outer.start <= start && end <= outer.end; }
  bool Overlaps(const Period& o) const { return start <= o.end && o.start <= end; }
  int Days() const;
};

Period CalendarYear(int year);

}  // namespace cl
