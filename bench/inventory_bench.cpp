// Inventory engine throughput: N units × 50 activity lines, full inventories
// (energy, scopes 1–3, ISO categories, gases, sites, provenance per line)
// under each methodology profile, against a naive baseline doing the same
// arithmetic the obvious way (string-keyed map look-ups per line, a
// provenance string per line, per-unit totals in a map).
//
//   build/release/bench/inventory_bench --benchmark_filter=10000
#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <random>

#include "accounting/engine.h"
#include "core/credit_code.h"
#include "refdata/reference_store.h"

namespace cl {
namespace {

constexpr int kLinesPerUnit = 50;

const ReferenceData& Data() {
  static auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  if (!data.ok()) std::abort();
  return *data.value();
}

Measured M(double v, const char* unit) { return {v, *ParseUnit(unit)}; }

// A realistic mix: electricity (some green), gas, diesel, heat, steam,
// refrigerant, scope 3 travel and output value; provinces cycle.
InventoryInput MakeInput(int n_units) {
  const ReferenceData& d = Data();
  static const char* kProvinces[] = {"310000", "320000", "330000", "440000", "110000", "510000"};
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> q(10.0, 5000.0);
  InventoryInput in;
  in.year = 2023;
  for (int u = 0; u < n_units; ++u) {
    ReportingUnit unit;
    unit.id = "U" + std::to_string(u);
    unit.province = kProvinces[u % 6];
    in.units.push_back(unit);
  }
  const ActivityType* elec = d.catalog.Find("electricity");
  const ActivityType* gas = d.catalog.Find("natural_gas");
  const ActivityType* diesel = d.catalog.Find("diesel");
  const ActivityType* heat = d.catalog.Find("heat");
  const ActivityType* fugitive = d.catalog.Find("fugitive");
  const ActivityType* scope3 = d.catalog.Find("scope3");
  in.records.reserve(static_cast<size_t>(n_units) * kLinesPerUnit);
  for (int u = 0; u < n_units; ++u) {
    for (int l = 0; l < kLinesPerUnit; ++l) {
      ActivityRecord r;
      r.id = "activities.csv:" + std::to_string(u * kLinesPerUnit + l + 2);
      r.line = u * kLinesPerUnit + l + 2;
      r.unit_index = u;
      r.site_id = l < 25 ? "main" : "plant2";
      int month = l % 12 + 1;
      r.period = {Date{std::chrono::year(2023), std::chrono::month(static_cast<unsigned>(month)),
                       std::chrono::day(1)},
                  Date{std::chrono::year(2023), std::chrono::month(static_cast<unsigned>(month)),
                       std::chrono::day(28)}};
      switch (l % 10) {
        case 0:
        case 1:
        case 2:
        case 3:
          r.type = elec;
          r.quantity = M(q(rng), "MWh");
          if (l % 10 == 3) r.instrument = Instrument::kGreenPowerInterprovincial;
          break;
        case 4:
        case 5:
          r.type = gas;
          r.quantity = M(q(rng) * 100, "m3");
          break;
        case 6:
          r.type = diesel;
          r.quantity = M(q(rng) / 100, "t");
          break;
        case 7:
          r.type = heat;
          r.quantity = M(q(rng), "GJ");
          break;
        case 8:
          r.type = fugitive;
          r.qualifier = "HFC-134a";
          r.quantity = M(q(rng) / 100, "kg");
          break;
        default:
          r.type = scope3;
          r.qualifier = "6";
          r.iso_category = 3;
          r.quantity = M(q(rng) * 10, "km");
          r.factor = M(0.15, "kgCO2e/km");
          break;
      }
      in.records.push_back(std::move(r));
    }
  }
  return in;
}

const InventoryInput& Input(int n_units) {
  static std::map<int, InventoryInput> inputs;
  auto it = inputs.find(n_units);
  if (it == inputs.end()) it = inputs.emplace(n_units, MakeInput(n_units)).first;
  return it->second;
}

const char* kProfiles[] = {"cn-national", "shanghai", "ghg-protocol"};

void BM_Engine(benchmark::State& state, const char* profile_id) {
  const ReferenceData& d = Data();
  const InventoryInput& in = Input(static_cast<int>(state.range(0)));
  ReferenceSet refs = *d.library.Select();
  const Profile& profile = *d.FindProfile(profile_id);
  for (auto _ : state) {
    Checked<Inventory> inv = ComputeInventory(in, refs, profile);
    if (!inv.ok()) state.SkipWithError("engine failed");
    benchmark::DoNotOptimize(inv);
  }
  state.counters["units/s"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_EngineAllProfiles(benchmark::State& state) {
  const ReferenceData& d = Data();
  const InventoryInput& in = Input(static_cast<int>(state.range(0)));
  ReferenceSet refs = *d.library.Select();
  for (auto _ : state) {
    for (const char* p : kProfiles) {
      Checked<Inventory> inv = ComputeInventory(in, refs, *d.FindProfile(p));
      benchmark::DoNotOptimize(inv);
    }
  }
  state.counters["units/s"] = benchmark::Counter(
      3.0 * static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// ---- the obvious way --------------------------------------------------------

struct NaiveTotals {
  double tce = 0, s1 = 0, s2_loc = 0, s2_mkt = 0, s3 = 0;
  std::map<std::string, double> by_site;
  std::map<std::string, double> by_gas;
  std::vector<std::string> provenance;
};

// Every factor row, keyed "dataset|key|parameter|region|year" (string look-up per use).
std::map<std::string, double> NaiveFactorTable(const ReferenceSet& refs) {
  std::map<std::string, double> t;
  for (const char* id : {"gbt2589", "fuel-parameters", "grid-electricity", "heat", "shanghai-local",
                         "gwp", "constants"}) {
    for (const FactorRow& r : refs.Get(id)->rows()) {
      for (int year = 2021; year <= 2023; ++year) {
        Date on{std::chrono::year(year), std::chrono::January, std::chrono::day(1)};
        if (!r.ValidOn(on)) continue;
        t[std::string(id) + "|" + r.key + "|" + r.parameter + "|" + r.region + "|" +
          std::to_string(year)] = r.value.base();
      }
    }
  }
  return t;
}

std::map<std::string, NaiveTotals> NaiveInventory(const InventoryInput& in,
                                                  const std::map<std::string, double>& f,
                                                  const Profile& p) {
  std::map<std::string, NaiveTotals> out;
  const std::string y = std::to_string(in.year);
  auto get = [&](const std::string& k) { return f.at(k); };
  for (const ActivityRecord& r : in.records) {
    const ReportingUnit& unit = in.units[static_cast<size_t>(r.unit_index)];
    NaiveTotals& t = out[unit.id];
    const std::string code = r.type->code;
    double q = r.quantity.base();
    double tce = 0, e = 0, mkt = 0;
    int scope = r.type->scope;
    if (code == "electricity") {
      tce = q * get("gbt2589|electricity_equivalent|tce_coefficient|CN|" + y);
      std::string region =
          p.electricity_location.region == "unit" ? unit.province : p.electricity_location.region;
      double ef = get(p.electricity_location.dataset + "|" + p.electricity_location.key + "|ef|" +
                      region + "|" + y);
      if (p.id == "shanghai" && r.instrument == Instrument::kGreenPowerInterprovincial)
        ef = get("shanghai-local|green_power_interprovincial|ef|310000|" + y);
      e = q * ef;
      mkt = e;
      if (p.electricity_market_residual) {
        mkt = r.instrument != Instrument::kNone
                  ? 0.0
                  : q * get("grid-electricity|grid_excl_market_nonfossil|ef|CN|" + y);
      }
    } else if (code == "natural_gas" || code == "diesel") {
      std::string tce_key = code == "natural_gas" ? p.tce_keys.at("natural_gas") : "diesel";
      tce = q * get("gbt2589|" + tce_key + "|tce_coefficient|CN|" + y);
      e = q * get("fuel-parameters|" + code + "|ncv|CN|" + y) *
          get("fuel-parameters|" + code + "|carbon_content|CN|" + y) *
          get("fuel-parameters|" + code + "|oxidation_rate|CN|" + y) *
          get("constants|co2_per_carbon|ratio|global|" + y);
      mkt = e;
    } else if (code == "heat") {
      tce = q * get("gbt2589|heat|tce_coefficient|CN|" + y);
      e = q * get(p.heat.dataset + "|" + p.heat.key + "|ef|" + p.heat.region + "|" + y);
      mkt = e;
    } else if (code == "fugitive") {
      e = q * get("gwp|" + r.qualifier + "|" + p.gwp_set + "|global|" + y);
      mkt = e;
    } else if (code == "scope3") {
      e = q * r.factor->base();
      mkt = e;
    }
    double headline = (scope == 2 && p.headline_market) ? mkt : e;
    t.tce += tce;
    if (scope == 1) t.s1 += headline;
    if (scope == 2) {
      t.s2_loc += e;
      t.s2_mkt += mkt;
    }
    if (scope == 3) t.s3 += headline;
    t.by_site[r.site_id] += headline;
    t.by_gas[code == "fugitive" ? r.qualifier : "CO2"] += headline;
    t.provenance.push_back(r.id + ": " + code + " " + std::to_string(r.quantity.value) + " " +
                           r.quantity.unit.symbol + " -> " + std::to_string(headline));
  }
  return out;
}

void BM_NaiveBaseline(benchmark::State& state, const char* profile_id) {
  const ReferenceData& d = Data();
  const InventoryInput& in = Input(static_cast<int>(state.range(0)));
  ReferenceSet refs = *d.library.Select();
  std::map<std::string, double> factors = NaiveFactorTable(refs);
  const Profile& profile = *d.FindProfile(profile_id);
  // Same work, same numbers: the baseline's totals must match the engine's.
  Inventory inv = ComputeInventory(in, refs, profile).value();
  auto naive = NaiveInventory(in, factors, profile);
  for (const UnitInventory& u : inv.units) {
    const NaiveTotals& t = naive.at(u.unit->id);
    double total = t.s1 + (profile.headline_market ? t.s2_mkt : t.s2_loc) + t.s3;
    if (std::fabs(total - u.total.base()) > 1e-6 * std::fabs(total) + 1e-6) {
      state.SkipWithError("baseline and engine disagree");
      return;
    }
  }
  for (auto _ : state) {
    auto result = NaiveInventory(in, factors, profile);
    benchmark::DoNotOptimize(result);
  }
  state.counters["units/s"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_Engine, cn_national, "cn-national")
    ->Arg(100)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Engine, shanghai, "shanghai")
    ->Arg(100)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Engine, ghg_protocol, "ghg-protocol")
    ->Arg(100)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineAllProfiles)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NaiveBaseline, cn_national, "cn-national")
    ->Arg(100)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NaiveBaseline, shanghai, "shanghai")
    ->Arg(100)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_NaiveBaseline, ghg_protocol, "ghg-protocol")
    ->Arg(100)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cl

BENCHMARK_MAIN();
