// Figures: the read model of inventories. When an inventory is saved, its
// headline figures and its lines' energy and emissions (carrier, scope,
// period) are written here as typed columns in the same transaction, so that
// the city overview and the league table read a few rows per unit instead of
// parsing every document (docs/store.md §Figures).
//
// Quantities are kept in the base units of core/units.h (MJ, kgCO2e, CNY):
// a figure read back is the engine's Energy or Emissions to the bit, so the
// tce and tCO2e derived from it equal the inventory document's.
//
// Part of the store (store.h): obtained from Store::Figures(), valid as long
// as the Store it came from, on that Store's connection, so it follows the
// Store's thread rule: one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/period.h"
#include "core/units.h"
#include "model/figures.h"
#include "model/records.h"

namespace cl {

class FiguresRepository {
 public:
  virtual ~FiguresRepository() = default;

  // Writes the figures of inventory `inventory_id` (in the open transaction,
  // or in one of its own). Its unit, year, methodology, version, state and
  // datasets are taken from the inventory. NotFound when the inventory does
  // not exist or has no unit; Conflict when it has figures already (figures
  // are written once, like the document they summarise).
  virtual Status PutFigures(int64_t inventory_id, const InventoryFigures& figures) = 0;
  // One inventory's figures; none when it has no figures (saved before
  // migration 8, or written without them).
  virtual Result<std::optional<InventoryFigures>> GetFigures(int64_t inventory_id) = 0;
  // The figures of every inventory of `year` under `methodology`, every
  // version and state, ordered by inventory id.
  virtual Result<std::vector<InventoryFigures>> ListFigures(int year,
                                                            const std::string& methodology) = 0;
};

}  // namespace cl
