#include "accounting/catalog.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "core/csv.h"

namespace cl {
namespace {

constexpr std::array<std::pair<std::string_view, ActivityKind>, 13> kKinds = {{
    {"grid_electricity", ActivityKind::kGridElectricity},
    {"exported_electricity", ActivityKind::kExportedElectricity},
    {"onsite_renewable", ActivityKind::kOnsiteRenewable},
    {"heat", ActivityKind::kHeat},
    {"steam", ActivityKind::kSteam},
    {"exported_heat", ActivityKind::kExportedHeat},
    {"fuel", ActivityKind::kFuel},
    {"fugitive", ActivityKind::kFugitive},
    {"process", ActivityKind::kProcess},
    {"biomass", ActivityKind::kBiomass},
    {"scope3", ActivityKind::kScope3},
    {"output_value", ActivityKind::kOutputValue},
    {"product", ActivityKind::kProduct},
}};

constexpr std::array<std::pair<std::string_view, QuantityRule>, 6> kRules = {{
    {"energy", QuantityRule::kEnergy},
    {"mass", QuantityRule::kMass},
    {"volume", QuantityRule::kVolume},
    {"energy_or_mass", QuantityRule::kEnergyOrMass},
    {"money", QuantityRule::kMoney},
    {"any", QuantityRule::kAny},
}};

template <typename T, size_t N>
const T* Lookup(const std::array<std::pair<std::string_view, T>, N>& table, std::string_view s) {
  for (const auto& [name, value] : table) {
    if (name == s) return &value;
  }
  return nullptr;
}

bool ParseSmallInt(std::string_view s, int& out) {
  if (s.empty()) {
    out = 0;
    return true;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

void ParseTypes(const CsvTable& table, const std::string& source, std::vector<ActivityType>& out,
                ErrorList& errors) {
  for (size_t i = 1; i < table.records.size(); ++i) {
    const CsvRecord& r = table.records[i];
    if (r.fields.size() != 10) {
      errors.Add(Error::InvalidInput("expected 10 columns", {source, r.line, 0, ""}));
      continue;
    }
    ActivityType t;
    t.index = static_cast<int>(out.size());
    t.code = r.fields[0];
    t.name_zh = r.fields[1];
    t.name_en = r.fields[2];
    const ActivityKind* kind = Lookup(kKinds, r.fields[3]);
    const QuantityRule* rule = Lookup(kRules, r.fields[4]);
    if (kind == nullptr) {
      errors.Add(
          Error::InvalidInput("unknown kind '" + r.fields[3] + "'", {source, r.line, 4, "kind"}));
      continue;
    }
    if (rule == nullptr) {
      errors.Add(Error::InvalidInput("unknown quantity dimension '" + r.fields[4] + "'",
                                     {source, r.line, 5, "quantity_dimension"}));
      continue;
    }
    t.kind = *kind;
    t.quantity = *rule;
    t.tce_key = r.fields[5];
    t.fuel_key = r.fields[6];
    if (!ParseSmallInt(r.fields[7], t.scope) || !ParseSmallInt(r.fields[8], t.iso_category)) {
      errors.Add(Error::InvalidInput("scope and iso_category must be integers",
                                     {source, r.line, 8, "scope"}));
      continue;
    }
    out.push_back(std::move(t));
  }
}

}  // namespace

bool QuantityRuleAllows(QuantityRule rule, Dim d) {
  switch (rule) {
    case QuantityRule::kEnergy:
      return d == kEnergyDim;
    case QuantityRule::kMass:
      return d == kMassDim;
    case QuantityRule::kVolume:
      return d == kVolumeDim;
    case QuantityRule::kEnergyOrMass:
      return d == kEnergyDim || d == kMassDim;
    case QuantityRule::kMoney:
      return d == kMoneyDim;
    case QuantityRule::kAny:
      return true;
  }
  return false;
}

const char* QuantityRuleName(QuantityRule rule) {
  for (const auto& [name, value] : kRules) {
    if (value == rule) return name.data();
  }
  return "any";
}

Checked<ActivityCatalog> ActivityCatalog::Parse(std::string_view activities_csv,
                                                const std::string& activities_source,
                                                std::string_view scope3_csv,
                                                const std::string& scope3_source) {
  ActivityCatalog catalog;
  CsvTable types = ParseCsv(activities_csv, activities_source);
  ErrorList errors = types.errors;
  ParseTypes(types, activities_source, catalog.types_, errors);
  CsvTable cats = ParseCsv(scope3_csv, scope3_source);
  errors.Append(cats.errors);
  for (size_t i = 1; i < cats.records.size(); ++i) {
    const CsvRecord& r = cats.records[i];
    Scope3Category c;
    if (r.fields.size() != 5 || !ParseSmallInt(r.fields[0], c.category) ||
        !ParseSmallInt(r.fields[3], c.iso_category)) {
      errors.Add(Error::InvalidInput("expected category,name_zh,name_en,iso_category,source",
                                     {scope3_source, r.line, 0, ""}));
      continue;
    }
    c.name_zh = r.fields[1];
    c.name_en = r.fields[2];
    catalog.scope3_.push_back(std::move(c));
  }
  if (!errors.empty()) return errors;
  return catalog;
}

const ActivityType* ActivityCatalog::Find(std::string_view code_or_name) const {
  for (const ActivityType& t : types_) {
    if (t.code == code_or_name || t.name_zh == code_or_name) return &t;
  }
  return nullptr;
}

const Scope3Category* ActivityCatalog::Scope3(int category) const {
  for (const Scope3Category& c : scope3_) {
    if (c.category == category) return &c;
  }
  return nullptr;
}

}  // namespace cl
