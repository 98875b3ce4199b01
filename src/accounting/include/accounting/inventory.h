// An inventory: per unit, energy (tce) and emissions by scope, category, gas
// and site, with one result line per activity record that says how it was
// computed (inputs x factor rows x formula).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "accounting/model.h"
#include "accounting/profile.h"
#include "accounting/reference_data.h"

namespace cl {

// One factor a line used: a dataset row, the record's own factor, or an
// option of the whole calculation (the electricity equal-value coefficient).
struct FactorUse {
  const FactorRow* row = nullptr;    // a dataset row, or nullptr:
  const Measured* option = nullptr;  // a calculation option, or nullptr: the record's factor
  const char* role = "";             // "ncv", "carbon_content", "location", ...

  bool operator==(const FactorUse&) const = default;
  bool user_supplied() const { return row == nullptr; }
  // The number and unit as written in its source.
  const cl::Measured& Value(const ActivityRecord& r) const {
    return row != nullptr ? row->value : option != nullptr ? *option : *r.factor;
  }
};

// The factors of a line, in use order. Lines computed the same way share one
// set (an inventory of 500 000 lines holds a few dozen sets).
using FactorSet = std::vector<FactorUse>;

struct ResultLine {
  const ActivityRecord* record = nullptr;
  const FactorSet* factors = nullptr;
  Energy energy;         // signed: exports are negative when deducted
  Emissions location;    // scope 2 location-based, or the only figure
  Emissions market;      // scope 2 market-based (= location outside scope 2)
  Emissions biogenic;    // biogenic CO2, never in totals
  const char* gas = "";  // "CO2", "HFC-134a", "CO2e"
  const char* formula = "";
  std::int16_t fallback_year = 0;  // data year used when the reporting year was missing
  std::int8_t scope = 0;           // 0 = outside scopes (memo, biomass, on-site, output)
  std::int8_t iso_category = 0;    // 0 = none
  bool market_headline = false;    // the profile heads scope 2 with the market figure

  // What counts in the totals.
  Emissions headline() const { return scope == 2 && market_headline ? market : location; }
};

struct SiteTotals {
  Energy energy;
  Emissions total;
};

struct ProductIntensity {
  double quantity = 0.0;
  std::string unit;
  double tce_per_unit = 0.0;
  double tco2e_per_unit = 0.0;
};

struct UnitInventory {
  const ReportingUnit* unit = nullptr;
  Energy energy;
  Emissions scope1;
  Emissions scope2_location;
  Emissions scope2_market;
  Emissions scope2;  // headline
  Emissions scope3;
  Emissions total;
  Emissions biogenic;
  std::array<Emissions, 7> iso{};  // index 1..6
  std::map<std::string, Emissions, std::less<>> by_gas;
  std::map<std::string, SiteTotals, std::less<>> by_site;
  Money output_value;
  bool has_output_value = false;
  std::map<std::string, ProductIntensity> products;
  std::vector<std::string> warnings;
  std::vector<ResultLine> lines;

  double TcePer10kCny() const;
  double Tco2ePer10kCny() const;
};

struct Inventory {
  int year = 0;
  std::vector<std::unique_ptr<const FactorSet>> factor_sets;  // shared by lines
  const Profile* profile = nullptr;
  DatasetPins pins;
  bool market_reported = false;
  std::vector<UnitInventory> units;
};

}  // namespace cl
