// Time zones of meters and sites (IANA names, from the system's tzdata via
// Howard Hinnant's date library, which g++ 12's <chrono> lacks).
//
// Readings are stored in UTC; days, months and years follow the local
// calendar of the meter's zone, so a "day" may have 23, 24 or 25 hours.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/timestamp.h"

namespace date {
class time_zone;
}

namespace cl {

using LocalDay = std::chrono::sys_days;  // a local calendar date as a day count

class TimeZone {
 public:
  // "Asia/Shanghai", "UTC", ...; an unknown name is an error naming it.
  static Result<TimeZone> Find(std::string_view name);

  const std::string& name() const { return name_; }
  // The local calendar date of an instant.
  LocalDay DayOf(Instant t) const;
  // The first instant of a local date (local midnight, or the end of a gap).
  Instant StartOf(LocalDay day) const;
  // A local wall-clock time as an instant (earliest of an ambiguous pair,
  // the end of a gap for a time that does not exist).
  Instant FromLocal(std::chrono::local_seconds t) const;
  std::chrono::seconds OffsetAt(Instant t) const;

 private:
  TimeZone(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  const date::time_zone* zone_;
};

}  // namespace cl
