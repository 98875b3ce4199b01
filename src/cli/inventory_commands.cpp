// inventory, explain and restate.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <optional>

#include "commands.h"
#include "core/encoding.h"
#include "ingest/ingest.h"
#include "inventory/compute.h"
#include "inventory/store_bridge.h"
#include "metering/metering.h"
#include "reports/render.h"
#include "store/store.h"

namespace cl::cli {
namespace {

struct InventoryOptions {
  std::string units;
  std::string activities;
  int year = 0;
  std::string methodology;
  std::vector<std::string> datasets;  // "grid-electricity=2024.12"
  std::string pinned;                 // an earlier inventory's JSON
  std::optional<double> equal_value;
  std::string format = "table";
  std::string output;
  bool from_store = false;  // units, records and meter readings from the store
  std::string store;
  bool save = false;
};

void AddInputOptions(CLI::App* cmd, InventoryOptions& o) {
  cmd->add_option("--units", o.units, "units file (docs/templates.md)")->check(CLI::ExistingFile);
  cmd->add_option("--activities", o.activities, "activities file (docs/templates.md)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--from-store", o.from_store,
                "take units, activity records and meter readings from the store instead of the "
                "two files (docs/ingest.md, Bridge)");
  cmd->add_option("--store", o.store,
                  "SQLite file or PostgreSQL connection string (with --from-store)");
  cmd->add_option("--year", o.year, "reporting year, e.g. 2023")->required();
  cmd->add_option("--methodology", o.methodology, "cn-national | shanghai | ghg-protocol")
      ->required();
  cmd->add_option("--datasets", o.datasets,
                  "pin dataset versions: ID=VERSION (repeatable; default newest)")
      ->delimiter(',');
  cmd->add_option("--pinned", o.pinned,
                  "reuse the dataset versions recorded in an earlier inventory's JSON")
      ->check(CLI::ExistingFile);
  cmd->add_option("--electricity-equal-value", o.equal_value,
                  "convert electricity at this equal-value coefficient (kgce/kWh) instead of the "
                  "equivalent value 0.1229");
}

// Pins from --pinned, then --datasets on top.
std::optional<DatasetPins> Pins(const InventoryOptions& o) {
  DatasetPins pins;
  if (!o.pinned.empty()) {
    Result<std::string> text = ReadFile(o.pinned);
    Result<DatasetPins> from =
        text.ok() ? PinsFromInventoryJson(*text, o.pinned) : Result<DatasetPins>(text.error());
    if (!from.ok()) {
      ErrorList e;
      e.Add(from.error());
      PrintErrors(e);
      return std::nullopt;
    }
    pins = *from;
  }
  for (const std::string& pin : o.datasets) {
    size_t eq = pin.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pin.size()) {
      std::cerr << "error: --datasets: '" << pin << "' is not ID=VERSION\n";
      return std::nullopt;
    }
    pins[pin.substr(0, eq)] = pin.substr(eq + 1);
  }
  return pins;
}

InventoryRequest Request(const InventoryOptions& o) {
  InventoryRequest r;
  r.units_path = o.units;
  r.activities_path = o.activities;
  r.year = o.year;
  r.methodology = o.methodology;
  r.electricity_equal_value = o.equal_value;
  return r;
}

struct Session {
  std::unique_ptr<const ReferenceData> data;
  std::unique_ptr<LoadedInput> input;
};

// Loads data and input; prints errors and returns false on failure.
bool Open(const GlobalOptions& g, const InventoryOptions& o, Session& s) {
  s.data = LoadData(g);
  if (!s.data) return false;
  InventoryRequest request = Request(o);
  std::optional<StoreInput> from_store;
  if (o.from_store) {
    auto store = OpenStore(o.store.empty() ? DefaultStoreTarget() : o.store);
    auto vee = LoadVeeSettings(ResolveDataDir(g.data_dir));
    if (!store.ok() || !vee.ok()) {
      std::cerr << "error: " << (!store.ok() ? store.error() : vee.error()).ToString() << "\n";
      return false;
    }
    auto in = BuildStoreInput(**store, *vee, o.year);
    if (!in.ok()) {
      std::cerr << "error: " << in.error().ToString() << "\n";
      return false;
    }
    std::cerr << fmt::format("from the store: {} meter-months from readings, {} left to bills\n",
                             in->meter_months, in->skipped_months);
    from_store = std::move(*in);
  } else if (o.units.empty() || o.activities.empty()) {
    std::cerr << "error: give --units and --activities, or --from-store\n";
    return false;
  }
  auto input = from_store ? LoadInput(*s.data, request, std::move(*from_store))
                          : LoadInput(*s.data, request);
  if (!input.ok()) {
    PrintErrors(input.errors());
    return false;
  }
  s.input = std::move(input.value());
  return true;
}

std::unique_ptr<Computed> Run(const Session& s, const DatasetPins& pins) {
  auto computed = Compute(*s.data, *s.input, pins);
  if (!computed.ok()) {
    PrintErrors(computed.errors());
    return nullptr;
  }
  return std::move(computed.value());
}

// Reads everything and computes with the options' pins; nullptr after
// printing the errors.
std::unique_ptr<Computed> OpenAndRun(const GlobalOptions& g, const InventoryOptions& o,
                                     Session& s) {
  std::optional<DatasetPins> pins = Pins(o);
  if (!pins || !Open(g, o, s)) return nullptr;
  return Run(s, *pins);
}

void InventoryMain(GlobalOptions& g, const InventoryOptions& o) {
  g.exit_code = kExitInputError;
  Session s;
  std::unique_ptr<Computed> c = OpenAndRun(g, o, s);
  if (!c) return;
  std::string text;
  if (o.format == "json")
    text = InventoryJson(c->inventory).dump(2) + "\n";
  else if (o.format == "csv")
    text = InventoryCsv(c->inventory);
  else
    text = InventoryTable(c->inventory);
  if (o.save) {
    auto store = OpenStore(o.store.empty() ? DefaultStoreTarget() : o.store);
    if (!store.ok()) {
      std::cerr << "error: " << store.error().ToString() << "\n";
      return;
    }
    nlohmann::json doc = InventoryJson(c->inventory);
    InventoryRecord rec;
    rec.year = o.year;
    rec.methodology = o.methodology;
    rec.pins = doc.value("datasets", nlohmann::json::object()).dump();
    rec.document = doc.dump();
    Actor actor;
    const char* user = std::getenv("USER");
    actor.user = user && *user ? user : "cli";
    auto id = (*store)->Inventories().CreateInventory(rec, actor);
    if (!id.ok()) {
      std::cerr << "error: " << id.error().ToString() << "\n";
      return;
    }
    std::cerr << "saved as inventory " << *id << " (draft)\n";
  }
  if (WriteOutput(o.output, text)) g.exit_code = 0;
}

void ExplainMain(GlobalOptions& g, const InventoryOptions& o, const std::string& unit,
                 const std::optional<std::string>& line) {
  g.exit_code = kExitInputError;
  Session s;
  std::unique_ptr<Computed> c = OpenAndRun(g, o, s);
  if (!c) return;
  Result<std::string> text = Explain(c->inventory, unit, line);
  if (!text.ok()) {
    std::cerr << "error: " << text.error().ToString() << "\n";
    return;
  }
  std::cout << *text;
  g.exit_code = 0;
}

// Recomputes the old inventory with its pins (and checks it reproduces the
// saved numbers exactly), then with the new pins, and prints the difference.
void RestateMain(GlobalOptions& g, const InventoryOptions& o, const std::vector<std::string>& to) {
  g.exit_code = kExitInputError;
  Session s;
  std::optional<DatasetPins> old_pins = Pins(o);
  if (!old_pins || !Open(g, o, s)) return;
  InventoryOptions new_opts = o;
  new_opts.pinned.clear();
  new_opts.datasets = to;
  std::optional<DatasetPins> new_pins = Pins(new_opts);
  if (!new_pins) return;
  std::unique_ptr<Computed> before = Run(s, *old_pins);
  std::unique_ptr<Computed> after = Run(s, *new_pins);
  if (!before || !after) return;
  std::string reproduced;
  if (!o.pinned.empty()) {
    Result<std::string> saved = ReadFile(o.pinned);
    nlohmann::json old_json = nlohmann::json::parse(saved.ok() ? *saved : "", nullptr, false);
    nlohmann::json again = InventoryJson(before->inventory);
    bool same = !old_json.is_discarded() && old_json.contains("units") &&
                old_json["units"] == again["units"];
    reproduced = same ? "The pinned inventory reproduces " + o.pinned + " exactly.\n"
                      : "WARNING: recomputing with the pinned versions does not reproduce " +
                            o.pinned + " (different input files?)\n";
  }
  Restatement r = Restate(before->inventory, after->inventory);
  std::string text =
      o.format == "json" ? RestatementJson(r).dump(2) + "\n" : reproduced + RestatementTable(r);
  if (WriteOutput(o.output, text)) g.exit_code = 0;
}

}  // namespace

void AddInventoryCommands(CLI::App& app, GlobalOptions& global) {
  auto inv = std::make_shared<InventoryOptions>();
  CLI::App* cmd = app.add_subcommand("inventory", "compute energy and GHG inventories");
  AddInputOptions(cmd, *inv);
  cmd->add_option("--format", inv->format, "table | json | csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--output,-o", inv->output, "write to this file instead of standard output");
  cmd->add_flag("--save", inv->save, "also keep the result in the store as a draft inventory");
  cmd->callback([&global, inv] { InventoryMain(global, *inv); });

  auto ex = std::make_shared<InventoryOptions>();
  auto unit = std::make_shared<std::string>();
  auto line = std::make_shared<std::optional<std::string>>();
  CLI::App* explain = app.add_subcommand("explain", "show how every number of a unit was computed");
  AddInputOptions(explain, *ex);
  explain->add_option("--unit", *unit, "unit_id to explain")->required();
  explain->add_option("--line", *line, "only this activity line (e.g. activities.csv:12 or 12)");
  explain->callback([&global, ex, unit, line] { ExplainMain(global, *ex, *unit, *line); });

  auto rs = std::make_shared<InventoryOptions>();
  auto to = std::make_shared<std::vector<std::string>>();
  CLI::App* restate = app.add_subcommand("restate",
                                         "recompute with newer dataset versions and show old "
                                         "value, new value and the factor that changed");
  AddInputOptions(restate, *rs);
  restate->add_option("--to", *to, "new pins ID=VERSION (default: newest of every dataset)")
      ->delimiter(',');
  restate->add_option("--format", rs->format, "table | json")
      ->check(CLI::IsMember({"table", "json"}));
  restate->add_option("--output,-o", rs->output, "write to this file instead of standard output");
  restate->callback([&global, rs, to] { RestateMain(global, *rs, *to); });
}

void PrintErrors(const ErrorList& errors) {
  for (const Error& e : errors.errors()) std::cerr << "error: " << e.ToString() << "\n";
  std::cerr << errors.size() << " error(s); nothing was computed\n";
}

std::unique_ptr<const ReferenceData> LoadData(const GlobalOptions& global) {
  auto data = LoadReferenceData(ResolveDataDir(global.data_dir));
  if (!data.ok()) {
    PrintErrors(data.errors());
    return nullptr;
  }
  return std::move(data.value());
}

bool WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    return static_cast<bool>(std::cout);
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "error: " << path << ": cannot write\n";
    return false;
  }
  return true;
}

}  // namespace cl::cli
