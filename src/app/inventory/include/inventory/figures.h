// An inventory's figures for the read model (model/figures.h, kept by store/figures.h), taken from
// the engine's result: what the city overview and the league table read
// instead of the document.
#pragma once

#include "accounting/inventory.h"
#include "model/figures.h"

namespace cl {

// The figures of one unit's inventory of `year`: its headline figures, and
// every line with energy or emissions (carrier, scope, period, energy,
// headline emissions), as the engine computed them, in the document's order.
// `market_reported`: the methodology reports scope 2 market-based. The
// inventory's id, unit, state and pins are the store's to fill in
// (FiguresRepository::PutFigures).
InventoryFigures FiguresOf(const UnitInventory& unit, int year, bool market_reported);

}  // namespace cl
