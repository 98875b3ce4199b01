#include "reports/render.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "core/csv.h"

namespace cl {
namespace {

using nlohmann::json;

double T(Emissions e) { return In(e, units::kTCO2e); }
double Tce(Energy e) { return In(e, units::kTce); }

json FactorJson(const FactorUse& f, const ActivityRecord& r) {
  const Measured& m = f.Value(r);
  json j{{"role", f.role}, {"value", m.value}, {"unit", m.unit.symbol}};
  if (f.row != nullptr) {
    j["dataset"] = f.row->dataset->id;
    j["version"] = f.row->dataset->version;
    j["key"] = f.row->key;
    j["parameter"] = f.row->parameter;
    j["region"] = f.row->region;
    j["source"] = f.row->source;
    j["confidence"] = std::string(1, f.row->confidence);
    j["row"] = f.row->dataset->file + ":" + std::to_string(f.row->line);
  } else {
    j["source"] =
        f.option != nullptr ? "command-line option" : "user-supplied on the activity line";
  }
  return j;
}

json LineJson(const ResultLine& l, bool market) {
  const ActivityRecord& r = *l.record;
  json j{{"id", r.id},
         {"site_id", r.site_id},
         {"activity", r.type->code + (r.qualifier.empty() ? "" : ":" + r.qualifier)},
         {"quantity", r.quantity.value},
         {"unit_of_measure", r.quantity.unit.symbol},
         {"period_start", FormatDate(r.period.start)},
         {"period_end", FormatDate(r.period.end)},
         {"data_source", DataSourceName(r.data_source)},
         {"energy_tce", Tce(l.energy)},
         {"scope", l.scope},
         {"iso_category", l.iso_category},
         {"gas", l.gas},
         {"tco2e", T(l.headline())},
         {"tco2e_location", T(l.location)},
         {"formula", l.formula}};
  if (market) j["tco2e_market"] = T(l.market);
  if (l.biogenic.base() != 0.0) j["biogenic_co2_t"] = T(l.biogenic);
  if (r.instrument != Instrument::kNone) {
    j["instrument"] = InstrumentName(r.instrument);
    j["instrument_ids"] = r.instrument_ids;
  }
  if (l.fallback_year != 0) j["factor_data_year"] = l.fallback_year;
  if (!r.note.empty()) j["note"] = r.note;
  json factors = json::array();
  for (const FactorUse& f : *l.factors) factors.push_back(FactorJson(f, r));
  j["factors"] = std::move(factors);
  return j;
}

json UnitJson(const UnitInventory& u, bool market) {
  const ReportingUnit& unit = *u.unit;
  json j{{"unit_id", unit.id},
         {"credit_code", unit.credit_code},
         {"name_zh", unit.name_zh},
         {"name_en", unit.name_en},
         {"province", unit.province},
         {"energy_tce", Tce(u.energy)},
         {"scope1_tco2e", T(u.scope1)},
         {"scope2_tco2e", T(u.scope2)},
         {"scope2_location_tco2e", T(u.scope2_location)},
         {"scope3_tco2e", T(u.scope3)},
         {"total_tco2e", T(u.total)},
         {"biogenic_co2_t", T(u.biogenic)}};
  if (market) j["scope2_market_tco2e"] = T(u.scope2_market);
  json iso = json::object();
  for (size_t c = 1; c <= 6; ++c) iso[std::to_string(c)] = T(u.iso[c]);
  j["iso_categories"] = std::move(iso);
  json gas = json::object();
  for (const auto& [name, e] : u.by_gas) gas[name] = T(e);
  j["by_gas"] = std::move(gas);
  json sites = json::object();
  for (const auto& [name, s] : u.by_site) {
    sites[name] = {{"energy_tce", Tce(s.energy)}, {"total_tco2e", T(s.total)}};
  }
  j["by_site"] = std::move(sites);
  json activities = json::object();
  for (const ResultLine& l : u.lines) {
    json& a = activities[l.record->type->code];
    if (a.is_null()) a = {{"energy_tce", 0.0}, {"tco2e", 0.0}, {"lines", 0}};
    a["energy_tce"] = a["energy_tce"].get<double>() + Tce(l.energy);
    a["tco2e"] = a["tco2e"].get<double>() + (l.scope != 0 ? T(l.headline()) : 0.0);
    a["lines"] = a["lines"].get<int>() + 1;
  }
  j["by_activity"] = std::move(activities);
  json intensities = json::object();
  if (u.has_output_value) {
    intensities["output_value_10k_cny"] = In(u.output_value, units::kTenThousandCny);
    intensities["tce_per_10k_cny"] = u.TcePer10kCny();
    intensities["tco2e_per_10k_cny"] = u.Tco2ePer10kCny();
  }
  json products = json::object();
  for (const auto& [name, p] : u.products) {
    products[name] = {{"quantity", p.quantity},
                      {"unit", p.unit},
                      {"tce_per_unit", p.tce_per_unit},
                      {"tco2e_per_unit", p.tco2e_per_unit}};
  }
  intensities["per_product"] = std::move(products);
  j["intensities"] = std::move(intensities);
  j["warnings"] = u.warnings;
  json lines = json::array();
  for (const ResultLine& l : u.lines) lines.push_back(LineJson(l, market));
  j["lines"] = std::move(lines);
  return j;
}

std::string Num(double v, int decimals = 4) { return fmt::format("{:.{}f}", v, decimals); }

}  // namespace

json InventoryJson(const Inventory& inv) {
  json j{{"schema", "carbonledger.inventory/1"},
         {"year", inv.year},
         {"methodology", inv.profile->id},
         {"methodology_name", inv.profile->name_en},
         {"gwp_set", inv.profile->gwp_set},
         {"scope2_headline", inv.profile->headline_market ? "market" : "location"},
         {"datasets", inv.pins}};
  json units = json::array();
  for (const UnitInventory& u : inv.units) units.push_back(UnitJson(u, inv.market_reported));
  j["units"] = std::move(units);
  return j;
}

std::string InventoryTable(const Inventory& inv) {
  std::string out = fmt::format("Inventory {} under {} ({}), GWP {}\n", inv.year, inv.profile->id,
                                inv.profile->name_zh, inv.profile->gwp_set);
  out += "Datasets:";
  for (const auto& [id, version] : inv.pins) out += fmt::format(" {}@{}", id, version);
  out += "\n\n";
  std::string header = fmt::format("{:<12} {:>14} {:>14} {:>14} {:>14}", "unit", "energy tce",
                                   "scope1 tCO2e", "scope2 tCO2e", "scope2 loc");
  if (inv.market_reported) header += fmt::format(" {:>14}", "scope2 mkt");
  header += fmt::format(" {:>14} {:>14} {:>12}\n", "scope3 tCO2e", "total tCO2e", "biogenic t");
  out += header;
  for (const UnitInventory& u : inv.units) {
    out += fmt::format("{:<12} {:>14} {:>14} {:>14} {:>14}", u.unit->id, Num(Tce(u.energy)),
                       Num(T(u.scope1)), Num(T(u.scope2)), Num(T(u.scope2_location)));
    if (inv.market_reported) out += fmt::format(" {:>14}", Num(T(u.scope2_market)));
    out += fmt::format(" {:>14} {:>14} {:>12}\n", Num(T(u.scope3)), Num(T(u.total)),
                       Num(T(u.biogenic)));
  }
  for (const UnitInventory& u : inv.units) {
    for (const std::string& w : u.warnings) out += "warning: " + u.unit->id + ": " + w + "\n";
  }
  return out;
}

std::string InventoryCsv(const Inventory& inv) {
  std::string out = "\xEF\xBB\xBF";
  out +=
      "unit_id,name_zh,province,year,methodology,energy_tce,scope1_tco2e,scope2_tco2e,"
      "scope2_location_tco2e,scope2_market_tco2e,scope3_tco2e,total_tco2e,biogenic_co2_t,"
      "tce_per_10k_cny,tco2e_per_10k_cny\n";
  for (const UnitInventory& u : inv.units) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", CsvEscape(u.unit->id),
                       CsvEscape(u.unit->name_zh), u.unit->province, inv.year, inv.profile->id,
                       Tce(u.energy), T(u.scope1), T(u.scope2), T(u.scope2_location),
                       inv.market_reported ? fmt::format("{}", T(u.scope2_market)) : "",
                       T(u.scope3), T(u.total), T(u.biogenic),
                       u.has_output_value ? fmt::format("{}", u.TcePer10kCny()) : "",
                       u.has_output_value ? fmt::format("{}", u.Tco2ePer10kCny()) : "");
  }
  return out;
}

bool AllNumbersFinite(const nlohmann::json& doc) {
  // Depth first with a stack: no recursion, whatever the depth.
  std::vector<const nlohmann::json*> stack{&doc};
  while (!stack.empty()) {
    const nlohmann::json* j = stack.back();
    stack.pop_back();
    if (j->is_number_float() && !std::isfinite(j->get<double>())) return false;
    if (j->is_structured())
      for (const auto& value : *j) stack.push_back(&value);
  }
  return true;
}

}  // namespace cl
