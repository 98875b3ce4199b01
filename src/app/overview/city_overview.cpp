#include "overview/city_overview.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

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

// Adds a line's energy and emissions to the months of `year` its period
// covers, in proportion to the days in each.
void SpreadByDays(const json& line, int year,
                  std::map<std::pair<std::string, std::string>, MonthFigures>& months) {
  auto start = ParseDate(Str(line, "period_start"));
  auto end = ParseDate(Str(line, "period_end"));
  if (!start.ok() || !end.ok() || *end < *start) return;
  const double tce = Num(line, "energy_tce"), co2 = Num(line, "tco2e");
  if (tce == 0 && co2 == 0) return;  // output value, a zero record
  const std::string carrier = CarrierOf(Str(line, "activity"));
  const sys_days a{*start}, b{*end};
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

}  // namespace

Result<CityOverview> BuildCityOverview(Store& store, std::optional<int> asked, int fallback_year,
                                       const std::string& methodology, bool published_only) {
  CityOverview out;
  out.methodology = methodology;
  out.published_only = published_only;
  auto units = store.Registry().ListUnits();
  if (!units.ok()) return units.error();
  auto all = store.Inventories().ListInventorySummaries();
  if (!all.ok()) return all.error();
  auto visible = [&](const InventoryRecord& inv) {
    return !inv.unit_id.empty() && inv.methodology == methodology &&
           (!published_only || inv.status == InventoryStatus::kPublished);
  };
  std::set<int> years;
  for (const auto& inv : *all)
    if (visible(inv)) years.insert(inv.year);
  const int year = asked ? *asked : years.empty() ? fallback_year : *years.rbegin();
  out.year = year;
  std::map<std::string, const InventoryRecord*> latest;  // by unit
  for (const auto& inv : *all) {
    if (!visible(inv) || inv.year != year) continue;
    const InventoryRecord*& best = latest[inv.unit_id];
    if (!best || inv.version > best->version) best = &inv;
  }
  out.years.assign(years.begin(), years.end());
  std::map<std::pair<std::string, std::string>, MonthFigures> months;
  for (const auto& u : *units) {
    auto it = latest.find(u.id);
    if (published_only && it == latest.end()) continue;
    UnitFigures f;
    f.unit_id = u.id;
    f.name_zh = u.name_zh;
    f.name_en = u.name_en;
    f.district = u.district;
    f.industry_code = u.industry_code;
    if (it != latest.end()) {
      auto rec = store.Inventories().GetInventory(it->second->id);
      if (!rec.ok()) return rec.error();
      if (!rec->has_value()) continue;
      const InventoryRecord& inv = **rec;
      f.inventory_id = inv.id;
      f.version = inv.version;
      f.status = InventoryStatusName(inv.status);
      json doc = json::parse(inv.document, nullptr, false);
      const json* unit = nullptr;
      if (doc.is_object() && doc.contains("units") && doc["units"].is_array())
        for (const auto& x : doc["units"])
          if (Str(x, "unit_id") == u.id) unit = &x;
      if (unit) {
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
          for (const auto& line : *lines) SpreadByDays(line, year, months);
      }
    }
    out.units.push_back(std::move(f));
  }
  for (auto& [k, m] : months) out.months.push_back(std::move(m));
  return out;
}

}  // namespace cl
