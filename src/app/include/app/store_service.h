// Use cases over the store: importing activity records, rolling readings up,
// checking readings against bills, and the bridge that turns the store's
// readings and records into an inventory's input (docs/ingest.md §Bridge).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/ingest.h"
#include "app/inventory_service.h"
#include "app/reference_store.h"
#include "store/store.h"

namespace cl {

// activities.csv (the inventory template, plus an optional meter_id column)
// into the store as one batch: rows with errors go to the batch's rejects.
// `units`, when set, limits the rows to those units (an API caller's
// tenants, possibly none); rows of other units are rejected as unknown units.
Result<ImportResult> ImportActivities(
    Store& store, const ReferenceData& data, const std::string& path, const Actor& by,
    const std::optional<std::vector<std::string>>& units = std::nullopt);

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
Result<MeterReadings> ReadMeter(Store& store, const MeterRecord& meter, Date from, Date to);

// The inventory input for `year` from the store: its units, its activity
// records, and a monthly record per meter for every month and scope that no
// record already covers (docs/ingest.md §Bridge), so that a meter is never
// counted twice.
struct StoreInput {
  std::string units_csv;
  std::string activities_csv;
  int meter_months = 0;    // monthly records made from readings
  int skipped_months = 0;  // meter months left out because a record covers them
};
// `unit_id`, when not empty, takes that unit only.
Result<StoreInput> BuildStoreInput(Store& store, const VeeSettings& vee, int year,
                                   const std::string& unit_id = "");

}  // namespace cl
