// Metering use cases over the store: rolling readings up by period and group,
// checking readings against bills, a meter's stored readings. Functions only:
// each call uses the Store it is given and keeps no state, so calls on
// different stores may run on several threads at once.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/period.h"
#include "core/timestamp.h"
#include "formats/vee_settings.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h: the use cases below take a connection

// Consumption of one meter per period, keyed by a period number of the grain
// (hour: UTC hour start / 3600 with the local offset; day: local day number;
// month: year*12+month-1; year: the year).
struct Cell {
  double quantity = 0;
  int64_t readings = 0;
};
using MeterCells =
    std::unordered_map<int64_t, std::unordered_map<int64_t, Cell>>;  // meter_no -> period -> cell

enum class RollupGrain { kHour, kDay, kMonth, kYear };
enum class RollupBy { kMeter, kSite, kUnit, kDistrict, kCarrier };
Result<RollupGrain> ParseRollupGrain(std::string_view text);
Result<RollupBy> ParseRollupBy(std::string_view text);

struct RollupRow {
  std::string key;      // meter id, "unit/site", unit id, district or carrier
  std::string carrier;  // electricity, natural_gas, ...
  std::string unit_of_measure;
  std::string period;   // "2025-03-01T08:00" (hour), "2025-03-01", "2025-03", "2025"
  double quantity = 0;  // consumption after multipliers
  int64_t readings = 0;
};

// Consumption between two local dates (inclusive), by grain and group, in
// each meter's local calendar. Rows are ordered by key, carrier, period.
// Adds the consumption of `meters` with local dates in [from, to] to `out`,
// by meter and period of `grain`. Whole chunks inside the range use their
// stored totals; others are decoded.
Status AccumulateMeters(Store& store, const VeeSettings& vee,
                        const std::vector<MeterRecord>& meters, RollupGrain grain, Date from,
                        Date to, MeterCells& out);

Result<std::vector<RollupRow>> Rollup(Store& store, const VeeSettings& vee, RollupGrain grain,
                                      RollupBy by, Date from, Date to);

// A month where a meter's readings and its bill differ by more than the VEE
// limit (stored as a monthly_mismatch flag on the month's first chunk).
struct Mismatch {
  std::string meter_id;
  std::string month;  // "2025-03"
  double readings = 0;
  double bill = 0;  // in the meter's unit of measure
  double gap = 0;   // |readings - bill| / bill
};
Result<std::vector<Mismatch>> CheckMonthlyConsistency(Store& store, const VeeSettings& vee,
                                                      int year);

// A meter's stored readings between two local dates (inclusive), in time
// order, each with the batch that wrote it and its data-quality findings;
// plus the findings about whole days (gaps, missing days).
struct StoredReading {
  Instant at;  // the start of the reading's interval, UTC
  double value = 0;
  int64_t batch = 0;
  std::string flags;  // "spike: ...; register_reset: ..." or empty
};
struct MeterReadings {
  std::vector<StoredReading> readings;
  std::vector<std::string> day_flags;  // "2025-01-07 missing_day: no readings on ..."
};
// `buckets` equal spans of the UTC range `readings` (in time order) fall in,
// each with the min, mean and max of its readings and their count, for
// charts over any range; spans without readings are left out.
struct ReadingBucket {
  Instant start;
  double min = 0, mean = 0, max = 0;
  int64_t count = 0;
};
std::vector<ReadingBucket> BucketReadings(const std::vector<StoredReading>& readings,
                                          int64_t buckets);

Result<MeterReadings> ReadMeter(Store& store, const MeterRecord& meter, Date from, Date to);

}  // namespace cl
