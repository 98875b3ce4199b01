// Explanations, restatements and dataset listings (declared in app/render.h).
#include <fmt/format.h>

#include <map>
#include <set>

#include "reports/render.h"

namespace cl {
namespace {

using nlohmann::json;

double T(Emissions e) { return In(e, units::kTCO2e); }
double Tce(Energy e) { return In(e, units::kTce); }

std::string FactorText(const FactorUse& f, const ActivityRecord& rec) {
  if (f.row == nullptr) {
    const Measured& m = f.Value(rec);
    return fmt::format(
        "{} = {} {} ({})", f.role, m.value, m.unit.symbol,
        f.option != nullptr ? "command-line option" : "user-supplied on the activity line");
  }
  const FactorRow& r = *f.row;
  return fmt::format("{} = {} {}  [{}@{} {}:{} key={} region={} conf={}]\n        source: {}",
                     f.role, r.value.value, r.value.unit.symbol, r.dataset->id, r.dataset->version,
                     r.dataset->file, r.line, r.key, r.region, r.confidence, r.source);
}

std::string LineText(const ResultLine& l, bool market) {
  const ActivityRecord& r = *l.record;
  std::string out = fmt::format(
      "  {}  site {}  {}{}  {} {}  {}..{}  ({})\n", r.id, r.site_id, r.type->code,
      r.qualifier.empty() ? "" : ":" + r.qualifier, r.quantity.value, r.quantity.unit.symbol,
      FormatDate(r.period.start), FormatDate(r.period.end), DataSourceName(r.data_source));
  out += fmt::format("    formula: {}\n", l.formula);
  for (const FactorUse& f : *l.factors) out += "      " + FactorText(f, r) + "\n";
  out += fmt::format("    = energy {:.6f} tce; scope {} (ISO cat. {}), {} {:.6f} tCO2e",
                     Tce(l.energy), l.scope, l.iso_category, l.gas, T(l.headline()));
  if (l.scope == 2) {
    out += fmt::format(" (location {:.6f}", T(l.location));
    if (market) out += fmt::format(", market {:.6f}", T(l.market));
    out += ")";
  }
  if (l.biogenic.base() != 0.0)
    out += fmt::format("; biogenic CO2 {:.6f} t (not in totals)", T(l.biogenic));
  if (l.fallback_year != 0) out += fmt::format("; factor of data year {}", l.fallback_year);
  return out + "\n";
}

bool LineMatches(const ResultLine& l, const std::string& wanted) {
  const std::string& id = l.record->id;
  if (id == wanted) return true;
  return std::to_string(l.record->line) == wanted;
}

}  // namespace

Result<std::string> Explain(const Inventory& inv, const std::string& unit_id,
                            const std::optional<std::string>& line) {
  for (const UnitInventory& u : inv.units) {
    if (u.unit->id != unit_id) continue;
    std::string out = fmt::format("{} {} ({}), {} under {}; datasets:", u.unit->id, u.unit->name_zh,
                                  u.unit->province, inv.year, inv.profile->id);
    for (const auto& [id, version] : inv.pins) out += fmt::format(" {}@{}", id, version);
    out += "\n";
    if (!line) {
      out += fmt::format(
          "energy_tce {:.6f} = sum of line energy\n"
          "scope1 {:.6f} + scope2 ({}) {:.6f} + scope3 {:.6f} = total {:.6f} tCO2e\n"
          "scope2 location {:.6f}{}; biogenic CO2 {:.6f} t (outside totals)\n\n",
          Tce(u.energy), T(u.scope1), inv.profile->headline_market ? "market" : "location",
          T(u.scope2), T(u.scope3), T(u.total), T(u.scope2_location),
          inv.market_reported ? fmt::format(", market {:.6f}", T(u.scope2_market)) : "",
          T(u.biogenic));
    }
    bool found = false;
    for (const ResultLine& l : u.lines) {
      if (line && !LineMatches(l, *line)) continue;
      found = true;
      out += LineText(l, inv.market_reported);
    }
    if (line && !found) {
      return Error::NotFound("unit '" + unit_id + "' has no line '" + *line + "'")
          .WithCode("inventory.no_line", {{"unit", unit_id}, {"line", *line}});
    }
    for (const std::string& w : u.warnings) out += "warning: " + w + "\n";
    return out;
  }
  return Error::NotFound("no unit '" + unit_id + "' in the inventory")
      .WithCode("inventory.no_unit", {{"unit", unit_id}});
}

json RestatementJson(const Restatement& r) {
  json units = json::array();
  for (const UnitRestatement& u : r.units) {
    json totals = json::object();
    for (const TotalsPair& t : u.totals) {
      totals[t.name] = {
          {"old", t.old_value}, {"new", t.new_value}, {"change", t.new_value - t.old_value}};
    }
    json lines = json::array();
    for (const LineChange& c : u.lines) {
      json factors = json::array();
      for (const FactorChange& f : c.factors) {
        factors.push_back({{"role", f.role},
                           {"dataset", f.dataset},
                           {"key", f.key},
                           {"old_version", f.old_version},
                           {"new_version", f.new_version},
                           {"old_value", f.old_value},
                           {"new_value", f.new_value},
                           {"unit", f.unit}});
      }
      lines.push_back({{"id", c.record->id},
                       {"old_tco2e", c.old_tco2e},
                       {"new_tco2e", c.new_tco2e},
                       {"old_tce", c.old_tce},
                       {"new_tce", c.new_tce},
                       {"factors", factors}});
    }
    units.push_back({{"unit_id", u.unit->id}, {"totals", totals}, {"lines", lines}});
  }
  return {{"schema", "carbonledger.restatement/1"},
          {"old_datasets", r.old_pins},
          {"new_datasets", r.new_pins},
          {"changed", r.Changed()},
          {"units", units}};
}

std::string RestatementTable(const Restatement& r) {
  std::string out = "Restatement\n  old datasets:";
  for (const auto& [id, v] : r.old_pins) out += fmt::format(" {}@{}", id, v);
  out += "\n  new datasets:";
  for (const auto& [id, v] : r.new_pins) out += fmt::format(" {}@{}", id, v);
  out += "\n";
  if (!r.Changed()) return out + "No result changes.\n";
  for (const UnitRestatement& u : r.units) {
    out += fmt::format("\n{}\n", u.unit->id);
    for (const TotalsPair& t : u.totals) {
      if (t.old_value == t.new_value) continue;
      out += fmt::format("  {:<24} {:>16.6f} -> {:>16.6f}  ({:+.6f})\n", t.name, t.old_value,
                         t.new_value, t.new_value - t.old_value);
    }
    for (const LineChange& c : u.lines) {
      out += fmt::format("  line {}: {:.6f} -> {:.6f} tCO2e\n", c.record->id, c.old_tco2e,
                         c.new_tco2e);
      for (const FactorChange& f : c.factors) {
        out += fmt::format("    {} {} {}: {}@{} {} -> {}@{} {} {}\n", f.role, f.dataset, f.key,
                           f.dataset, f.old_version, f.old_value, f.dataset, f.new_version,
                           f.new_value, f.unit);
      }
    }
  }
  return out;
}

Result<DatasetPins> PinsFromInventoryJson(const std::string& json_text, const std::string& source) {
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error::InvalidInput("not valid JSON", {source, 0, 0, ""});
  if (!j.is_object() || !j.contains("datasets") || !j["datasets"].is_object()) {
    return Error::InvalidInput("no \"datasets\" object: not a carbonledger inventory",
                               {source, 0, 0, "/datasets"});
  }
  DatasetPins pins;
  for (const auto& [id, version] : j["datasets"].items()) {
    if (!version.is_string()) {
      return Error::InvalidInput("dataset version must be a string",
                                 {source, 0, 0, "/datasets/" + id});
    }
    pins[id] = version.get<std::string>();
  }
  return pins;
}

std::string DatasetRowsTable(const Dataset& d) {
  std::string out =
      fmt::format("{} {} ({}) published {}\n{}\n\n", d.info().id, d.info().version, d.info().file,
                  d.info().published.empty() ? "?" : d.info().published, d.info().title);
  for (const FactorRow& r : d.rows()) {
    out += fmt::format("{:<28} {:<16} {:>12} {:<12} {:<10} {:<10} {:<10} {}  {}\n", r.key,
                       r.parameter, r.value.value, r.value.unit.symbol, r.region,
                       r.valid_from ? FormatDate(*r.valid_from) : "-",
                       r.valid_to ? FormatDate(*r.valid_to) : "-", r.confidence, r.source);
  }
  return out;
}

std::string DatasetDiffTable(const Dataset& older, const Dataset& newer) {
  auto key = [](const FactorRow& r) {
    return r.key + "|" + r.parameter + "|" + r.region + "|" +
           (r.valid_from ? FormatDate(*r.valid_from) : "") + "|" +
           (r.valid_to ? FormatDate(*r.valid_to) : "");
  };
  std::map<std::string, const FactorRow*> a;
  std::map<std::string, const FactorRow*> b;
  for (const FactorRow& r : older.rows()) a[key(r)] = &r;
  for (const FactorRow& r : newer.rows()) b[key(r)] = &r;
  std::string out =
      fmt::format("{}: {} -> {}\n", older.info().id, older.info().version, newer.info().version);
  int changes = 0;
  for (const auto& [k, r] : a) {
    auto it = b.find(k);
    if (it == b.end()) {
      out += fmt::format("- {} {} {} {} {}\n", r->key, r->parameter, r->region, r->value.value,
                         r->value.unit.symbol);
      ++changes;
    } else if (it->second->value.value != r->value.value ||
               it->second->value.unit.symbol != r->value.unit.symbol) {
      out += fmt::format("~ {} {} {}: {} -> {} {}\n", r->key, r->parameter, r->region,
                         r->value.value, it->second->value.value, it->second->value.unit.symbol);
      ++changes;
    }
  }
  for (const auto& [k, r] : b) {
    if (a.contains(k)) continue;
    out += fmt::format("+ {} {} {} {}..{} {} {}\n", r->key, r->parameter, r->region,
                       r->valid_from ? FormatDate(*r->valid_from) : "",
                       r->valid_to ? FormatDate(*r->valid_to) : "", r->value.value,
                       r->value.unit.symbol);
    ++changes;
  }
  out += fmt::format("{} row(s) differ\n", changes);
  return out;
}

}  // namespace cl
