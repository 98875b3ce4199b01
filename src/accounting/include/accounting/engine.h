// The accounting engine: activity records + pinned reference data + a
// methodology profile -> an inventory with provenance. Pure: no I/O.
#pragma once

#include "accounting/inventory.h"
#include "accounting/model.h"
#include "accounting/profile.h"
#include "accounting/reference_data.h"
#include "core/error.h"

namespace cl {

// Computes every unit of `input` under `profile` with the datasets of `refs`.
// Fails with one error per record whose factor cannot be found (naming the
// record's file and line); nothing partial is returned. The inventory points
// into `input`, `refs` and `profile`, which must outlive it.
Checked<Inventory> ComputeInventory(const InventoryInput& input, const ReferenceSet& refs,
                                    const Profile& profile);

}  // namespace cl
