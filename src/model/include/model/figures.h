// The figures of an inventory as plain values: its headline figures and its
// lines' energy and emissions, as the read model (store/figures.h) keeps
// them and the city overview reads them. Quantities in the base units of
// core/units.h (MJ, kgCO2e, CNY). Plain values: safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/period.h"
#include "core/units.h"
#include "model/records.h"

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

}  // namespace cl
