#include "formats/programme_calendar.h"

#include "core/settings.h"

namespace cl {

Result<ProgrammeCalendar> LoadProgrammeCalendar(const std::string& data_dir) {
  const std::string path = data_dir + "/programme.toml";
  Result<SettingsReader> reader = SettingsReader::Load(path);
  if (!reader.ok()) return reader.error();
  SettingsTable reporting = reader->Root().Table("reporting");
  const auto due_month = static_cast<unsigned>(reporting.Whole("inventory_due_month", {1, 12}));
  const auto due_day = static_cast<unsigned>(reporting.Whole("inventory_due_day", {1, 31}));
  const std::string zone_name = reporting.String("time_zone");
  if (Status done = reader->Finish(); !done.ok()) return done.error();
  auto zone = TimeZone::Find(zone_name);
  if (!zone.ok())
    return Error::InvalidInput(zone.error().message(), {path, 0, 0, "reporting.time_zone"});
  ProgrammeCalendar c{due_month, due_day, *zone};
  // A day every year has: 2001 is not a leap year.
  namespace ch = std::chrono;
  if (!(ch::year{2001} / ch::month{c.inventory_due_month} / ch::day{c.inventory_due_day}).ok())
    return Error::InvalidInput("reporting.inventory_due_day: month " +
                                   std::to_string(c.inventory_due_month) + " has no day " +
                                   std::to_string(c.inventory_due_day) + " every year",
                               {path, 0, 0, "reporting.inventory_due_day"});
  return c;
}

}  // namespace cl
