// The inventory use case: read the two templates, compute under a profile
// with pinned (or newest) dataset versions, restate against other pins.
#pragma once

#include <optional>
#include <string>

#include "accounting/engine.h"
#include "accounting/restatement.h"
#include "inventory/store_bridge.h"
#include "refdata/reference_store.h"

namespace cl {

struct InventoryRequest {
  std::string units_path;
  std::string activities_path;
  int year = 0;
  std::string methodology;
  DatasetPins pins;                               // empty = newest version of every dataset
  std::optional<double> electricity_equal_value;  // kgce/kWh
};

// Input read from files, kept alive while inventories point into it.
struct LoadedInput {
  InventoryInput input;
  const Profile* profile = nullptr;
};

// Reads and validates both files (all errors of both at once).
Checked<std::unique_ptr<LoadedInput>> LoadInput(const ReferenceData& data,
                                                const InventoryRequest& request);
// Checks the store's input (store_bridge.h) record by record, as the files
// would be (every error at once, each record named "store:activities:N",
// N from 2 in the bridge's order); the request's paths are not read.
Checked<std::unique_ptr<LoadedInput>> LoadInput(const ReferenceData& data,
                                                const InventoryRequest& request,
                                                StoreInput from_store);

// Computes with request.pins; the ReferenceSet is returned with the inventory
// because the inventory's lines point into it.
struct Computed {
  ReferenceSet refs;
  Inventory inventory;
};
Checked<std::unique_ptr<Computed>> Compute(const ReferenceData& data, const LoadedInput& input,
                                           const DatasetPins& pins);

}  // namespace cl
