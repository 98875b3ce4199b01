// Commands over the store: import, rejects, readings, rollup, vee,
// demo generate.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.h"
#include "core/csv.h"
#include "core/timezone.h"
#include "demo/demo_city.h"
#include "ingest/activities_import.h"
#include "ingest/ingest.h"
#include "metering/metering.h"
#include "store/chunk.h"
#include "store/store.h"

namespace cl::cli {
namespace {

struct StoreOption {
  std::string target;
  std::string user;
};

void AddStoreOption(CLI::App* cmd, StoreOption& o) {
  cmd->add_option("--store", o.target,
                  "SQLite file or PostgreSQL connection string (default: carbonledger.db in "
                  "$CARBONLEDGER_HOME, else the current directory)");
  cmd->add_option("--user", o.user, "who to record in the audit log (default: $USER)");
}

std::unique_ptr<Store> Open(const StoreOption& o) {
  std::string target = o.target.empty() ? DefaultStoreTarget() : o.target;
  auto s = OpenStore(target);
  if (!s.ok()) {
    std::cerr << "error: " << s.error().ToString() << "\n";
    return nullptr;
  }
  return std::move(*s);
}

Actor ActorOf(const StoreOption& o) {
  Actor a;
  const char* env = std::getenv("USER");
  a.user = !o.user.empty() ? o.user : (env && *env ? env : "cli");
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  a.origin = std::string("cli@") + host;
  return a;
}

// A progress bar on standard error when it is a terminal and the work takes
// more than two seconds.
class Progress {
 public:
  explicit Progress(std::string label)
      : label_(std::move(label)), tty_(isatty(2) != 0), start_(std::chrono::steady_clock::now()) {}
  ~Progress() {
    if (shown_) std::cerr << "\n";
  }
  void Update(uint64_t done, uint64_t total) {
    if (!tty_ || total == 0) return;
    auto now = std::chrono::steady_clock::now();
    double elapsed = std::chrono::duration<double>(now - start_).count();
    if (elapsed < 2 || now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    shown_ = true;
    double f = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    int filled = static_cast<int>(f * 30);
    double eta = f > 0 ? elapsed * (1 - f) / f : 0;
    std::cerr << fmt::format("\r{} [{:<30}] {:5.1f}%  {:.0f}/{:.0f} MB  {:.0f} s left ", label_,
                             std::string(static_cast<size_t>(filled), '#'), f * 100,
                             static_cast<double>(done) / 1e6, static_cast<double>(total) / 1e6, eta)
              << std::flush;
  }

 private:
  std::string label_;
  bool tty_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_{};
};

void PrintBatch(const ImportResult& r) {
  const BatchRecord& b = r.batch;
  std::cout << fmt::format(
      "batch {} committed: {} — {} rows: {} new, {} unchanged, {} revised, {} rejected, {} "
      "flags{}\n",
      b.id, b.source, b.rows, b.accepted, b.unchanged, b.revised, b.rejected, b.flagged,
      r.encoding.empty() ? "" : " (" + r.encoding + ")");
  if (b.rejected > 0)
    std::cout << fmt::format("  see the rejects: carbonledger import rejects {}\n", b.id);
  std::cout.flush();  // the line acknowledges a committed batch: never leave it in a buffer
}

struct ImportReadingsOptions {
  StoreOption store;
  std::vector<std::string> files;
  std::vector<std::string> map;
  std::string timestamps = "start";
  std::string format;
  std::string profile;
  std::string save_profile;
};

// The column mapping of `import readings`: a saved profile, then --map and
// --timestamps-mark over it. nullopt after printing why not (exit code set).
std::optional<ReadingsMapping> MappingOf(GlobalOptions& g, Store& store,
                                         const ImportReadingsOptions& o) {
  ReadingsMapping mapping;
  if (!o.profile.empty()) {
    auto def = store.Imports().GetMappingProfile(o.profile, "readings");
    if (!def.ok() || !def->has_value()) {
      std::cerr << "error: --profile: no readings mapping profile named '" << o.profile << "'\n";
      return std::nullopt;
    }
    auto m = ReadingsMapping::FromJson(**def);
    if (!m.ok()) {
      std::cerr << "error: " << m.error().ToString() << "\n";
      return std::nullopt;
    }
    mapping = *m;
  }
  for (const std::string& pair : o.map) {
    size_t eq = pair.find('=');
    std::string key = pair.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (value.empty() || (key != "meter" && key != "timestamp" && key != "value")) {
      std::cerr << "error: --map: '" << pair
                << "' is not meter=COLUMN, timestamp=COLUMN or value=COLUMN\n";
      g.exit_code = 2;
      return std::nullopt;
    }
    (key == "meter"       ? mapping.meter
     : key == "timestamp" ? mapping.timestamp
                          : mapping.value) = value;
  }
  if (o.timestamps != "start" && o.timestamps != "end") {
    std::cerr << "error: --timestamps-mark: use start or end\n";
    g.exit_code = 2;
    return std::nullopt;
  }
  if (o.timestamps == "end" || o.profile.empty())
    mapping.timestamps_mark_end = o.timestamps == "end";
  if (!o.format.empty()) mapping.format = o.format;
  return mapping;
}

void ImportReadingsMain(GlobalOptions& g, const ImportReadingsOptions& o) {
  g.exit_code = kExitInputError;
  auto store = Open(o.store);
  if (!store) return;
  std::optional<ReadingsMapping> mapping = MappingOf(g, *store, o);
  if (!mapping) return;
  Actor actor = ActorOf(o.store);
  if (!o.save_profile.empty()) {
    if (auto st = store->Imports().PutMappingProfile(o.save_profile, "readings", mapping->ToJson(),
                                                     actor);
        !st.ok()) {
      std::cerr << "error: " << st.error().ToString() << "\n";
      return;
    }
    std::cout << "saved mapping profile '" << o.save_profile << "'\n";
  }
  auto data_dir = ResolveDataDir(g.data_dir);
  auto vee = LoadVeeSettings(data_dir);
  if (!vee.ok()) {
    std::cerr << "error: " << vee.error().ToString() << "\n";
    return;
  }
  bool all_clean = true;
  for (const std::string& file : o.files) {
    Progress progress(std::filesystem::path(file).filename().string());
    ImportOptions opt;
    opt.actor = actor;
    opt.vee = *vee;
    opt.progress = [&](uint64_t d, uint64_t t) { progress.Update(d, t); };
    auto r = ImportReadings(*store, file, *mapping, opt);
    if (!r.ok()) {
      std::cerr << "error: " << r.error().ToString() << "\n";
      return;
    }
    PrintBatch(*r);
    if (r->batch.rejected > 0) all_clean = false;
  }
  g.exit_code = all_clean ? 0 : kExitInputError;
}

template <typename F>
void RegistryMain(GlobalOptions& g, const StoreOption& so, const std::string& file,
                  const char* what, F import) {
  g.exit_code = kExitInputError;
  auto store = Open(so);
  if (!store) return;
  auto r = import(*store, file, ActorOf(so));
  if (!r.ok()) {
    PrintErrors(r.errors());
    std::cerr << "nothing was stored from " << file << "\n";
    return;
  }
  std::cout << fmt::format("{}: {} new, {} updated, {} unchanged\n", what, r.value().inserted,
                           r.value().updated, r.value().unchanged);
  g.exit_code = 0;
}

std::string RejectsTable(const std::vector<RejectRecord>& rejects, bool csv) {
  std::string out = csv ? "file,line,column,field,kind,message\n" : "";
  for (const auto& r : rejects) {
    if (csv) {
      out += CsvEscape(r.file) + "," + std::to_string(r.line) + "," + std::to_string(r.column) +
             "," + CsvEscape(r.field) + "," + CsvEscape(r.kind) + "," + CsvEscape(r.message) + "\n";
    } else {
      std::string where = r.file + ":" + std::to_string(r.line);
      if (r.column > 0) where += ":" + std::to_string(r.column);
      out += fmt::format("{}: {}{}: {}\n", where, r.field.empty() ? "" : r.field + ": ", r.kind,
                         r.message);
    }
  }
  return out;
}

std::string Num(double v) { return fmt::format("{}", v); }

// import units|sites|meters FILE: a registry file, all rows or none.
void AddRegistryImports(CLI::App* imp, GlobalOptions& g) {
  struct Reg {
    StoreOption store;
    std::string file;
  };
  for (const char* kind : {"units", "sites", "meters"}) {
    auto o = std::make_shared<Reg>();
    std::string k = kind;
    CLI::App* cmd = imp->add_subcommand(
        k, k == "units"   ? "units.csv: reporting units (the inventory template)"
           : k == "sites" ? "sites.csv: unit_id,site_id,name,district,time_zone"
                          : "meters.csv: meter_id,unit_id,site_id,carrier,unit_of_measure,interval,"
                            "kind,rollover,multiplier,time_zone");
    AddStoreOption(cmd, o->store);
    cmd->add_option("FILE", o->file, "the file")->required()->check(CLI::ExistingFile);
    cmd->callback([&g, o, k] {
      if (k == "sites") {
        RegistryMain(g, o->store, o->file, "sites", ImportSites);
        return;
      }
      auto data = LoadData(g);
      if (!data) {
        g.exit_code = kExitInputError;
        return;
      }
      if (k == "units") {
        RegistryMain(g, o->store, o->file, "units",
                     [&](Store& s, const std::string& f, const Actor& a) {
                       return ImportUnits(s, f, data->regions, a);
                     });
      } else {
        RegistryMain(g, o->store, o->file, "meters",
                     [&](Store& s, const std::string& f, const Actor& a) {
                       return ImportMeters(s, f, data->catalog, a);
                     });
      }
    });
  }
}

// import readings FILE...: each file one batch.
void AddReadingsImport(CLI::App* imp, GlobalOptions& g) {
  auto ro = std::make_shared<ImportReadingsOptions>();
  CLI::App* readings = imp->add_subcommand(
      "readings", "meter readings (CSV or JSON Lines; UTF-8 or GBK): each file is one batch");
  AddStoreOption(readings, ro->store);
  readings->add_option("FILE", ro->files, "files to import")->required()->check(CLI::ExistingFile);
  readings->add_option("--map", ro->map, "column of a field: meter=COL,timestamp=COL,value=COL")
      ->delimiter(',');
  readings->add_option("--timestamps-mark", ro->timestamps,
                       "whether a reading's time is its interval's start or end (default start)");
  readings->add_option("--format", ro->format, "csv or jsonl (default: from the file name)");
  readings->add_option("--profile", ro->profile, "use a saved mapping profile");
  readings->add_option("--save-profile", ro->save_profile, "save this mapping under a name");
  readings->callback([&g, ro] { ImportReadingsMain(g, *ro); });
}

void ImportActivitiesMain(GlobalOptions& g, const ImportReadingsOptions& o) {
  g.exit_code = kExitInputError;
  auto data = LoadData(g);
  auto store = Open(o.store);
  if (!data || !store) return;
  bool clean = true;
  for (const auto& f : o.files) {
    auto r = ImportActivities(*store, *data, f, ActorOf(o.store));
    if (!r.ok()) {
      std::cerr << "error: " << r.error().ToString() << "\n";
      return;
    }
    PrintBatch(*r);
    clean = clean && r->batch.rejected == 0;
  }
  g.exit_code = clean ? 0 : kExitInputError;
}

// import activities FILE...
void AddActivitiesImport(CLI::App* imp, GlobalOptions& g) {
  auto ao = std::make_shared<ImportReadingsOptions>();
  CLI::App* acts = imp->add_subcommand(
      "activities", "activity records and bills (the activities template, plus meter_id)");
  AddStoreOption(acts, ao->store);
  acts->add_option("FILE", ao->files, "files to import")->required()->check(CLI::ExistingFile);
  acts->callback([&g, ao] { ImportActivitiesMain(g, *ao); });
}

void BatchesMain(GlobalOptions& g, const StoreOption& o) {
  g.exit_code = kExitInputError;
  auto store = Open(o);
  if (!store) return;
  auto list = store->Imports().ListBatches();
  if (!list.ok()) {
    std::cerr << "error: " << list.error().ToString() << "\n";
    return;
  }
  std::cout << fmt::format("{:>6}  {:<10}  {:<20}  {:>10} {:>10} {:>10} {:>8} {:>8} {:>8}  {}\n",
                           "batch", "kind", "created", "rows", "new", "unchanged", "revised",
                           "rejected", "flags", "source");
  for (const auto& b : *list)
    std::cout << fmt::format("{:>6}  {:<10}  {:<20}  {:>10} {:>10} {:>10} {:>8} {:>8} {:>8}  {}\n",
                             b.id, BatchKindName(b.kind), b.created_at, b.rows, b.accepted,
                             b.unchanged, b.revised, b.rejected, b.flagged, b.source);
  g.exit_code = 0;
}

struct RejectsOptions {
  StoreOption store;
  int64_t batch = 0;
  std::string format = "table";
  std::string output;
};

void RejectsMain(GlobalOptions& g, const RejectsOptions& o) {
  g.exit_code = kExitInputError;
  auto store = Open(o.store);
  if (!store) return;
  auto b = store->Imports().GetBatch(o.batch);
  if (!b.ok() || !b->has_value()) {
    std::cerr << "error: batch " << o.batch << " does not exist\n";
    return;
  }
  auto list = store->Imports().ListRejects(o.batch);
  if (!list.ok()) {
    std::cerr << "error: " << list.error().ToString() << "\n";
    return;
  }
  if (WriteOutput(o.output, RejectsTable(*list, o.format == "csv"))) g.exit_code = 0;
}

// import batches; import rejects BATCH
void AddBatchCommands(CLI::App* imp, GlobalOptions& g) {
  auto bo = std::make_shared<StoreOption>();
  CLI::App* batches = imp->add_subcommand("batches", "list import batches");
  AddStoreOption(batches, *bo);
  batches->callback([&g, bo] { BatchesMain(g, *bo); });

  auto rj = std::make_shared<RejectsOptions>();
  CLI::App* rejects = imp->add_subcommand("rejects", "list or export the rejected rows of a batch");
  AddStoreOption(rejects, rj->store);
  rejects->add_option("BATCH", rj->batch, "batch number")->required();
  rejects->add_option("--format", rj->format, "table or csv")
      ->check(CLI::IsMember({"table", "csv"}));
  rejects->add_option("--output,-o", rj->output, "write to a file instead of standard output");
  rejects->callback([&g, rj] { RejectsMain(g, *rj); });
}

// import units|sites|meters|readings|activities|batches|rejects
void AddImportCommands(CLI::App& app, GlobalOptions& g) {
  CLI::App* imp =
      app.add_subcommand("import", "import registry files, readings and activity records");
  imp->require_subcommand(1);
  AddRegistryImports(imp, g);
  AddReadingsImport(imp, g);
  AddActivitiesImport(imp, g);
  AddBatchCommands(imp, g);
}

// readings METER: the stored readings with their batch and flags.
struct ReadingsShow {
  StoreOption store;
  std::string meter;
  std::string from, to;
  std::string format = "table";
};

void ReadingsShowMain(GlobalOptions& g, const ReadingsShow& o) {
  g.exit_code = kExitInputError;
  auto store = Open(o.store);
  if (!store) return;
  auto from = ParseDate(o.from);
  auto to = ParseDate(o.to);
  if (!from.ok() || !to.ok()) {
    std::cerr << "error: --from/--to: " << (!from.ok() ? from.error() : to.error()).message()
              << "\n";
    return;
  }
  auto m = store->Registry().GetMeter(o.meter);
  if (!m.ok() || !m->has_value()) {
    std::cerr << "error: meter '" << o.meter << "' does not exist\n";
    return;
  }
  const MeterRecord& meter = **m;
  auto got = ReadMeter(*store, meter, *from, *to);
  if (!got.ok()) {
    std::cerr << "error: " << got.error().ToString() << "\n";
    return;
  }
  bool csv = o.format == "csv";
  std::string out = csv ? "meter_id,timestamp,value,batch,flags\n" : "";
  for (const auto& r : got->readings) {
    if (csv) {
      out += CsvEscape(meter.id) + "," + FormatInstant(r.at) + "," + Num(r.value) + "," +
             std::to_string(r.batch) + "," + CsvEscape(r.flags) + "\n";
    } else {
      out += fmt::format("{}  {:>14}  batch {:>4}  {}\n", FormatInstant(r.at), Num(r.value),
                         r.batch, r.flags);
    }
  }
  std::string chunk_flags;
  for (const auto& f : got->day_flags) chunk_flags += f + "\n";
  std::cout << out;
  if (!csv && !chunk_flags.empty()) std::cout << "\nflags:\n" << chunk_flags;
  g.exit_code = 0;
}

void AddReadingsCommand(CLI::App& app, GlobalOptions& g) {
  auto rs = std::make_shared<ReadingsShow>();
  CLI::App* show =
      app.add_subcommand("readings", "show a meter's stored readings with their flags");
  AddStoreOption(show, rs->store);
  show->add_option("METER", rs->meter, "meter id")->required();
  show->add_option("--from", rs->from, "first local date (YYYY-MM-DD)")->required();
  show->add_option("--to", rs->to, "last local date (YYYY-MM-DD)")->required();
  show->add_option("--format", rs->format, "table or csv")->check(CLI::IsMember({"table", "csv"}));
  show->callback([&g, rs] { ReadingsShowMain(g, *rs); });
}

struct RollupOptions {
  StoreOption store;
  std::string by = "meter", grain = "month", from, to, format = "table", output;
};

std::string RollupTable(const std::vector<RollupRow>& rows, const RollupOptions& o) {
  std::string out;
  if (o.format == "csv") {
    out = o.by + ",carrier,period,quantity,unit_of_measure,readings\n";
    for (const auto& r : rows)
      out += CsvEscape(r.key) + "," + r.carrier + "," + r.period + "," + Num(r.quantity) + "," +
             CsvEscape(r.unit_of_measure) + "," + std::to_string(r.readings) + "\n";
  } else {
    for (const auto& r : rows)
      out += fmt::format("{:<24} {:<12} {:<16} {:>18.3f} {:<5} {:>8} readings\n", r.key, r.carrier,
                         r.period, r.quantity, r.unit_of_measure, r.readings);
  }
  return out;
}

void RollupMain(GlobalOptions& g, const RollupOptions& o) {
  g.exit_code = kExitInputError;
  auto by = ParseRollupBy(o.by);
  auto grain = ParseRollupGrain(o.grain);
  auto from = ParseDate(o.from);
  auto to = ParseDate(o.to);
  for (const Error* e : {by.ok() ? nullptr : &by.error(), grain.ok() ? nullptr : &grain.error(),
                         from.ok() ? nullptr : &from.error(), to.ok() ? nullptr : &to.error()})
    if (e) {
      std::cerr << "error: " << e->message() << "\n";
      g.exit_code = 2;
      return;
    }
  auto vee = LoadVeeSettings(ResolveDataDir(g.data_dir));
  auto store = Open(o.store);
  if (!store || !vee.ok()) return;
  auto rows = Rollup(*store, *vee, *grain, *by, *from, *to);
  if (!rows.ok()) {
    std::cerr << "error: " << rows.error().ToString() << "\n";
    return;
  }
  if (WriteOutput(o.output, RollupTable(*rows, o))) g.exit_code = 0;
}

void AddRollupCommand(CLI::App& app, GlobalOptions& g) {
  auto rl = std::make_shared<RollupOptions>();
  CLI::App* rollup =
      app.add_subcommand("rollup", "energy by meter, site, unit, district or carrier");
  AddStoreOption(rollup, rl->store);
  rollup->add_option("--by", rl->by, "meter, site, unit, district or carrier");
  rollup->add_option("--grain", rl->grain, "hour, day, month or year");
  rollup->add_option("--from", rl->from, "first local date")->required();
  rollup->add_option("--to", rl->to, "last local date")->required();
  rollup->add_option("--format", rl->format, "table or csv")
      ->check(CLI::IsMember({"table", "csv"}));
  rollup->add_option("--output,-o", rl->output, "write to a file");
  rollup->callback([&g, rl] { RollupMain(g, *rl); });
}

struct VeeOptions {
  StoreOption store;
  int year = 0;
};

void VeeCheckMain(GlobalOptions& g, const VeeOptions& o) {
  g.exit_code = kExitInputError;
  auto vee = LoadVeeSettings(ResolveDataDir(g.data_dir));
  auto store = Open(o.store);
  if (!store || !vee.ok()) return;
  auto found = CheckMonthlyConsistency(*store, *vee, o.year);
  if (!found.ok()) {
    std::cerr << "error: " << found.error().ToString() << "\n";
    return;
  }
  for (const auto& m : *found)
    std::cout << fmt::format("{} {}: readings {:.2f} vs bill {:.2f} ({:.1f} % apart)\n", m.meter_id,
                             m.month, m.readings, m.bill, m.gap * 100);
  std::cout << found->size() << " meter months differ from their bills by more than "
            << vee->maximum_daily_monthly_gap * 100 << " %\n";
  g.exit_code = 0;
}

// vee check --year Y
void AddVeeCommands(CLI::App& app, GlobalOptions& g) {
  auto vo = std::make_shared<VeeOptions>();
  CLI::App* vee_cmd = app.add_subcommand("vee", "data-quality checks over stored data");
  vee_cmd->require_subcommand(1);
  CLI::App* check =
      vee_cmd->add_subcommand("check", "compare each meter's readings with its bills");
  AddStoreOption(check, vo->store);
  check->add_option("--year", vo->year, "year")->required();
  check->callback([&g, vo] { VeeCheckMain(g, *vo); });
}

void DemoGenerateMain(GlobalOptions& g, const DemoOptions& options, const std::string& dir) {
  g.exit_code = kExitInputError;
  std::string target = dir;
  if (target.empty()) {
    const char* home = std::getenv("CARBONLEDGER_HOME");
    target = (std::filesystem::path(home && *home ? home : ".") / "demo-city").string();
  }
  auto s = GenerateDemoCity(target, options);
  if (!s.ok()) {
    std::cerr << "error: " << s.error().ToString() << "\n";
    return;
  }
  std::cout << fmt::format(
      "{}: {} units, {} sites, {} meters, {} readings, {} bills, {} faults injected\n", s->dir,
      s->units, s->sites, s->meters, s->readings, s->bills, s->faults);
  g.exit_code = 0;
}

// demo [--port N] [--host H]; demo generate
void AddDemoCommands(CLI::App& app, GlobalOptions& g) {
  auto dg = std::make_shared<DemoOptions>();
  auto dir = std::make_shared<std::string>();
  CLI::App* demo = app.add_subcommand(
      "demo",
      "the demo city: generated into the data folder ($CARBONLEDGER_HOME) when missing, "
      "imported, and served with one account per role");
  demo->require_subcommand(0, 1);
  auto demo_port = std::make_shared<int>(8080);
  auto demo_host = std::make_shared<std::string>("127.0.0.1");
  demo->add_option("--port", *demo_port, "port (0 picks a free one)");
  demo->add_option("--host", *demo_host, "address to listen on");
  demo->callback([&g, demo, demo_port, demo_host] {
    if (demo->get_subcommands().empty()) DemoMain(g, *demo_port, *demo_host);
  });
  CLI::App* gen =
      demo->add_subcommand("generate", "write a synthetic city's files into the data folder");
  gen->add_option("--units", dg->units, "reporting units");
  gen->add_option("--years", dg->years, "years of readings");
  gen->add_option("--last-year", dg->last_year, "last year of readings");
  gen->add_option("--seed", dg->seed, "random seed (same seed, same files)");
  gen->add_option("--dir", *dir, "folder (default: demo-city in $CARBONLEDGER_HOME or here)");
  gen->callback([&g, dg, dir] { DemoGenerateMain(g, *dg, *dir); });
}

}  // namespace

void AddStoreCommands(CLI::App& app, GlobalOptions& g) {
  AddImportCommands(app, g);
  AddReadingsCommand(app, g);
  AddRollupCommand(app, g);
  AddVeeCommands(app, g);
  AddDemoCommands(app, g);
}

}  // namespace cl::cli
