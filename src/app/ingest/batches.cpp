#include "ingest/batches.h"

#include "store/store.h"

namespace cl {

Result<std::optional<BatchRecord>> GetBatch(Store& store, int64_t id) {
  return store.Imports().GetBatch(id);
}

Result<std::vector<BatchRecord>> ListBatches(Store& store) { return store.Imports().ListBatches(); }

Result<std::vector<RejectRecord>> ListRejectsPage(Store& store, int64_t batch_id, int64_t offset,
                                                  int limit) {
  return store.Imports().ListRejectsPage(batch_id, offset, limit);
}

Result<std::vector<RejectRecord>> ListRejects(Store& store, int64_t batch_id) {
  return store.Imports().ListRejects(batch_id);
}

Result<std::optional<std::string>> GetMappingProfile(Store& store, const std::string& name,
                                                     const std::string& kind) {
  return store.Imports().GetMappingProfile(name, kind);
}

}  // namespace cl
