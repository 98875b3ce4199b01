// The programme's calendar, read from data/programme.toml: when a year's
// inventory is due. Plain values: safe to copy and to share between threads
// once loaded.
#pragma once

#include <chrono>
#include <string>

#include "core/error.h"
#include "core/timezone.h"

namespace cl {

struct ProgrammeCalendar {
  // An inventory of year Y is due by this month and day of year Y + 1.
  unsigned inventory_due_month = 3;
  unsigned inventory_due_day = 31;
  // The calendar of the due day.
  TimeZone time_zone;
  // The day an inventory of `year` is due.
  std::chrono::year_month_day InventoryDue(int year) const {
    return std::chrono::year{year + 1} / std::chrono::month{inventory_due_month} /
           std::chrono::day{inventory_due_day};
  }
  // Whether the due day of `year` has passed at `now`: from the next day on,
  // in the programme's time zone.
  bool PastDue(int year, Instant now) const {
    return time_zone.DayOf(now) > std::chrono::sys_days{InventoryDue(year)};
  }
};

// Reads <data_dir>/programme.toml (core/settings.h): every key required, a
// due day that every year has (not 29 February), unknown keys refused; every
// mistake at once with file:line:column.
Result<ProgrammeCalendar> LoadProgrammeCalendar(const std::string& data_dir);

}  // namespace cl
