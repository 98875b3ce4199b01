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

Status SetInventoryStatus(Store& store, int64_t id, InventoryStatus to, const Actor& by,
                          const std::string& reason) {
  return store.Inventories().SetInventoryStatus(id, to, by, reason);
}

}  // namespace cl
