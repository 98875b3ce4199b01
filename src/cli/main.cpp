// The `carbonledger` command. Each subcommand has --help.
//
// Exit status: 0 success; 1 the input or data had errors (all printed, each
// with file:line:column); 2 the command line was wrong; 70 an internal
// failure (an exception no command expected, reported, never a crash).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "commands.h"

namespace {

int Run(int argc, char** argv) {
  CLI::App app{
      "carbonledger (碳账本): energy (tce) and greenhouse-gas inventories under China's national "
      "rules, Shanghai's local rules and the GHG Protocol, every number traceable to its source."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "carbonledger 0.1.0");
  cl::cli::GlobalOptions global;
  app.add_option("--data-dir", global.data_dir,
                 "reference data folder (default: $CARBONLEDGER_DATA, else the bundled data/)");
  cl::cli::AddInventoryCommands(app, global);
  cl::cli::AddFactorCommands(app, global);
  cl::cli::AddMvCommands(app, global);
  app.add_option("--audit-dir", global.audit_dir,
                 "folder of the audit key and checkpoints (default: $CARBONLEDGER_HOME, else "
                 "the current directory)");
  cl::cli::AddStoreCommands(app, global);
  cl::cli::AddAuditCommands(app, global);
  cl::cli::AddIdentityCommands(app, global);
  cl::cli::AddServeCommands(app, global);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  cl::cli::CheckpointAfterCommand(app, global);
  return global.exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  constexpr int kInternalFailure = 70;  // EX_SOFTWARE, sysexits.h
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "error: internal: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "error: internal: an unknown exception\n";
  }
  return kInternalFailure;
}
