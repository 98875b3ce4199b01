#include "overview/city_overview.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <unordered_map>

#include "store/store.h"

namespace cl {
namespace {

using json = nlohmann::json;
using std::chrono::sys_days;
using std::chrono::year_month_day;

double Num(const json& j, const char* key) {
  if (!j.is_object()) return 0.0;
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<double> OptNum(const json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// The carrier of an inventory line's activity: "diesel:mobile" -> "diesel".
std::string CarrierOf(const std::string& activity) {
  return activity.substr(0, activity.find(':'));
}

using MonthSums = std::map<std::pair<std::string, std::string>, MonthFigures>;

// Adds a line's energy and emissions to the months of `year` its period
// covers, in proportion to the days in each.
void SpreadByDays(Date start, Date end, const std::string& carrier, double tce, double co2,
                  int year, MonthSums& months) {
  if (end < start) return;
  if (tce == 0 && co2 == 0) return;  // output value, a zero record
  const sys_days a{start};
  const sys_days b{end};
  const double days = static_cast<double>((b - a).count() + 1);
  for (sys_days d = a; d <= b;) {
    year_month_day ymd{d};
    year_month_day next_month{(ymd.year() / ymd.month() + std::chrono::months(1)) / 1};
    sys_days stop = std::min(sys_days{next_month}, b + std::chrono::days(1));
    const double share = static_cast<double>((stop - d).count()) / days;
    if (static_cast<int>(ymd.year()) == year) {
      MonthFigures& m = months[{FormatMonth(ymd), carrier}];
      m.month = FormatMonth(ymd);
      m.carrier = carrier;
      m.energy_tce += tce * share;
      m.tco2e += co2 * share;
    }
    d = stop;
  }
}

// A unit's figures from the read model. The lines are added in the
// document's order and in tce and tCO2e, as the document's by_activity and
// the overview added them before, so that every sum is the same to the bit.
void AddFigures(const InventoryFigures& in, int year, UnitFigures& f, MonthSums& months) {
  f.energy_tce = In(in.energy, units::kTce);
  f.total_tco2e = In(in.total, units::kTCO2e);
  f.scope1_tco2e = In(in.scope1, units::kTCO2e);
  f.scope2_tco2e = In(in.scope2, units::kTCO2e);
  if (in.output_value) f.output_10k_cny = In(*in.output_value, units::kTenThousandCny);
  f.tce_per_10k_cny = in.tce_per_10k_cny;
  f.tco2e_per_10k_cny = in.tco2e_per_10k_cny;
  std::map<std::string, std::pair<double, double>> carriers;  // tce, tCO2e of scoped lines
  for (const LineFigures& l : in.lines) {
    const double tce = In(l.energy, units::kTce);
    const double co2 = In(l.emissions, units::kTCO2e);
    auto& c = carriers[l.carrier];
    c.first += tce;
    c.second += l.scope != 0 ? co2 : 0.0;
    SpreadByDays(l.period.start, l.period.end, l.carrier, tce, co2, year, months);
  }
  for (const auto& [carrier, c] : carriers) {
    if (c.first == 0 && c.second == 0) continue;  // output value
    f.carrier_tce[carrier] += c.first;
    f.carrier_tco2e[carrier] += c.second;
  }
}

// A document line's months.
void SpreadLine(const json& line, int year, MonthSums& months) {
  auto start = ParseDate(Str(line, "period_start"));
  auto end = ParseDate(Str(line, "period_end"));
  if (!start.ok() || !end.ok()) return;
  SpreadByDays(*start, *end, CarrierOf(Str(line, "activity")), Num(line, "energy_tce"),
               Num(line, "tco2e"), year, months);
}

// A unit's figures picked from its inventory's document: for an inventory
// without figures in the read model (saved before migration 8, or written
// by hand), as the overview read every inventory before.
void AddDocumentFigures(const std::string& document, int year, UnitFigures& f, MonthSums& months) {
  json doc = json::parse(document, nullptr, false);
  const json* unit = nullptr;
  if (doc.is_object() && doc.contains("units") && doc["units"].is_array())
    for (const auto& x : doc["units"])
      if (Str(x, "unit_id") == f.unit_id) unit = &x;
  if (!unit) return;
  f.energy_tce = Num(*unit, "energy_tce");
  f.total_tco2e = Num(*unit, "total_tco2e");
  f.scope1_tco2e = Num(*unit, "scope1_tco2e");
  f.scope2_tco2e = Num(*unit, "scope2_tco2e");
  if (auto in = unit->find("intensities"); in != unit->end() && in->is_object()) {
    // No output value recorded, or zero: no intensity (not 0, the best).
    f.output_10k_cny = OptNum(*in, "output_value_10k_cny");
    if (f.output_10k_cny && *f.output_10k_cny > 0) {
      f.tce_per_10k_cny = OptNum(*in, "tce_per_10k_cny");
      f.tco2e_per_10k_cny = OptNum(*in, "tco2e_per_10k_cny");
    }
  }
  if (auto ba = unit->find("by_activity"); ba != unit->end() && ba->is_object())
    for (const auto& [activity, v] : ba->items()) {
      if (Num(v, "energy_tce") == 0 && Num(v, "tco2e") == 0) continue;  // output value
      f.carrier_tce[CarrierOf(activity)] += Num(v, "energy_tce");
      f.carrier_tco2e[CarrierOf(activity)] += Num(v, "tco2e");
    }
  if (auto lines = unit->find("lines"); lines != unit->end() && lines->is_array())
    for (const auto& line : *lines) SpreadLine(line, year, months);
}

// Energy in kgce and scopes 1 and 2 in kgCO2e per m² of floor area (the
// scopes of the intensities per output value).
void PerFloorArea(const std::optional<double>& area, UnitFigures& f) {
  if (!area || *area <= 0) return;
  f.kgce_per_m2 = In(f.energy_tce * units::kTce, units::kKgce) / *area;
  f.kgco2e_per_m2 = In((f.scope1_tco2e + f.scope2_tco2e) * units::kTCO2e, units::kKgCO2e) / *area;
}

// What the caller may see: the year asked for (or the latest with a visible
// inventory), those years, and every unit's latest visible inventory of it.
struct Selection {
  int year = 0;
  std::vector<int> years;
  std::map<std::string, InventoryRecord> latest;  // by unit
};

Result<Selection> Select(Store& store, std::optional<int> asked, int fallback_year,
                         const std::string& methodology, bool published_only) {
  auto all = store.Inventories().ListInventorySummaries();
  if (!all.ok()) return all.error();
  auto visible = [&](const InventoryRecord& inv) {
    return !inv.unit_id.empty() && inv.methodology == methodology &&
           (!published_only || inv.status == InventoryStatus::kPublished);
  };
  std::set<int> years;
  for (const auto& inv : *all)
    if (visible(inv)) years.insert(inv.year);
  Selection out;
  out.year = asked ? *asked : years.empty() ? fallback_year : *years.rbegin();
  out.years.assign(years.begin(), years.end());
  for (auto& inv : *all) {
    if (!visible(inv) || inv.year != out.year) continue;
    auto [it, fresh] = out.latest.try_emplace(inv.unit_id, inv);
    if (!fresh && inv.version > it->second.version) it->second = std::move(inv);
  }
  return out;
}

// A unit's figures: from the read model, else from its document. False when
// the inventory is gone (the unit is left out).
Result<bool> AddInventory(Store& store, const InventoryRecord& inv, const InventoryFigures* figures,
                          int year, UnitFigures& f, MonthSums& months) {
  f.inventory_id = inv.id;
  f.version = inv.version;
  f.status = InventoryStatusName(inv.status);
  if (figures) {
    AddFigures(*figures, year, f, months);
    return true;
  }
  auto rec = store.Inventories().GetInventory(inv.id);
  if (!rec.ok()) return rec.error();
  if (!rec->has_value()) return false;
  AddDocumentFigures((*rec)->document, year, f, months);
  return true;
}

}  // namespace

Result<CityOverview> BuildCityOverview(Store& store, std::optional<int> asked, int fallback_year,
                                       const std::string& methodology, bool published_only) {
  CityOverview out;
  out.methodology = methodology;
  out.published_only = published_only;
  auto units = store.Registry().ListUnits();
  if (!units.ok()) return units.error();
  auto selected = Select(store, asked, fallback_year, methodology, published_only);
  if (!selected.ok()) return selected.error();
  out.year = selected->year;
  out.years = selected->years;
  auto figures = store.Figures().ListFigures(out.year, methodology);
  if (!figures.ok()) return figures.error();
  std::unordered_map<int64_t, const InventoryFigures*> by_id;
  for (const auto& f : *figures) by_id[f.inventory_id] = &f;
  MonthSums months;
  for (const auto& u : *units) {
    auto it = selected->latest.find(u.id);
    if (published_only && it == selected->latest.end()) continue;
    UnitFigures f;
    f.unit_id = u.id;
    f.name_zh = u.name_zh;
    f.name_en = u.name_en;
    f.district = u.district;
    f.industry_code = u.industry_code;
    if (it != selected->latest.end()) {
      auto fig = by_id.find(it->second.id);
      auto st = AddInventory(store, it->second, fig == by_id.end() ? nullptr : fig->second,
                             out.year, f, months);
      if (!st.ok()) return st.error();
      if (!*st) continue;
      PerFloorArea(u.floor_area_m2, f);
    }
    f.floor_area_m2 = u.floor_area_m2;
    out.units.push_back(std::move(f));
  }
  for (auto& [k, m] : months) out.months.push_back(std::move(m));
  return out;
}

}  // namespace cl
