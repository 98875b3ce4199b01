#include "core/timestamp.h"

#include <charconv>
#include <cstdio>

namespace cl {
namespace {

bool Digits(std::string_view s, size_t pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Parses the offset suffix at `pos`; returns false on malformed text.
bool ParseOffset(std::string_view s, size_t pos, std::optional<std::chrono::minutes>& offset) {
  if (pos == s.size()) return true;
  if (s[pos] == 'Z' && pos + 1 == s.size()) {
    offset = std::chrono::minutes(0);
    return true;
  }
  if (s[pos] != '+' && s[pos] != '-') return false;
  int sign = s[pos] == '-' ? -1 : 1;
  int hh = 0;
  int mm = 0;
  if (!Digits(s, pos + 1, 2, hh)) return false;
  size_t rest = pos + 3;
  if (rest < s.size() && s[rest] == ':') ++rest;
  if (rest < s.size() && !Digits(s, rest, 2, mm)) return false;
  if (rest < s.size() && rest + 2 != s.size()) return false;
  if (hh > 14 || mm > 59) return false;
  offset = std::chrono::minutes(sign * (hh * 60 + mm));
  return true;
}

}  // namespace

Result<Instant> ParseInstant(std::string_view s,
                             std::optional<std::chrono::minutes> default_offset) {
  auto fail = [&](const char* why) {
    return Error::InvalidInput("'" + std::string(s) + "' is not a timestamp: " + why +
                               " (write 2023-01-31T00:15:00+08:00)");
  };
  int y = 0;
  int mo = 0;
  int d = 0;
  int h = 0;
  int mi = 0;
  int sec = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 16 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi)) {
    return fail("expected YYYY-MM-DDTHH:MM");
  }
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, sec)) return fail("bad seconds");
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;  // sub-second ignored
    }
  }
  std::optional<std::chrono::minutes> offset;
  if (!ParseOffset(s, pos, offset)) return fail("bad UTC offset");
  if (!offset) offset = default_offset;
  if (!offset) return fail("no UTC offset and no time zone to assume");
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(mo)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 24 || mi > 59 || sec > 60 || (h == 24 && (mi != 0 || sec != 0))) {
    return fail("no such date or time");
  }
  auto local = std::chrono::sys_days{ymd} + std::chrono::hours(h) + std::chrono::minutes(mi) +
               std::chrono::seconds(sec);
  return static_cast<Instant>(local - *offset);
}

std::string FormatInstant(Instant t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  std::chrono::hh_mm_ss hms(t - days);
  char buf[32];
  (void)std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                      static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                      static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                      static_cast<int>(hms.minutes().count()),
                      static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string NowUtc() {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return FormatInstant(now);
}

}  // namespace cl
