// Import batches as use cases: a batch, the batches, a batch's rejected rows,
// and the saved column mappings imports use.
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

Result<std::optional<BatchRecord>> GetBatch(Store& store, int64_t id);
Result<std::vector<BatchRecord>> ListBatches(Store& store);
Result<std::vector<RejectRecord>> ListRejects(Store& store, int64_t batch_id);
// At most `limit` rejects of a batch, after the first `offset`.
Result<std::vector<RejectRecord>> ListRejectsPage(Store& store, int64_t batch_id, int64_t offset,
                                                  int limit);
Result<std::optional<std::string>> GetMappingProfile(Store& store, const std::string& name,
                                                     const std::string& kind);

}  // namespace cl
