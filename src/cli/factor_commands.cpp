// factors list|show|diff and methodologies.
#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "reports/render.h"

namespace cl::cli {
namespace {

void ListMain(GlobalOptions& g) {
  auto data = LoadData(g);
  if (!data) {
    g.exit_code = kExitInputError;
    return;
  }
  fmt::print("{:<18} {:<10} {:<11} {:>5}  {}\n", "dataset", "version", "published", "rows",
             "title");
  for (const auto& [id, versions] : data->library.all()) {
    for (const auto& d : versions) {
      fmt::print("{:<18} {:<10} {:<11} {:>5}  {}\n", id, d->info().version,
                 d->info().published.empty() ? "-" : d->info().published, d->rows().size(),
                 d->info().title);
    }
  }
}

const Dataset* FindDataset(const ReferenceData& data, const std::string& id, std::string version) {
  auto it = data.library.all().find(id);
  if (it == data.library.all().end()) {
    std::cerr << "error: no dataset '" << id << "' (see: carbonledger factors list)\n";
    return nullptr;
  }
  if (version.empty()) version = it->second.back()->info().version;
  const Dataset* d = data.library.Find(id, version);
  if (d == nullptr)
    std::cerr << "error: dataset '" << id << "' has no version '" << version << "'\n";
  return d;
}

void ShowMain(GlobalOptions& g, const std::string& id, const std::string& version) {
  g.exit_code = kExitInputError;
  auto data = LoadData(g);
  if (!data) return;
  const Dataset* d = FindDataset(*data, id, version);
  if (d == nullptr) return;
  std::cout << DatasetRowsTable(*d);
  g.exit_code = 0;
}

void DiffMain(GlobalOptions& g, const std::string& id, const std::string& a, const std::string& b) {
  g.exit_code = kExitInputError;
  auto data = LoadData(g);
  if (!data) return;
  const Dataset* older = FindDataset(*data, id, a);
  const Dataset* newer = FindDataset(*data, id, b);
  if (older == nullptr || newer == nullptr) return;
  std::cout << DatasetDiffTable(*older, *newer);
  g.exit_code = 0;
}

void MethodologiesMain(GlobalOptions& g) {
  auto data = LoadData(g);
  if (!data) {
    g.exit_code = kExitInputError;
    return;
  }
  for (const Profile& p : data->profiles) {
    fmt::print(
        "{}\n  {}\n  {}\n  basis: {}\n  GWP {}; scope 2 headline {}; exported energy {}; "
        "market-based {}\n",
        p.id, p.name_zh, p.name_en, p.basis, p.gwp_set,
        p.headline_market ? "market-based" : "location-based",
        p.deduct_exports ? "deducted" : "memo only",
        p.electricity_market_residual ? "reported" : "not reported");
    for (const auto& [choice, source] : p.choices)
      fmt::print("  - {}\n      ({})\n", choice, source);
    fmt::print("\n");
  }
}

}  // namespace

void AddFactorCommands(CLI::App& app, GlobalOptions& global) {
  CLI::App* factors = app.add_subcommand("factors", "reference datasets: list, show, diff");
  factors->require_subcommand(1);
  factors->add_subcommand("list", "every dataset and version")->callback([&global] {
    ListMain(global);
  });

  auto id = std::make_shared<std::string>();
  auto version = std::make_shared<std::string>();
  CLI::App* show = factors->add_subcommand("show", "the rows of one dataset version, with sources");
  show->add_option("dataset", *id, "dataset id, e.g. grid-electricity")->required();
  show->add_option("--version", *version, "version (default newest)");
  show->callback([&global, id, version] { ShowMain(global, *id, *version); });

  auto diff_id = std::make_shared<std::string>();
  auto a = std::make_shared<std::string>();
  auto b = std::make_shared<std::string>();
  CLI::App* diff =
      factors->add_subcommand("diff", "rows added, removed or changed between two versions");
  diff->add_option("dataset", *diff_id, "dataset id")->required();
  diff->add_option("old", *a, "older version")->required();
  diff->add_option("new", *b, "newer version")->required();
  diff->callback([&global, diff_id, a, b] { DiffMain(global, *diff_id, *a, *b); });

  app.add_subcommand("methodologies", "the methodology profiles and their choices")
      ->callback([&global] { MethodologiesMain(global); });
}

}  // namespace cl::cli
