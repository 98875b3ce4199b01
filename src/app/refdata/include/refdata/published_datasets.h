// Reference dataset versions published through the API, as use cases:
// listed, and a new version added (checked with CheckDatasetVersion first).
//
// Each function runs on the Store (one connection) it is given and keeps no
// state: calls on different connections may run on several threads at once.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h

Result<std::vector<DatasetVersionRecord>> ListDatasetVersions(Store& store);
Status AddDatasetVersion(Store& store, const DatasetVersionRecord& record, const Actor& by);

}  // namespace cl
