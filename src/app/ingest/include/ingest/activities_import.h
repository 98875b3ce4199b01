// Importing activity records (bills, manual entries) into the store as one
// batch (docs/ingest.md): rows with errors become the batch's rejects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "refdata/reference_store.h"

namespace cl {

// activities.csv (the inventory template, plus an optional meter_id column)
// into the store as one batch: rows with errors go to the batch's rejects.
// `units`, when set, limits the rows to those units (an API caller's
// tenants, possibly none); rows of other units are rejected as unknown units.
Result<ImportResult> ImportActivities(
    Store& store, const ReferenceData& data, const std::string& path, const Actor& by,
    const std::optional<std::vector<std::string>>& units = std::nullopt);

}  // namespace cl
