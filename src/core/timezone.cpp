#include "core/timezone.h"

#include <date/tz.h>

#include <stdexcept>

namespace cl {

Result<TimeZone> TimeZone::Find(std::string_view name) {
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(std::string(name), zone);
  } catch (const std::exception&) {
    return Error::InvalidInput("unknown time zone '" + std::string(name) +
                               "' (use an IANA name such as Asia/Shanghai)");
  }
}

LocalDay TimeZone::DayOf(Instant t) const {
  auto info = zone_->get_info(t);
  return std::chrono::floor<std::chrono::days>(t + info.offset);
}

std::chrono::seconds TimeZone::OffsetAt(Instant t) const { return zone_->get_info(t).offset; }

Instant TimeZone::FromLocal(std::chrono::local_seconds t) const {
  auto info = zone_->get_info(date::local_seconds(t.time_since_epoch()));
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:
      return Instant(t.time_since_epoch() - info.first.offset);
    case date::local_info::nonexistent:
      return info.first.end;
  }
  return Instant(t.time_since_epoch() - info.first.offset);
}

Instant TimeZone::StartOf(LocalDay day) const {
  return FromLocal(std::chrono::local_seconds(day.time_since_epoch()));
}

}  // namespace cl
