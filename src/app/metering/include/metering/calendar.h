// Day and month numbers of the local calendar that the metering use cases
// count in: a day is days since 1970-01-01, a month is year * 12 + month - 1.
#pragma once

#include <chrono>
#include <cstdint>

#include "core/period.h"

namespace cl::metering {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

inline int32_t DayNumber(Date d) {
  return static_cast<int32_t>(sys_days{d}.time_since_epoch().count());
}
inline Date DateOf(int32_t day) { return sys_days{days{day}}; }
inline int MonthIndex(Date d) {
  return static_cast<int>(d.year()) * 12 + static_cast<int>(static_cast<unsigned>(d.month())) - 1;
}

}  // namespace cl::metering
