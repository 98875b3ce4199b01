#include "accounting/restatement.h"

#include <algorithm>
#include <cassert>

namespace cl {
namespace {

std::vector<TotalsPair> Totals(const UnitInventory& a, const UnitInventory& b) {
  auto t = [](Emissions e) { return In(e, units::kTCO2e); };
  return {
      {"energy_tce", In(a.energy, units::kTce), In(b.energy, units::kTce)},
      {"scope1_tco2e", t(a.scope1), t(b.scope1)},
      {"scope2_tco2e", t(a.scope2), t(b.scope2)},
      {"scope2_location_tco2e", t(a.scope2_location), t(b.scope2_location)},
      {"scope2_market_tco2e", t(a.scope2_market), t(b.scope2_market)},
      {"scope3_tco2e", t(a.scope3), t(b.scope3)},
      {"total_tco2e", t(a.total), t(b.total)},
  };
}

std::vector<FactorChange> FactorChanges(const ResultLine& a, const ResultLine& b) {
  std::vector<FactorChange> out;
  const FactorSet& sa = *a.factors;
  const FactorSet& sb = *b.factors;
  size_t n = std::max(sa.size(), sb.size());
  for (size_t i = 0; i < n; ++i) {
    const FactorUse* fa = i < sa.size() ? &sa[i] : nullptr;
    const FactorUse* fb = i < sb.size() ? &sb[i] : nullptr;
    if (fa == nullptr && fb == nullptr) continue;  // i < n: cannot happen
    if (fa != nullptr && fb != nullptr && *fa == *fb) continue;
    const FactorUse& any = fb != nullptr ? *fb : *fa;
    const ResultLine& any_line = fb != nullptr ? b : a;
    FactorChange c;
    c.role = any.role;
    if (any.row != nullptr) {
      c.dataset = any.row->dataset->id;
      c.key = any.row->key + " (" + any.row->region + ")";
    }
    if (fa != nullptr && fa->row != nullptr) c.old_version = fa->row->dataset->version;
    if (fb != nullptr && fb->row != nullptr) c.new_version = fb->row->dataset->version;
    c.old_value = fa != nullptr ? fa->Value(*a.record).value : 0.0;
    c.new_value = fb != nullptr ? fb->Value(*b.record).value : 0.0;
    c.unit = any.Value(*any_line.record).unit.symbol;
    if (fa != nullptr && fb != nullptr && c.old_value == c.new_value && fa->row != nullptr &&
        fb->row != nullptr && fa->row->key == fb->row->key) {
      continue;  // the same number from a newer version of the dataset
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

bool Restatement::Changed() const {
  for (const UnitRestatement& u : units) {
    if (!u.lines.empty()) return true;
    for (const TotalsPair& t : u.totals) {
      if (t.old_value != t.new_value) return true;
    }
  }
  return false;
}

Restatement Restate(const Inventory& before, const Inventory& after) {
  assert(before.units.size() == after.units.size());
  Restatement out;
  out.old_pins = before.pins;
  out.new_pins = after.pins;
  for (size_t u = 0; u < before.units.size(); ++u) {
    const UnitInventory& a = before.units[u];
    const UnitInventory& b = after.units[u];
    assert(a.lines.size() == b.lines.size());
    UnitRestatement ur;
    ur.unit = a.unit;
    ur.totals = Totals(a, b);
    for (size_t i = 0; i < a.lines.size(); ++i) {
      const ResultLine& la = a.lines[i];
      const ResultLine& lb = b.lines[i];
      LineChange c{la.record,
                   In(la.headline(), units::kTCO2e),
                   In(lb.headline(), units::kTCO2e),
                   In(la.energy, units::kTce),
                   In(lb.energy, units::kTce),
                   FactorChanges(la, lb)};
      if (c.old_tco2e != c.new_tco2e || c.old_tce != c.new_tce || !c.factors.empty()) {
        ur.lines.push_back(std::move(c));
      }
    }
    out.units.push_back(std::move(ur));
  }
  return out;
}

}  // namespace cl
