#include "inventory/inventories.h"

#include "store/store.h"

namespace cl {

Result<std::optional<InventoryRecord>> GetInventory(Store& store, int64_t id) {
  return store.Inventories().GetInventory(id);
}

Result<std::optional<InventoryRecord>> GetInventoryHead(Store& store, int64_t id) {
  return store.Inventories().GetInventoryHead(id);
}

Result<std::vector<InventoryRecord>> ListInventorySummaries(Store& store) {
  return store.Inventories().ListInventorySummaries();
}

Result<std::vector<ReviewRecord>> ListReviews(Store& store, int64_t inventory_id) {
  return store.Inventories().ListReviews(inventory_id);
}

namespace {

Status Step(Store& store, int64_t id, InventoryStatus to, const Actor& by,
            const std::string& reason) {
  CL_ASSIGN_OR_RETURN(auto head, store.Inventories().GetInventoryHead(id));
  if (!head)
    return Error::NotFound("inventory " + std::to_string(id) + " does not exist")
        .WithCode("inventory.not_found", {{"id", std::to_string(id)}});
  const InventoryStatus from = head->status;
  if (!InventoryTransitionAllowed(from, to))
    return Error::Conflict("inventory " + std::to_string(id) + " is " + InventoryStatusName(from) +
                           "; it cannot become " + InventoryStatusName(to))
        .WithCode("inventory.wrong_status", {{"id", std::to_string(id)},
                                             {"status", InventoryStatusName(from)},
                                             {"to", InventoryStatusName(to)}});
  return store.Inventories().SetInventoryStatus(id, to, by, reason);
}

}  // namespace

Status SetInventoryStatus(Store& store, int64_t id, InventoryStatus to, const Actor& by,
                          const std::string& reason) {
  // The check and the step in one transaction: no other writer moves the
  // inventory in between.
  CL_RETURN_IF_ERROR(store.Begin());
  if (Status st = Step(store, id, to, by, reason); !st.ok()) {
    store.Rollback();
    return st;
  }
  return store.Commit();
}

}  // namespace cl
