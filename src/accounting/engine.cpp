#include "accounting/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace cl {
namespace {

using EmissionsPerMass = Quantity<kEmissionsDim / kMassDim>;

std::string Where(const ActivityRecord& r) { return r.id; }

// Finds the factor rows a profile names and remembers them: an inventory of
// 500 000 lines resolves a few dozen rows. A cached row is reused only while
// it is valid on the line's date.
class Resolver {
 public:
  Resolver(const ReferenceSet& refs, const Profile& profile, int year)
      : refs_(refs), profile_(profile), year_(year) {}

  struct Found {
    const FactorRow* row = nullptr;
    int fallback_year = 0;
  };

  // A row of `ref` for the unit's province valid on `on`; with the profile's
  // year fallback when the reporting year is not in the pinned version.
  Result<Found> Lookup(const FactorRef& ref, const std::string& province,
                       const std::string& parameter, Date on) {
    const std::string& region = ref.region == "unit" ? province : ref.region;
    for (Entry& e : located_) {
      if (e.ref == &ref && e.parameter == &parameter && e.region == region && Usable(e.found, on)) {
        return e.found;
      }
    }
    auto found = Resolve(ref.dataset, ref.key, parameter, region, on);
    if (found.ok()) located_.push_back({&ref, &parameter, region, *found});
    return found;
  }

  // A row by name, cached in `slot` (one slot per caller and activity type).
  Result<const FactorRow*> Cached(const FactorRow*& slot, const std::string& dataset,
                                  const std::string& key, const std::string& parameter,
                                  const std::string& region, Date on) {
    if (slot != nullptr && slot->ValidOn(on)) return slot;
    auto found = Resolve(dataset, key, parameter, region, on);
    slot = found.ok() ? found->row : nullptr;
    if (!found.ok()) return found.error();
    return slot;
  }

  Result<const FactorRow*> Row(const std::string& dataset, const std::string& key,
                               const std::string& parameter, const std::string& region, Date on) {
    auto found = Resolve(dataset, key, parameter, region, on);
    if (!found.ok()) return found.error();
    return found->row;
  }

  const Profile& profile() const { return profile_; }
  int year() const { return year_; }

 private:
  struct Entry {
    const FactorRef* ref;
    const std::string* parameter;
    std::string region;
    Found found;
  };

  static bool Usable(const Found& f, Date on) { return f.fallback_year != 0 || f.row->ValidOn(on); }

  // The row, or a kNotFound error naming what is missing.
  Result<Found> Resolve(const std::string& dataset_id, const std::string& key,
                        const std::string& parameter, const std::string& region, Date on) {
    const Dataset* dataset = refs_.Get(dataset_id);
    if (dataset == nullptr)
      return Error::NotFound("dataset '" + dataset_id + "' is not loaded")
          .WithCode("inventory.dataset_unknown", {{"dataset", dataset_id}});
    if (const FactorRow* row = dataset->Find(key, parameter, region, on)) return Found{row, 0};
    if (profile_.year_fallback) {
      if (const FactorRow* row = dataset->FindLatestBefore(key, parameter, region, on)) {
        return Found{row, static_cast<int>(row->valid_to->year())};
      }
    }
    return Error::NotFound("no factor '" + key + "' (" + parameter + ") for region '" + region +
                           "' on " + FormatDate(on) + " in dataset " + dataset_id + " " +
                           dataset->info().version)
        .WithCode("inventory.no_factor", {{"key", key},
                                          {"region", region},
                                          {"date", FormatDate(on)},
                                          {"dataset", dataset_id},
                                          {"version", dataset->info().version}});
  }

  const ReferenceSet& refs_;
  const Profile& profile_;
  int year_;
  std::vector<Entry> located_;
};

// Per activity type, the rows its lines use.
struct TypeRows {
  const FactorRow* tce = nullptr;
  const FactorRow* ncv = nullptr;
  const FactorRow* carbon = nullptr;
  const FactorRow* oxidation = nullptr;
  const FactorRow* steam_content = nullptr;
  const FactorRow* heat_tce = nullptr;
  const FactorRow* ratio = nullptr;
  const std::string* tce_key = nullptr;    // after the profile's override
  bool equal_value = false;                // electricity at the equal-value option
  std::array<const FactorSet*, 4> sets{};  // the sets lines of this type used last
};

// Lines computed the same way share one FactorSet.
class FactorSets {
 public:
  explicit FactorSets(std::vector<std::unique_ptr<const FactorSet>>& owned) : owned_(owned) {}

  // `hints` are the sets last used by lines of the same type.
  const FactorSet* Intern(const FactorUse* uses, int count,
                          std::array<const FactorSet*, 4>& hints) {
    for (const FactorSet* hint : hints) {
      if (hint != nullptr && Same(*hint, uses, count)) return hint;
    }
    const FactorSet* found = nullptr;
    for (const auto& set : owned_) {
      if (Same(*set, uses, count)) found = set.get();
    }
    if (found == nullptr) {
      owned_.push_back(std::make_unique<const FactorSet>(uses, uses + count));
      found = owned_.back().get();
    }
    std::rotate(hints.rbegin(), hints.rbegin() + 1, hints.rend());
    return hints[0] = found;
  }

 private:
  static bool Same(const FactorSet& set, const FactorUse* uses, int count) {
    return set.size() == static_cast<size_t>(count) && std::equal(set.begin(), set.end(), uses);
  }
  std::vector<std::unique_ptr<const FactorSet>>& owned_;
};

const std::string kEf = "ef";
const std::string kTce = "tce_coefficient";
const std::string kNcv = "ncv";
const std::string kCarbon = "carbon_content";
const std::string kOxidation = "oxidation_rate";
const std::string kRatio = "ratio";
const std::string kCN = "CN";
const std::string kGlobal = "global";

class LineComputer {
 public:
  LineComputer(const InventoryInput& input, const ReferenceSet& refs, const Profile& profile,
               Inventory& inventory, ErrorList& errors)
      : input_(input),
        resolver_(refs, profile, input.year),
        sets_(inventory.factor_sets),
        errors_(errors),
        market_(profile.electricity_market_residual.has_value()) {
    for (const InstrumentRule& rule : profile.location_instruments) {
      for (Instrument i : {Instrument::kGreenPowerInterprovincial, Instrument::kGreenPowerContract,
                           Instrument::kGec}) {
        if (rule.instrument == InstrumentName(i)) location_rules_.emplace_back(i, &rule);
      }
    }
  }

  // Fills `line`; returns false (and records an error) when a factor is missing.
  bool Compute(const ActivityRecord& r, const ReportingUnit& unit, ResultLine& line,
               std::vector<std::string>& warnings) {
    line.record = &r;
    line.scope = static_cast<std::int8_t>(r.type->scope);
    line.iso_category =
        static_cast<std::int8_t>(r.iso_category != 0 ? r.iso_category : r.type->iso_category);
    line.market_headline = resolver_.profile().headline_market;
    ok_ = true;
    n_uses_ = 0;
    warnings_ = &warnings;
    if (static_cast<size_t>(r.type->index) >= type_rows_.size()) {
      type_rows_.resize(static_cast<size_t>(r.type->index) + 1);
    }
    rows_ = &type_rows_[static_cast<size_t>(r.type->index)];
    switch (r.type->kind) {
      case ActivityKind::kGridElectricity:
        Electricity(r, unit, line);
        break;
      case ActivityKind::kExportedElectricity:
        ExportedElectricity(r, unit, line);
        break;
      case ActivityKind::kOnsiteRenewable:
        OnsiteRenewable(r, line);
        break;
      case ActivityKind::kHeat:
        Heat(r, unit, line, false);
        break;
      case ActivityKind::kSteam:
        Heat(r, unit, line, true);
        break;
      case ActivityKind::kExportedHeat:
        ExportedHeat(r, unit, line);
        break;
      case ActivityKind::kFuel:
        Fuel(r, line);
        break;
      case ActivityKind::kFugitive:
        Gas(r, line, "fugitive");
        break;
      case ActivityKind::kProcess:
        Process(r, line);
        break;
      case ActivityKind::kBiomass:
        Biomass(r, line);
        break;
      case ActivityKind::kScope3:
        Scope3(r, line);
        break;
      case ActivityKind::kOutputValue:
      case ActivityKind::kProduct:
        line.scope = 0;
        break;
    }
    if (line.scope != 2) line.market = line.location;
    line.factors = sets_.Intern(uses_.data(), n_uses_, rows_->sets);
    return ok_;
  }

 private:
  void Fail(const ActivityRecord& r, const std::string& message, int column = 0,
            const char* field = "", const char* code = "", ProblemParams params = {}) {
    errors_.Add(Error::NotFound(message, {r.source_file, r.line, column, field})
                    .WithCode(code, std::move(params)));
    ok_ = false;
  }
  // A factor that could not be found, at the record's line, with its code.
  void Fail(const ActivityRecord& r, const Error& e) {
    errors_.Add(Error::NotFound(e.message(), {r.source_file, r.line, 0, ""})
                    .WithCode(e.code(), e.params()));
    ok_ = false;
  }
  void Warn(const ActivityRecord& r, const std::string& message) {
    warnings_->push_back(Where(r) + ": " + message);
  }
  void Use(const FactorRow* row, const char* role) {
    uses_[static_cast<size_t>(n_uses_++)] = {row, nullptr, role};
  }
  void UseOption(const Measured* option, const char* role) {
    uses_[static_cast<size_t>(n_uses_++)] = {nullptr, option, role};
  }
  void UseRecordFactor(const char* role) {
    uses_[static_cast<size_t>(n_uses_++)] = {nullptr, nullptr, role};
  }

  // A named row, cached per activity type in `slot`.
  const FactorRow* Row(const ActivityRecord& r, const FactorRow*& slot, const std::string& dataset,
                       const std::string& key, const std::string& parameter,
                       const std::string& region) {
    auto row = resolver_.Cached(slot, dataset, key, parameter, region, r.period.start);
    if (!row.ok()) {
      Fail(r, row.error());
      return nullptr;
    }
    return *row;
  }

  // The row of `ref` for the unit; memoised per unit, since records come
  // grouped by unit and a unit's lines share its province.
  Result<Resolver::Found> Located(const FactorRef& ref, const ReportingUnit& unit, Date on) {
    for (UnitMemo& m : memo_) {
      if (m.unit == &unit && m.ref == &ref &&
          (m.found.fallback_year != 0 || m.found.row->ValidOn(on))) {
        return m.found;
      }
    }
    auto f = resolver_.Lookup(ref, unit.province, kEf, on);
    if (f.ok()) memo_[next_memo_++ % memo_.size()] = {&unit, &ref, *f};
    return f;
  }

  const FactorRow* Ref(const ActivityRecord& r, const FactorRef& ref, const ReportingUnit& unit,
                       ResultLine& line) {
    auto located = Located(ref, unit, r.period.start);
    if (!located.ok()) {
      Fail(r, located.error());
      return nullptr;
    }
    const Resolver::Found& f = *located;
    if (f.fallback_year != 0 && line.fallback_year == 0) {
      line.fallback_year = static_cast<std::int16_t>(f.fallback_year);
      Warn(r, "no " + ref.dataset + " factor '" + ref.key + "' for " +
                  std::to_string(resolver_.year()) + " in the pinned version; used data year " +
                  std::to_string(f.fallback_year));
    }
    return f.row;
  }

  // quantity × a GB/T 2589 coefficient (or the equal-value option).
  const std::string& TceKey(const ActivityType& type) {
    if (rows_->tce_key == nullptr) {
      rows_->tce_key = &type.tce_key;
      auto override_key = resolver_.profile().tce_keys.find(type.code);
      if (override_key != resolver_.profile().tce_keys.end())
        rows_->tce_key = &override_key->second;
      rows_->equal_value =
          *rows_->tce_key == "electricity_equivalent" && input_.electricity_equal_value;
    }
    return *rows_->tce_key;
  }

  void StandardCoal(const ActivityRecord& r, ResultLine& line, double sign) {
    const std::string* key = &TceKey(*r.type);
    if (r.quantity.unit.dim == kEnergyDim && r.type->kind == ActivityKind::kFuel) {
      line.energy = Energy::FromBase(r.quantity.base()) * sign;  // already energy: by definition
      return;
    }
    if (rows_->equal_value) {
      line.energy =
          Energy::FromBase(r.quantity.base() * input_.electricity_equal_value->base()) * sign;
      UseOption(&*input_.electricity_equal_value, "tce_coefficient (equal value)");
      return;
    }
    if (key->empty()) {
      if (r.quantity.unit.dim == kEnergyDim) {
        line.energy = Energy::FromBase(r.quantity.base()) * sign;
      } else {
        Warn(r, "no GB/T 2589 standard coal coefficient for '" + r.type->code +
                    "'; give the quantity in GJ to count it in energy");
      }
      return;
    }
    const FactorRow* coef = Row(r, rows_->tce, "gbt2589", *key, kTce, kCN);
    if (coef == nullptr) return;
    if (!(coef->value.unit.dim == kEnergyDim / r.quantity.unit.dim)) {
      Fail(r,
           "quantity in '" + r.quantity.unit.symbol + "' does not fit the coefficient in '" +
               coef->value.unit.symbol + "'",
           4, "quantity");
      return;
    }
    line.energy = Energy::FromBase(r.quantity.base() * coef->value.base()) * sign;
    Use(coef, "tce_coefficient");
  }

  // quantity × the record's own factor, which this kind of line requires.
  Emissions TimesUserFactor(const ActivityRecord& r, const char* role) {
    if (!r.factor) {
      Fail(r, "activity '" + r.type->code + "' needs a factor and factor_unit", 11, "factor",
           "inventory.needs_factor", {{"activity", r.type->code}});
      return {};
    }
    UseRecordFactor(role);
    return Times(r, *r.factor);
  }

  // Emissions of a quantity at a factor whose unit is emissions per quantity.
  Emissions Times(const ActivityRecord& r, const Measured& factor) {
    if (!(factor.unit.dim == kEmissionsDim / r.quantity.unit.dim)) {
      Fail(r,
           "factor unit '" + factor.unit.symbol + "' is " + DimName(factor.unit.dim) +
               "; for a quantity in '" + r.quantity.unit.symbol + "' it must be emissions/" +
               DimName(r.quantity.unit.dim),
           12, "factor_unit");
      return {};
    }
    return Emissions::FromBase(r.quantity.base() * factor.base());
  }

  void Electricity(const ActivityRecord& r, const ReportingUnit& unit, ResultLine& line) {
    const Profile& p = resolver_.profile();
    StandardCoal(r, line, 1.0);
    line.gas = "CO2";
    line.formula = "AD (MWh) × EF (tCO2/MWh)";
    const FactorRow* loc = nullptr;
    for (const auto& [instrument, rule] : location_rules_) {
      if (instrument != r.instrument) continue;
      // Not in force (e.g. Shanghai green power before 2023): the normal factor applies.
      auto found = resolver_.Lookup(rule->factor, unit.province, kEf, r.period.start);
      loc = found.ok() ? found->row : nullptr;
    }
    if (loc == nullptr) loc = Ref(r, p.electricity_location, unit, line);
    if (loc == nullptr) return;
    line.location = Times(r, loc->value);
    Use(loc, "location");
    if (market_) MarketElectricity(r, unit, line);
  }

  void MarketElectricity(const ActivityRecord& r, const ReportingUnit& unit, ResultLine& line) {
    const Profile& p = resolver_.profile();
    const FactorRow* residual = Ref(r, *p.electricity_market_residual, unit, line);
    if (residual == nullptr) return;
    if (r.instrument == Instrument::kNone) {
      line.market = Times(r, residual->value);
      Use(residual, "market residual");
      return;
    }
    const FactorRow* green = r.factor ? nullptr : Ref(r, p.green_instrument, unit, line);
    if (!r.factor && green == nullptr) return;
    const Measured& instrument_ef = r.factor ? *r.factor : green->value;
    if (r.factor)
      UseRecordFactor("market instrument");
    else
      Use(green, "market instrument");
    if (r.instrument != Instrument::kGec) {
      line.market = Times(r, instrument_ef);
      return;
    }
    line.market = Certificates(r, instrument_ef, *residual);
    Use(residual, "market residual");
  }

  // One certificate = 1 MWh (NEA GEC rules, facts §6.1): covered MWh at the
  // instrument's factor, the rest at the residual.
  Emissions Certificates(const ActivityRecord& r, const Measured& instrument_ef,
                         const FactorRow& residual) {
    Energy covered = static_cast<double>(r.instrument_ids.size()) * units::kMWh;
    Energy quantity = Energy::FromBase(r.quantity.base());
    if (covered > quantity) {
      Warn(r, fmt::format("{} certificates exceed the line's {:g} MWh; the surplus is not applied",
                          r.instrument_ids.size(), In(quantity, units::kMWh)));
      covered = quantity;
    } else if (covered < quantity) {
      Warn(r, fmt::format("certificates cover {:g} of {:g} MWh; the rest is at the residual factor",
                          In(covered, units::kMWh), In(quantity, units::kMWh)));
    }
    EmissionsPerEnergy ef_green = EmissionsPerEnergy::FromBase(instrument_ef.base());
    EmissionsPerEnergy ef_residual = EmissionsPerEnergy::FromBase(residual.value.base());
    return covered * ef_green + (quantity - covered) * ef_residual;
  }

  void ExportedElectricity(const ActivityRecord& r, const ReportingUnit& unit, ResultLine& line) {
    const Profile& p = resolver_.profile();
    line.gas = "CO2";
    if (!p.deduct_exports) {
      Memo(line);
      return;
    }
    StandardCoal(r, line, -1.0);
    line.formula = "−AD (MWh) × EF (tCO2/MWh)";
    const FactorRow* loc = Ref(r, p.electricity_location, unit, line);
    if (loc == nullptr) return;
    line.location = -Times(r, loc->value);
    Use(loc, "location");
  }

  static void Memo(ResultLine& line) {
    line.scope = 0;
    line.iso_category = 0;
    line.formula = "memo: exported energy is not deducted under this profile";
  }

  void OnsiteRenewable(const ActivityRecord& r, ResultLine& line) {
    line.scope = 0;
    line.formula = "self-generated renewable electricity: no emissions";
    if (resolver_.profile().onsite_renewables_in_energy) StandardCoal(r, line, 1.0);
  }

  // Heat in GJ, or steam in t converted with the low-pressure steam heat content.
  void Heat(const ActivityRecord& r, const ReportingUnit& unit, ResultLine& line, bool steam) {
    const Profile& p = resolver_.profile();
    line.gas = "CO2";
    Energy heat = Energy::FromBase(r.quantity.base());
    if (steam && r.quantity.unit.dim == kMassDim) {
      StandardCoal(r, line, 1.0);
      const FactorRow* content =
          Row(r, rows_->steam_content, "gbt2589", r.type->tce_key, kNcv, kCN);
      if (content == nullptr) return;
      heat = Energy::FromBase(r.quantity.base() * content->value.base());
      Use(content, "steam heat content");
      line.formula = "AD (t) × heat content (GJ/t) × EF (tCO2/GJ)";
    } else {
      const FactorRow* coef = Row(r, rows_->heat_tce, "gbt2589", "heat", kTce, kCN);
      if (coef == nullptr) return;
      line.energy = Energy::FromBase(heat.base() * coef->value.base());
      Use(coef, "tce_coefficient");
      line.formula = "AD (GJ) × EF (tCO2/GJ)";
    }
    const FactorRow* ef = Ref(r, p.heat, unit, line);
    if (ef == nullptr) return;
    line.location = heat * EmissionsPerEnergy::FromBase(ef->value.base());
    Use(ef, "location");
    if (!r.factor) {
      line.market = line.location;
    } else if (market_) {
      line.market = Emissions::FromBase(heat.base() * r.factor->base());
      UseRecordFactor("market supplier-specific");
    } else {
      line.market = line.location;
      Warn(r, "supplier-specific heat factor ignored under profile " + p.id);
    }
  }

  void ExportedHeat(const ActivityRecord& r, const ReportingUnit& unit, ResultLine& line) {
    const Profile& p = resolver_.profile();
    line.gas = "CO2";
    if (!p.deduct_exports) {
      Memo(line);
      return;
    }
    const FactorRow* coef = Row(r, rows_->heat_tce, "gbt2589", "heat", kTce, kCN);
    const FactorRow* ef = Ref(r, p.heat, unit, line);
    if (coef == nullptr || ef == nullptr) return;
    line.energy = -Energy::FromBase(r.quantity.base() * coef->value.base());
    line.location = -Times(r, ef->value);
    Use(coef, "tce_coefficient");
    Use(ef, "location");
    line.formula = "−AD (GJ) × EF (tCO2/GJ)";
  }

  void Fuel(const ActivityRecord& r, ResultLine& line) {
    line.gas = "CO2";
    StandardCoal(r, line, 1.0);
    if (r.factor) {
      line.location = TimesUserFactor(r, "direct emission factor");
      line.formula = "FC × EF (user-supplied)";
      return;
    }
    const std::string& fuel = r.type->fuel_key;
    const FactorRow* cc = Row(r, rows_->carbon, "fuel-parameters", fuel, kCarbon, kCN);
    const FactorRow* of = Row(r, rows_->oxidation, "fuel-parameters", fuel, kOxidation, kCN);
    const FactorRow* ratio = Row(r, rows_->ratio, "constants", "co2_per_carbon", kRatio, kGlobal);
    if (cc == nullptr || of == nullptr || ratio == nullptr) return;
    Energy heat = Energy::FromBase(r.quantity.base());
    if (r.quantity.unit.dim == kEnergyDim) {
      line.formula = "AD (GJ) × CC × OF × 44/12";
    } else {
      const FactorRow* ncv = Row(r, rows_->ncv, "fuel-parameters", fuel, kNcv, kCN);
      if (ncv == nullptr) return;
      if (!(ncv->value.unit.dim == kEnergyDim / r.quantity.unit.dim)) {
        Fail(r,
             "quantity in '" + r.quantity.unit.symbol + "' does not fit the NCV in '" +
                 ncv->value.unit.symbol + "'",
             5, "unit_of_measure");
        return;
      }
      heat = Energy::FromBase(r.quantity.base() * ncv->value.base());
      Use(ncv, "ncv");
      line.formula = "FC × NCV × CC × OF × 44/12";
    }
    Mass carbon = heat * Quantity<kMassDim / kEnergyDim>::FromBase(cc->value.base());
    line.location = carbon * of->value.base() * EmissionsPerMass::FromBase(ratio->value.base());
    Use(cc, "carbon_content");
    Use(of, "oxidation_rate");
    Use(ratio, "44/12");
  }

  // The GWP of a gas in the profile's set; AR6 fugitive/process CH4 is fossil.
  const FactorRow* Gwp(const ActivityRecord& r, const char* what) {
    for (const auto& [gas, row] : gwp_) {
      if (gas == r.qualifier) return row;
    }
    const std::string& set = resolver_.profile().gwp_set;
    const FactorRow* gwp = nullptr;
    if (r.qualifier == "CH4") {
      auto fossil = resolver_.Row("gwp", "CH4_fossil", set, kGlobal, r.period.start);
      if (fossil.ok()) gwp = *fossil;
    }
    if (gwp == nullptr) {
      auto row = resolver_.Row("gwp", r.qualifier, set, kGlobal, r.period.start);
      if (row.ok()) gwp = *row;
    }
    if (gwp == nullptr) {
      Fail(r, std::string("no ") + set + " GWP for " + what + " gas '" + r.qualifier + "'", 3,
           "activity");
      return nullptr;
    }
    gwp_.emplace_back(r.qualifier, gwp);
    return gwp;
  }

  // Mass of a greenhouse gas × its GWP in the profile's set.
  void Gas(const ActivityRecord& r, ResultLine& line, const char* what) {
    line.gas = r.qualifier.c_str();
    line.formula = "mass of gas (t) × GWP";
    const FactorRow* gwp = Gwp(r, what);
    if (gwp == nullptr) return;
    line.location =
        Mass::FromBase(r.quantity.base()) * EmissionsPerMass::FromBase(gwp->value.base());
    Use(gwp, "gwp");
  }

  void Process(const ActivityRecord& r, ResultLine& line) {
    if (!r.qualifier.empty()) {
      Gas(r, line, "process");
      return;
    }
    line.gas = "CO2e";
    line.formula = "AD × EF (user-supplied)";
    line.location = TimesUserFactor(r, "process emission factor");
  }

  void Biomass(const ActivityRecord& r, ResultLine& line) {
    line.scope = 0;
    line.iso_category = 0;
    line.gas = "CO2 (biogenic)";
    line.formula = "AD × EF (user-supplied); biogenic CO2 reported outside the totals";
    StandardCoal(r, line, 1.0);
    line.biogenic = TimesUserFactor(r, "biogenic CO2 factor");
  }

  void Scope3(const ActivityRecord& r, ResultLine& line) {
    line.gas = "CO2e";
    line.formula = "AD × EF (user-supplied)";
    line.location = TimesUserFactor(r, "scope 3 emission factor");
  }

  const InventoryInput& input_;
  Resolver resolver_;
  FactorSets sets_;
  ErrorList& errors_;
  bool market_;
  bool ok_ = true;
  std::array<FactorUse, 6> uses_{};
  int n_uses_ = 0;
  std::vector<std::string>* warnings_ = nullptr;
  std::vector<TypeRows> type_rows_;
  TypeRows* rows_ = nullptr;
  std::vector<std::pair<Instrument, const InstrumentRule*>> location_rules_;
  std::vector<std::pair<std::string, const FactorRow*>> gwp_;
  struct UnitMemo {
    const ReportingUnit* unit = nullptr;
    const FactorRef* ref = nullptr;
    Resolver::Found found;
  };
  std::array<UnitMemo, 8> memo_{};
  size_t next_memo_ = 0;
};

void AddGas(UnitInventory& u, std::string_view gas, Emissions e) {
  auto it = u.by_gas.find(gas);
  if (it == u.by_gas.end()) {
    u.by_gas.emplace(std::string(gas), e);
  } else {
    it->second += e;
  }
}

// Sums a finished line into its unit.
SiteTotals& Site(UnitInventory& u, const std::string& site_id) {
  auto it = u.by_site.find(std::string_view{site_id});
  if (it == u.by_site.end()) it = u.by_site.emplace(site_id, SiteTotals{}).first;
  return it->second;
}

void Accumulate(UnitInventory& u, SiteTotals& site, const ResultLine& line) {
  const ActivityRecord& r = *line.record;
  u.energy += line.energy;
  u.biogenic += line.biogenic;
  const Emissions headline = line.headline();
  site.energy += line.energy;
  switch (line.scope) {
    case 1:
      u.scope1 += headline;
      break;
    case 2:
      u.scope2_location += line.location;
      u.scope2_market += line.market;
      u.scope2 += headline;
      break;
    case 3:
      u.scope3 += headline;
      break;
    default:
      break;
  }
  if (line.scope != 0) {
    site.total += headline;
    AddGas(u, line.gas, headline);
    if (line.iso_category >= 1 && line.iso_category <= 6) {
      u.iso[static_cast<size_t>(static_cast<int>(line.iso_category))] += headline;
    }
  }
  if (r.type->kind == ActivityKind::kOutputValue) {
    u.output_value += Money::FromBase(r.quantity.base());
    u.has_output_value = true;
  }
}

// Product output for intensities; one unit of measure per product and unit.
void AddProduct(UnitInventory& u, const ActivityRecord& r, ErrorList& errors) {
  ProductIntensity& p = u.products[r.qualifier];
  if (!p.unit.empty() && p.unit != r.quantity.unit.symbol) {
    errors.Add(Error::InvalidInput("product '" + r.qualifier + "' is in '" + p.unit +
                                       "' on an earlier line; use one unit of measure per product",
                                   {r.source_file, r.line, 5, "unit_of_measure"}));
    return;
  }
  p.quantity += r.quantity.value;
  p.unit = r.quantity.unit.symbol;
}

// Every figure a finite number: a product or sum that overflowed (a quantity
// or factor beyond physical bounds) is an error at its line, or its unit's,
// never an inventory with infinite or missing totals.
void CheckFinite(const Inventory& inv, ErrorList& errors) {
  for (const UnitInventory& u : inv.units) {
    for (const ResultLine& l : u.lines)
      if (!std::isfinite(l.energy.base() + l.location.base() + l.market.base() + l.biogenic.base()))
        errors.Add(Error::InvalidInput(
            "the line's figures are not finite numbers: its quantity or factor is beyond "
            "physical bounds",
            {l.record->source_file, l.record->line, 0, "quantity"}));
    double sum = u.energy.base() + u.scope1.base() + u.scope2_location.base() +
                 u.scope2_market.base() + u.scope2.base() + u.scope3.base() + u.total.base() +
                 u.biogenic.base() + u.output_value.base();
    for (Emissions e : u.iso) sum += e.base();
    for (const auto& [gas, e] : u.by_gas) sum += e.base();
    for (const auto& [id, site] : u.by_site) sum += site.energy.base() + site.total.base();
    for (const auto& [name, p] : u.products) sum += p.quantity + p.tce_per_unit + p.tco2e_per_unit;
    // Their sum is finite when every figure is, unless figures near the end of
    // the range of a double (absurd themselves) overflow it together.
    if (!std::isfinite(sum))
      errors.Add(Error::InvalidInput("the totals of unit '" + u.unit->id +
                                     "' are not finite numbers: a sum overflowed; correct the "
                                     "quantities beyond physical bounds"));
  }
}

}  // namespace

Checked<Inventory> ComputeInventory(const InventoryInput& input, const ReferenceSet& refs,
                                    const Profile& profile) {
  ErrorList errors;
  Inventory inv;
  inv.year = input.year;
  inv.profile = &profile;
  inv.pins = refs.Pins();
  inv.market_reported = profile.electricity_market_residual.has_value();
  inv.units.resize(input.units.size());
  std::vector<size_t> counts(input.units.size(), 0);
  for (const ActivityRecord& r : input.records) ++counts[static_cast<size_t>(r.unit_index)];
  for (size_t i = 0; i < input.units.size(); ++i) {
    UnitInventory& u = inv.units[i];
    u.unit = &input.units[i];
    u.lines.reserve(counts[i]);
    if (!profile.region.empty() && u.unit->province != profile.region) {
      u.warnings.push_back("unit is in province " + u.unit->province + "; profile " + profile.id +
                           " applies the rules of " + profile.region + " as asked");
    }
  }
  LineComputer computer(input, refs, profile, inv, errors);
  const UnitInventory* last_unit = nullptr;
  const std::string* last_site_id = nullptr;
  SiteTotals* last_site = nullptr;
  for (const ActivityRecord& r : input.records) {
    UnitInventory& u = inv.units[static_cast<size_t>(r.unit_index)];
    ResultLine& line = u.lines.emplace_back();
    computer.Compute(r, *u.unit, line, u.warnings);
    if (&u != last_unit || r.site_id != *last_site_id) {
      last_site = &Site(u, r.site_id);
      last_unit = &u;
      last_site_id = &r.site_id;
    }
    Accumulate(u, *last_site, line);
    if (r.type->kind == ActivityKind::kProduct) AddProduct(u, r, errors);
  }
  if (!errors.empty()) return errors;
  for (UnitInventory& u : inv.units) {
    u.total = u.scope1 + u.scope2 + u.scope3;
    for (auto& [name, p] : u.products) {
      if (p.quantity == 0.0) continue;
      p.tce_per_unit = In(u.energy, units::kTce) / p.quantity;
      p.tco2e_per_unit = In(u.scope1 + u.scope2, units::kTCO2e) / p.quantity;
    }
  }
  CheckFinite(inv, errors);
  if (!errors.empty()) return errors;
  return inv;
}

}  // namespace cl
