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
// into the store as one batch in one transaction: rows with errors go to the
// batch's rejects (the first `options.max_rejects_kept` kept, all counted).
// The file is read as a stream, each row checked and written as it comes, so
// memory does not grow with the file. `options.units`, when set, limits the
// rows to those units (an API caller's tenants, possibly none); rows of other
// units are rejected as unknown units. Only `actor`, `units`, `progress` and
// `max_rejects_kept` of the options are used. Fails (storing nothing) when
// the file cannot be opened or the store fails.
Result<ImportResult> ImportActivities(Store& store, const ReferenceData& data,
                                      const std::string& path, const ImportOptions& options);

// The same with the default options for `by` and `units`.
Result<ImportResult> ImportActivities(
    Store& store, const ReferenceData& data, const std::string& path, const Actor& by,
    const std::optional<std::vector<std::string>>& units = std::nullopt);

}  // namespace cl
