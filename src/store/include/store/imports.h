// Import batches, their rejected rows, and the named column mappings imports use.
//
// Part of the store (store.h): obtained from Store::Imports(), valid as long as
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

class ImportsRepository {
 public:
  virtual ~ImportsRepository() = default;

  // Import batches and their rejected rows.
  virtual Result<int64_t> CreateBatch(BatchRecord batch, const Actor& by) = 0;
  virtual Status FinishBatch(const BatchRecord& batch, const Actor& by) = 0;
  virtual Result<std::optional<BatchRecord>> GetBatch(int64_t id) = 0;
  virtual Result<std::vector<BatchRecord>> ListBatches() = 0;
  virtual Status AddRejects(const std::vector<RejectRecord>& rejects) = 0;
  virtual Result<std::vector<RejectRecord>> ListRejects(int64_t batch_id) = 0;
  // At most `limit` rejects of a batch in order, after the first `offset`.
  virtual Result<std::vector<RejectRecord>> ListRejectsPage(int64_t batch_id, int64_t offset,
                                                            int limit) = 0;

  // Named column mappings for imports (JSON text), audited.
  virtual Status PutMappingProfile(const std::string& name, const std::string& kind,
                                   const std::string& definition, const Actor& by) = 0;
  virtual Result<std::optional<std::string>> GetMappingProfile(const std::string& name,
                                                               const std::string& kind) = 0;
};

}  // namespace cl
