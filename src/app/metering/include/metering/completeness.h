// How complete every meter's readings are (the programme office's
// completeness view): readings due against readings stored, per meter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/timestamp.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h: the use cases below take a connection

// How complete a meter's readings are for a year: the readings due up to
// the end of the last whole local day before `now` in the meter's time zone
// (today is not due yet), from 1 January or the meter's first stored day if
// later; stored from the month totals the importer keeps (monthly meters:
// their readings).
struct MeterCompleteness {
  std::string meter_id, unit_id, site_id, carrier, interval;
  int64_t expected = 0, stored = 0;
  std::optional<double> coverage;         // stored / expected; none when nothing is due
  std::string last_month;                 // the last month with readings, "" if none
  std::vector<std::string> short_months;  // months due with fewer readings than expected
  int gap_chunks = 0;       // chunks with a gap between readings: days (months for daily meters)
  int incomplete_days = 0;  // days below the daily completeness limit, or missing
  // not_due, no_data, late (nothing in the last month due), incomplete (a
  // short month or incomplete days), gaps, complete
  std::string status;
};
// `coverage_ok` is the share of expected readings at which a month counts
// as complete (from the VEE settings the caller passes); `units`, when set,
// limits the meters to those units.
Result<std::vector<MeterCompleteness>> BuildCompleteness(
    Store& store, int year, Instant now, double coverage_ok,
    const std::optional<std::vector<std::string>>& units = std::nullopt);

}  // namespace cl
