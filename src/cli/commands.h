// Registration of the subcommands; each registers its own options and a
// callback that sets GlobalOptions::exit_code.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "core/error.h"
#include "refdata/reference_store.h"

namespace cl::cli {

struct GlobalOptions {
  std::string data_dir;
  std::string audit_dir;  // the programme key and checkpoints (default: DefaultAuditDir())
  int exit_code = 0;
};

inline constexpr int kExitInputError = 1;

// inventory, explain, restate
void AddInventoryCommands(CLI::App& app, GlobalOptions& global);
// factors list|show|diff, methodologies
void AddFactorCommands(CLI::App& app, GlobalOptions& global);

// mv fit, mv savings
void AddMvCommands(CLI::App& app, GlobalOptions& global);

// import, readings, rollup, vee, audit, demo
void AddStoreCommands(CLI::App& app, GlobalOptions& global);

// audit verify
void AddAuditCommands(CLI::App& app, GlobalOptions& global);
// After the command that ran: a signed checkpoint of the audit head of the
// store it named (--store), when that head moved (docs/decisions/0011).
void CheckpointAfterCommand(CLI::App& app, const GlobalOptions& global);

// serve
void AddServeCommands(CLI::App& app, GlobalOptions& global);
// demo (without a subcommand): the demo city imported and served
void DemoMain(GlobalOptions& global, int port, const std::string& host);

// user add, token issue|list|revoke
void AddIdentityCommands(CLI::App& app, GlobalOptions& global);

// Prints every error, one per line, as "error: file:line:column: field: message".
void PrintErrors(const ErrorList& errors);

// The bundled reference data, or nullptr after printing why not.
std::unique_ptr<const ReferenceData> LoadData(const GlobalOptions& global);

// Writes `text` to `path`, or to standard output when `path` is empty.
bool WriteOutput(const std::string& path, const std::string& text);

}  // namespace cl::cli
