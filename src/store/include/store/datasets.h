// Reference dataset versions published through the API.
//
// Part of the store (store.h): obtained from Store::Datasets(), valid as long as
// the Store it came from, on that Store's connection, so it follows the
// Store's thread rule: one thread at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class DatasetsRepository {
 public:
  virtual ~DatasetsRepository() = default;

  // Reference dataset versions published through the API: added once, never
  // changed (kConflict when the version exists), audited.
  virtual Status AddDatasetVersion(const DatasetVersionRecord& record, const Actor& by) = 0;
  virtual Result<std::vector<DatasetVersionRecord>> ListDatasetVersions() = 0;
};

}  // namespace cl
