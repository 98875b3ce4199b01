#include "inventory/figures.h"

namespace cl {

InventoryFigures FiguresOf(const UnitInventory& u, int year, bool market_reported) {
  InventoryFigures f;
  f.year = year;
  f.energy = u.energy;
  f.scope1 = u.scope1;
  f.scope2 = u.scope2;
  f.scope2_location = u.scope2_location;
  if (market_reported) f.scope2_market = u.scope2_market;
  f.scope3 = u.scope3;
  f.total = u.total;
  if (u.biogenic.base() != 0) f.biogenic_co2 = u.biogenic;
  if (u.has_output_value) {
    f.output_value = u.output_value;
    // No output value, or zero: no intensity (not 0, the best).
    if (u.output_value.base() > 0) {
      f.tce_per_10k_cny = u.TcePer10kCny();
      f.tco2e_per_10k_cny = u.Tco2ePer10kCny();
    }
  }
  int n = 0;
  for (const ResultLine& l : u.lines) {
    ++n;
    // Output value, a zero record: adds nothing to a carrier or a month.
    if (l.energy.base() == 0 && l.headline().base() == 0) continue;
    f.lines.push_back({n, l.record->type->code, l.scope, l.record->period, l.energy, l.headline()});
  }
  return f;
}

}  // namespace cl
