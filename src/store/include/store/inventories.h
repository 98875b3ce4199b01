// Inventories: versions with their documents and dataset pins, their workflow
// states and the reviews of verifiers.
//
// Part of the store (store.h): obtained from Store::Inventories(), valid as long as
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

class InventoriesRepository {
 public:
  virtual ~InventoriesRepository() = default;

  // Inventories. A submitted inventory is never changed in place (the schema
  // refuses it); a correction is a new version that supersedes it.
  virtual Result<int64_t> CreateInventory(InventoryRecord inventory, const Actor& by) = 0;
  virtual Result<std::optional<InventoryRecord>> GetInventory(int64_t id) = 0;
  // The same without its document (left empty): what deciding who may see
  // it needs, without reading the largest column.
  virtual Result<std::optional<InventoryRecord>> GetInventoryHead(int64_t id) = 0;
  virtual Result<std::vector<InventoryRecord>> ListInventories(const std::string& unit_id) = 0;
  // Records a change of status, audited with the reason; verified and
  // returned also record the review's opinion and structured conclusion;
  // submitted records when. Which steps are allowed is the workflow's rule,
  // not the store's (inventory/inventories.h checks
  // InventoryTransitionAllowed); the schema refuses only a return to draft.
  virtual Status SetInventoryStatus(int64_t id, InventoryStatus to, const Actor& by,
                                    const std::string& reason, const ReviewDetails& review) = 0;
  // The same without a structured conclusion.
  Status SetInventoryStatus(int64_t id, InventoryStatus to, const Actor& by,
                            const std::string& reason) {
    return SetInventoryStatus(id, to, by, reason, ReviewDetails{});
  }
  virtual Result<std::vector<ReviewRecord>> ListReviews(int64_t inventory_id) = 0;
  // The verifier's report file on an inventory: a new one replaces the one
  // before (the audit log keeps each one's name, size and SHA-256).
  virtual Status PutReviewReport(const ReviewReport& report, const Actor& by) = 0;
  virtual Result<std::optional<ReviewReport>> GetReviewReport(int64_t inventory_id,
                                                              bool with_body) = 0;
  // Inventories without their documents (id, unit, year, status, versions).
  virtual Result<std::vector<InventoryRecord>> ListInventorySummaries() = 0;
};

}  // namespace cl
