// Inventories kept in the store: computed from a unit's readings and records
// (the bridge of store_service.h), saved as drafts with their dataset pins,
// explained and restated later from those pins. The workflow itself
// (submit, verify, publish) is Store::SetInventoryStatus.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "formats/vee_settings.h"
#include "model/records.h"
#include "refdata/reference_store.h"

namespace cl {

class Store;  // store/store.h: the use cases below take a connection

struct StoredInventoryRequest {
  std::string unit_id;
  int year = 0;
  std::string methodology;
  DatasetPins pins;        // empty = newest version of every dataset
  int64_t supersedes = 0;  // the inventory this corrects (0 = a first version)
  std::string reason;      // required for a correction
};

// Computes one unit's inventory from the store and saves it as a draft.
// Returns the new inventory's id. Input errors come back as one
// kInvalidInput error listing them.
Result<int64_t> ComputeAndSaveInventory(Store& store, const ReferenceData& data,
                                        const VeeSettings& vee,
                                        const StoredInventoryRequest& request, const Actor& by);

// How the numbers of a stored inventory were computed: recomputed from the
// store with the inventory's pins, refused (kConflict) when the store's data
// no longer reproduces the stored document.
Result<std::string> ExplainStoredInventory(Store& store, const ReferenceData& data,
                                           const VeeSettings& vee, const InventoryRecord& inv,
                                           const std::optional<std::string>& line);

// The inventory's document computed again from the store's current data
// with its own pins and methodology (not stored): what data_changes.h
// compares with the stored document.
Result<nlohmann::json> RecomputeStoredDocument(Store& store, const ReferenceData& data,
                                               const VeeSettings& vee, const InventoryRecord& inv);

// What the inventory would be with other dataset versions (not stored).
Result<nlohmann::json> RestateStoredInventory(Store& store, const ReferenceData& data,
                                              const VeeSettings& vee, const InventoryRecord& inv,
                                              const DatasetPins& to);

}  // namespace cl
