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
#include "store/records.h"

namespace cl {

// One line of the inventory with energy or emissions: what its carrier and
// month figures are made of. The overview adds lines in the order the
// document lists them, as it added the document's numbers, so that its sums
// are the same to the bit (floating-point sums depend on their order; sums
// stored per carrier or month could not be).
struct LineFigures {
  int line = 0;         // position among the document's lines, from 1
  std::string carrier;  // the activity type: electricity, natural_gas, ...
  int scope = 0;        // 0: outside the scopes (its emissions count in no total)
  Period period;
  Energy energy;
  Emissions emissions;  // the line's headline emissions
  bool operator==(const LineFigures& o) const {
    return line == o.line && carrier == o.carrier && scope == o.scope &&
           period.start == o.period.start && period.end == o.period.end && energy == o.energy &&
           emissions == o.emissions;
  }
};

struct InventoryFigures {
  // Taken from the inventory when written (PutFigures ignores them).
  int64_t inventory_id = 0;
  std::string unit_id;
  int year = 0;
  std::string methodology;
  int version = 0;
  InventoryStatus state = InventoryStatus::kDraft;  // follows the workflow
  std::string datasets;  // JSON object: dataset -> version used (the pins)

  Energy energy;
  Emissions scope1, scope2 /* the methodology's headline */, scope2_location;
  std::optional<Emissions> scope2_market;  // when the methodology reports it
  Emissions scope3, total;
  std::optional<Emissions> biogenic_co2;  // when not zero; never in totals
  std::optional<Money> output_value;      // when the unit recorded one (may be 0)
  // tce and tCO2e (scopes 1 + 2) per 10^4 CNY: only when output_value > 0.
  std::optional<double> tce_per_10k_cny, tco2e_per_10k_cny;

  std::vector<LineFigures> lines;  // in the document's order

  bool operator==(const InventoryFigures&) const = default;
};

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
