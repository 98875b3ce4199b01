#include "refdata/published_datasets.h"

#include "store/store.h"

namespace cl {

Result<std::vector<DatasetVersionRecord>> ListDatasetVersions(Store& store) {
  return store.Datasets().ListDatasetVersions();
}

Status AddDatasetVersion(Store& store, const DatasetVersionRecord& record, const Actor& by) {
  return store.Datasets().AddDatasetVersion(record, by);
}

}  // namespace cl
