// audit verify, and the checkpoint every command that names a store leaves
// behind (docs/decisions/0011).
#include <filesystem>
#include <iostream>
#include <memory>

#include "access/audit_anchor.h"
#include "access/audit_log.h"
#include "commands.h"
#include "store/store.h"

namespace cl::cli {
namespace {

struct AuditOptions {
  std::string store;
};

AuditAnchor AnchorFor(const GlobalOptions& g, const std::string& target) {
  return {g.audit_dir.empty() ? DefaultAuditDir() : std::filesystem::path(g.audit_dir),
          AuditStoreIdentity(target)};
}

void AuditVerifyMain(GlobalOptions& g, const AuditOptions& o) {
  g.exit_code = kExitInputError;
  std::string target = o.store.empty() ? DefaultStoreTarget() : o.store;
  auto store = OpenStore(target);
  if (!store.ok()) {
    std::cerr << "error: " << store.error().ToString() << "\n";
    return;
  }
  AuditAnchor anchor = AnchorFor(g, target);
  auto result = VerifyAudit(**store, &anchor);
  if (!result.ok()) {
    std::cerr << "error: " << result.error().ToString() << "\n";
    return;
  }
  for (const auto& p : result->problems) std::cout << "TAMPERED: " << p << "\n";
  auto last = LatestAuditCheckpoint(anchor);
  if (last.ok() && *last)
    std::cout << "last checkpoint: entry " << (*last)->seq << " at " << (*last)->at << "\n";
  else if (last.ok())
    std::cout << "no checkpoint yet in " << anchor.dir.string() << "\n";
  std::cout << result->entries << " audit entries, "
            << (result->problems.empty() ? "chain intact" : "chain BROKEN") << "\n";
  g.exit_code = result->problems.empty() ? 0 : kExitInputError;
}

}  // namespace

void AddAuditCommands(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<AuditOptions>();
  CLI::App* audit = app.add_subcommand("audit", "the audit log");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "check the audit log's hash chain, its signed checkpoints and the records that must never "
      "change");
  verify->add_option("--store", o->store,
                     "SQLite file or PostgreSQL connection string (default: carbonledger.db in "
                     "$CARBONLEDGER_HOME, else the current directory)");
  verify->callback([&g, o] { AuditVerifyMain(g, *o); });
}

void CheckpointAfterCommand(CLI::App& app, const GlobalOptions& g) {
  CLI::App* leaf = &app;
  while (!leaf->get_subcommands().empty()) leaf = leaf->get_subcommands().front();
  const CLI::Option* option = leaf->get_option_no_throw("--store");
  // Verifying does not anchor what it verifies.
  if (option == nullptr || leaf->get_name() == "verify") return;
  std::string target = option->empty() ? DefaultStoreTarget() : option->as<std::string>();
  bool postgres = target.find('=') != std::string::npos || target.rfind("postgres", 0) == 0;
  if (!postgres && !std::filesystem::exists(target)) return;
  auto store = OpenStore(target);
  if (!store.ok()) return;
  auto written = WriteAuditCheckpoint(**store, AnchorFor(g, target));
  if (!written.ok())
    std::cerr << "warning: no audit checkpoint: " << written.error().ToString() << "\n";
}

}  // namespace cl::cli
