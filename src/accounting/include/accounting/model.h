// What an inventory is computed from: reporting units (legal entities) and
// their activity records. Records are validated when read (app/templates.h);
// the engine trusts their shape and checks only what needs reference data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounting/catalog.h"
#include "core/period.h"
#include "core/units.h"

namespace cl {

struct ReportingUnit {
  std::string id;
  std::string credit_code;  // valid per GB 32100-2015
  std::string name_zh;
  std::string name_en;
  std::string province;  // GB/T 2260 code
  std::string city;
  std::string district;
  std::string industry_code;            // GB/T 4754
  std::optional<double> floor_area_m2;  // gross floor area, for comparisons per m²
  std::string source_file;
  int line = 0;
};

enum class DataSource { kMeter, kBill, kManual, kEstimate };
const char* DataSourceName(DataSource s);

enum class Instrument { kNone, kGreenPowerInterprovincial, kGreenPowerContract, kGec };
const char* InstrumentName(Instrument i);

struct ActivityRecord {
  std::string id;  // "activities.csv:12": file and line
  std::string source_file;
  int line = 0;
  int unit_index = 0;  // into InventoryInput::units
  std::string site_id;
  const ActivityType* type = nullptr;
  std::string qualifier;  // gas, product, scope 3 category, biomass name
  bool mobile = false;    // "diesel:mobile"
  int iso_category = 0;   // ISO 14064-1 category when not the type's (scope 3)
  Measured quantity;
  Period period;
  DataSource data_source = DataSource::kBill;
  Instrument instrument = Instrument::kNone;
  std::vector<std::string> instrument_ids;
  std::optional<Measured> factor;  // user-supplied, with its unit
  std::string note;
  std::string meter_id;  // the meter a bill is for, when named
  // The cells as written, for storing the record as the user sent it.
  struct Cells {
    std::string activity, unit_of_measure, data_source, instrument, instrument_ids, factor_unit;
  } cells;
};

struct InventoryInput {
  int year = 0;
  std::vector<ReportingUnit> units;
  std::vector<ActivityRecord> records;
  // Electricity at an equal-value coefficient (kgce/kWh) instead of 0.1229.
  std::optional<Measured> electricity_equal_value;
};

}  // namespace cl
