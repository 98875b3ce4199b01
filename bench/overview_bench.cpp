// The city overview (every unit's latest inventory: headline figures,
// carriers, months) for N units with inventories in a SQLite store: from the
// figures read model (BuildCityOverview) against the baseline that reads
// every unit's inventory document and picks it apart by key, as the overview
// did before the read model (BaselineOverview below, the same work done the
// obvious way). Each unit has 36 monthly lines (electricity, gas, diesel,
// heat, refrigerant, travel) computed by the engine and saved with their
// figures, as ComputeAndSaveInventory saves them.
//
//   build/release/bench/overview_bench --benchmark_filter=10000
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "accounting/engine.h"
#include "inventory/figures.h"
#include "overview/city_overview.h"
#include "refdata/reference_store.h"
#include "reports/render.h"
#include "store/store.h"

namespace cl {
namespace {

using json = nlohmann::json;
constexpr int kLinesPerUnit = 36;
constexpr int kChunk = 250;  // units computed and rendered at a time

const ReferenceData& Data() {
  static auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  if (!data.ok()) std::abort();
  return *data.value();
}

Measured M(double v, const char* unit) { return {v, *ParseUnit(unit)}; }

ActivityRecord Line(int unit_index, int l, std::mt19937& rng) {
  const ActivityCatalog& c = Data().catalog;
  std::uniform_real_distribution<double> q(10.0, 5000.0);
  ActivityRecord r;
  r.id = "activities.csv:" + std::to_string(unit_index * kLinesPerUnit + l + 2);
  r.line = unit_index * kLinesPerUnit + l + 2;
  r.unit_index = unit_index;
  r.site_id = "main";
  const auto month = std::chrono::month(static_cast<unsigned>(l % 12 + 1));
  r.period = {Date{std::chrono::year(2023), month, std::chrono::day(1)},
              Date{std::chrono::year(2023), month, std::chrono::day(28)}};
  switch (l / 12 * 2 + l % 2) {
    case 0:
    case 1:
      r.type = c.Find("electricity");
      r.quantity = M(q(rng), "MWh");
      break;
    case 2:
      r.type = c.Find("natural_gas");
      r.quantity = M(q(rng) * 100, "m3");
      break;
    case 3:
      r.type = c.Find("diesel");
      r.quantity = M(q(rng) / 100, "t");
      break;
    case 4:
      r.type = c.Find("heat");
      r.quantity = M(q(rng), "GJ");
      break;
    default:
      r.type = c.Find("scope3");
      r.qualifier = "6";
      r.iso_category = 3;
      r.quantity = M(q(rng) * 10, "km");
      r.factor = M(0.15, "kgCO2e/km");
      break;
  }
  return r;
}

InventoryInput MakeInput(int first, int count, std::mt19937& rng) {
  InventoryInput in;
  in.year = 2023;
  for (int u = 0; u < count; ++u) {
    ReportingUnit unit;
    unit.id = "U" + std::to_string(first + u);
    unit.province = "310000";
    in.units.push_back(unit);
    for (int l = 0; l < kLinesPerUnit; ++l) in.records.push_back(Line(u, l, rng));
  }
  return in;
}

UnitRecord Unit(int n) {
  return {"U" + std::to_string(n),
          "91310116MA1CL0012H",
          "单位" + std::to_string(n),
          "Unit " + std::to_string(n),
          "310000",
          "上海市",
          n % 2 ? "金山区" : "浦东新区",
          "C2614",
          {}};
}

// Saves `count` units' inventories, `first` on, in one transaction.
void SaveChunk(Store& store, int first, int count, std::mt19937& rng) {
  const ReferenceData& d = Data();
  const Profile& profile = *d.FindProfile("shanghai");
  InventoryInput in = MakeInput(first, count, rng);
  ReferenceSet refs = *d.library.Select();  // the lines point into it
  Checked<Inventory> inv = ComputeInventory(in, refs, profile);
  if (!inv.ok()) std::abort();
  json doc = InventoryJson(inv.value());
  json units = std::move(doc["units"]);
  Actor by{"bench", "bench"};
  if (!store.Begin().ok()) std::abort();
  for (int u = 0; u < count; ++u) {
    if (!store.Registry().PutUnit(Unit(first + u), by).ok()) std::abort();
    doc["units"] = json::array({units[static_cast<size_t>(u)]});
    InventoryRecord rec;
    rec.unit_id = "U" + std::to_string(first + u);
    rec.year = 2023;
    rec.methodology = "shanghai";
    rec.pins = doc["datasets"].dump();
    rec.document = doc.dump();
    auto id = store.Inventories().CreateInventory(rec, by);
    if (!id.ok()) std::abort();
    const UnitInventory& unit = inv.value().units[static_cast<size_t>(u)];
    if (!store.Figures().PutFigures(*id, FiguresOf(unit, 2023, inv.value().market_reported)).ok())
      std::abort();
  }
  if (!store.Commit().ok()) std::abort();
}

// A store with n units and their inventories, made once per n.
Store& StoreWith(int n) {
  static std::map<int, std::unique_ptr<Store>> stores;
  auto& s = stores[n];
  if (s) return *s;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("cl_overview_bench_" + std::to_string(::getpid()) + "_" + std::to_string(n));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto opened = OpenStore((dir / "carbonledger.db").string());
  if (!opened.ok()) std::abort();
  s = std::move(*opened);
  std::mt19937 rng(42);
  for (int first = 0; first < n; first += kChunk)
    SaveChunk(*s, first, std::min(kChunk, n - first), rng);
  return *s;
}

// ---- The baseline: the overview as it was read before the read model. ----

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

std::string CarrierOf(const std::string& activity) {
  return activity.substr(0, activity.find(':'));
}

void SpreadByDays(const json& line, int year,
                  std::map<std::pair<std::string, std::string>, MonthFigures>& months) {
  using std::chrono::sys_days;
  using std::chrono::year_month_day;
  auto start = ParseDate(Str(line, "period_start"));
  auto end = ParseDate(Str(line, "period_end"));
  if (!start.ok() || !end.ok() || *end < *start) return;
  const double tce = Num(line, "energy_tce"), co2 = Num(line, "tco2e");
  if (tce == 0 && co2 == 0) return;
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

void PickDocument(const json& unit, int year, UnitFigures& f,
                  std::map<std::pair<std::string, std::string>, MonthFigures>& months) {
  f.energy_tce = Num(unit, "energy_tce");
  f.total_tco2e = Num(unit, "total_tco2e");
  f.scope1_tco2e = Num(unit, "scope1_tco2e");
  f.scope2_tco2e = Num(unit, "scope2_tco2e");
  if (auto in = unit.find("intensities"); in != unit.end() && in->is_object()) {
    f.output_10k_cny = OptNum(*in, "output_value_10k_cny");
    if (f.output_10k_cny && *f.output_10k_cny > 0) {
      f.tce_per_10k_cny = OptNum(*in, "tce_per_10k_cny");
      f.tco2e_per_10k_cny = OptNum(*in, "tco2e_per_10k_cny");
    }
  }
  if (auto ba = unit.find("by_activity"); ba != unit.end() && ba->is_object())
    for (const auto& [activity, v] : ba->items()) {
      if (Num(v, "energy_tce") == 0 && Num(v, "tco2e") == 0) continue;
      f.carrier_tce[CarrierOf(activity)] += Num(v, "energy_tce");
      f.carrier_tco2e[CarrierOf(activity)] += Num(v, "tco2e");
    }
  if (auto lines = unit.find("lines"); lines != unit.end() && lines->is_array())
    for (const auto& line : *lines) SpreadByDays(line, year, months);
}

CityOverview BaselineOverview(Store& store, int year, const std::string& methodology) {
  CityOverview out;
  out.year = year;
  out.methodology = methodology;
  auto units = store.Registry().ListUnits();
  auto all = store.Inventories().ListInventorySummaries();
  if (!units.ok() || !all.ok()) std::abort();
  std::set<int> years;
  std::map<std::string, const InventoryRecord*> latest;
  for (const auto& inv : *all) {
    if (inv.unit_id.empty() || inv.methodology != methodology) continue;
    years.insert(inv.year);
    if (inv.year != year) continue;
    const InventoryRecord*& best = latest[inv.unit_id];
    if (!best || inv.version > best->version) best = &inv;
  }
  out.years.assign(years.begin(), years.end());
  std::map<std::pair<std::string, std::string>, MonthFigures> months;
  for (const auto& u : *units) {
    UnitFigures f;
    f.unit_id = u.id;
    f.name_zh = u.name_zh;
    f.name_en = u.name_en;
    f.district = u.district;
    f.industry_code = u.industry_code;
    if (auto it = latest.find(u.id); it != latest.end()) {
      auto rec = store.Inventories().GetInventory(it->second->id);
      if (!rec.ok() || !rec->has_value()) std::abort();
      f.inventory_id = (*rec)->id;
      f.version = (*rec)->version;
      f.status = InventoryStatusName((*rec)->status);
      json doc = json::parse((*rec)->document, nullptr, false);
      if (doc.is_object() && doc.contains("units") && doc["units"].is_array())
        for (const auto& x : doc["units"])
          if (Str(x, "unit_id") == u.id) PickDocument(x, year, f, months);
    }
    out.units.push_back(std::move(f));
  }
  for (auto& [k, m] : months) out.months.push_back(std::move(m));
  return out;
}

// ---- The benchmarks. ----

// The read model must give the API the same numbers, to the bit.
bool Same(const CityOverview& a, const CityOverview& b) {
  auto unit = [](const UnitFigures& u) {
    return std::tie(u.unit_id, u.inventory_id, u.version, u.status, u.energy_tce, u.total_tco2e,
                    u.scope1_tco2e, u.scope2_tco2e, u.output_10k_cny, u.tce_per_10k_cny,
                    u.tco2e_per_10k_cny, u.carrier_tce, u.carrier_tco2e);
  };
  auto month = [](const MonthFigures& m) {
    return std::tie(m.month, m.carrier, m.energy_tce, m.tco2e);
  };
  if (a.years != b.years || a.units.size() != b.units.size() || a.months.size() != b.months.size())
    return false;
  for (size_t i = 0; i < a.units.size(); ++i)
    if (unit(a.units[i]) != unit(b.units[i])) return false;
  for (size_t i = 0; i < a.months.size(); ++i)
    if (month(a.months[i]) != month(b.months[i])) return false;
  return true;
}

void Finish(benchmark::State& state, const CityOverview& o) {
  if (o.units.size() != static_cast<size_t>(state.range(0)) || o.months.empty())
    state.SkipWithError("wrong overview");
  state.counters["units/s"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_OverviewReadModel(benchmark::State& state) {
  Store& store = StoreWith(static_cast<int>(state.range(0)));
  CityOverview last;
  for (auto _ : state) {
    if (!store.BeginRead().ok()) std::abort();
    auto o = BuildCityOverview(store, 2023, 2023, "shanghai", false);
    store.Rollback();
    if (!o.ok()) std::abort();
    last = std::move(*o);
    benchmark::DoNotOptimize(last);
  }
  if (!store.BeginRead().ok()) std::abort();
  const bool same = Same(last, BaselineOverview(store, 2023, "shanghai"));
  store.Rollback();
  if (!same) state.SkipWithError("the read model's overview differs from the documents'");
  Finish(state, last);
}

void BM_OverviewDocumentsBaseline(benchmark::State& state) {
  Store& store = StoreWith(static_cast<int>(state.range(0)));
  CityOverview last;
  for (auto _ : state) {
    if (!store.BeginRead().ok()) std::abort();
    last = BaselineOverview(store, 2023, "shanghai");
    store.Rollback();
    benchmark::DoNotOptimize(last);
  }
  Finish(state, last);
}

BENCHMARK(BM_OverviewReadModel)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OverviewDocumentsBaseline)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cl

BENCHMARK_MAIN();
