#include "core/period.h"

#include <charconv>
#include <cstdio>

namespace cl {
namespace {

bool ParseInt(std::string_view s, int& out) {
  if (s.empty() || s.size() > 4) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  auto fail = [&] {
    return Error::InvalidInput("'" + std::string(text) +
                               "' is not a date; write YYYY-MM-DD, e.g. 2023-01-31");
  };
  char sep = 0;
  for (char c : text) {
    if (c == '-' || c == '/' || c == '.') {
      sep = c;
      break;
    }
  }
  if (sep == 0) return fail();
  size_t a = text.find(sep);
  size_t b = text.find(sep, a + 1);
  if (b == std::string_view::npos || text.find(sep, b + 1) != std::string_view::npos) {
    return fail();
  }
  int y = 0;
  int m = 0;
  int d = 0;
  if (!ParseInt(text.substr(0, a), y) || !ParseInt(text.substr(a + 1, b - a - 1), m) ||
      !ParseInt(text.substr(b + 1), d) || a != 4) {
    return fail();
  }
  Date date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
            std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) {
    return Error::InvalidInput("'" + std::string(text) + "' is not a calendar date");
  }
  return date;
}

std::string FormatMonth(Date d) {
  char buf[16];
  (void)std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(d.year()),
                      static_cast<unsigned>(d.month()));
  return buf;
}

std::string FormatDate(Date d) {
  char buf[16];
  (void)std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                      static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

int Period::Days() const {
  auto days = std::chrono::sys_days{end} - std::chrono::sys_days{start};
  return static_cast<int>(days.count()) + 1;
}

Period CalendarYear(int year) {
  using std::chrono::day;
  using std::chrono::December;
  using std::chrono::January;
  return {Date{std::chrono::year(year), January, day(1)},
          Date{std::chrono::year(year), December, day(31)}};
}

}  // namespace cl
