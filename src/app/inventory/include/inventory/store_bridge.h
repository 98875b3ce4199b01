// The bridge from the store to an inventory's input (docs/ingest.md
// §Bridge): a unit's activity records plus one monthly record per meter for
// every month that no record already covers.
#pragma once

#include <string>
#include <vector>

#include "accounting/model.h"
#include "core/error.h"
#include "formats/vee_settings.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h: the use cases below take a connection

// The inventory input for `year` from the store: its units, its activity
// records, and a monthly record per meter for every month and scope that no
// record already covers (docs/ingest.md §Bridge), so that a meter is never
// counted twice. Typed throughout: the records are checked into the engine's
// input by LoadInput (inventory/compute.h) without any text in between.
struct StoreInput {
  std::vector<ReportingUnit> units;  // source "store:units", lines from 2 in store order
  std::vector<ActivityRow> rows;     // the records in the year, then the meter months
  int meter_months = 0;              // monthly records made from readings
  int skipped_months = 0;            // meter months left out because a record covers them
};
// `unit_id`, when not empty, takes that unit only.
Result<StoreInput> BuildStoreInput(Store& store, const VeeSettings& vee, int year,
                                   const std::string& unit_id = "");

}  // namespace cl
