// The activity catalog (data/activities.csv) and the scope 3 category table
// (data/scope3-categories.csv): what each activity code means to the engine.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/bounds.h"
#include "core/error.h"
#include "core/units.h"

namespace cl {

enum class ActivityKind {
  kGridElectricity,
  kExportedElectricity,
  kOnsiteRenewable,
  kHeat,
  kSteam,
  kExportedHeat,
  kFuel,
  kFugitive,
  kProcess,
  kBiomass,
  kScope3,
  kOutputValue,
  kProduct,
};

// The dimension a line's quantity must have.
enum class QuantityRule { kEnergy, kMass, kVolume, kEnergyOrMass, kMoney, kAny };

struct ActivityType {
  int index = 0;  // position in the catalog
  std::string code;
  std::string name_zh;
  std::string name_en;
  ActivityKind kind = ActivityKind::kFuel;
  QuantityRule quantity = QuantityRule::kAny;
  std::string tce_key;   // GB/T 2589 key, empty = no standard coal coefficient
  std::string fuel_key;  // fuel-parameters key
  int scope = 0;         // 0 = outside scopes
  int iso_category = 0;  // 0 = none
};

struct Scope3Category {
  int category = 0;
  std::string name_zh;
  std::string name_en;
  int iso_category = 0;
};

class ActivityCatalog {
 public:
  static Checked<ActivityCatalog> Parse(std::string_view activities_csv,
                                        const std::string& activities_source,
                                        std::string_view scope3_csv,
                                        const std::string& scope3_source);

  // By code ("natural_gas") or Chinese name ("天然气"); nullptr if unknown.
  const ActivityType* Find(std::string_view code_or_name) const;
  const std::vector<ActivityType>& types() const { return types_; }
  // Category 1..15, or nullptr.
  const Scope3Category* Scope3(int category) const;
  // The physical bounds of an activity's quantity (data/bounds.csv), set by
  // whoever loads the catalog; empty: only finiteness is checked.
  void SetBounds(PhysicalBounds bounds) { bounds_ = std::move(bounds); }
  const PhysicalBounds& bounds() const { return bounds_; }

 private:
  std::vector<ActivityType> types_;
  std::vector<Scope3Category> scope3_;
  PhysicalBounds bounds_;
};

const char* QuantityRuleName(QuantityRule rule);
// Whether a quantity of dimension `d` may measure an activity with this rule.
bool QuantityRuleAllows(QuantityRule rule, Dim d);

}  // namespace cl
