// user add, token issue|list|revoke: identity from the command line (the
// programme admin's tools before and beside the server).
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <optional>

#include "commands.h"
#include "identity/accounts.h"
#include "identity/identity.h"
#include "store/store.h"

namespace cl::cli {
namespace {

struct Options {
  std::string store;
  std::string login;
  std::string name;
  std::string role;
  std::vector<std::string> units;
  std::string unit;
  int days = 90;
  std::string label;
  std::string organisation;
  int64_t id = 0;
};

std::unique_ptr<Store> OpenOrPrint(const Options& o) {
  auto s = OpenStore(o.store.empty() ? DefaultStoreTarget() : o.store);
  if (!s.ok()) {
    std::cerr << "error: " << s.error().ToString() << "\n";
    return nullptr;
  }
  return std::move(*s);
}

// The user named on the command line, or nothing after saying so.
std::optional<UserRecord> FindUser(Store& store, const std::string& login) {
  auto u = store.Identity().GetUser(login);
  if (!u.ok() || !u->has_value()) {
    std::cerr << "error: no user '" << login << "'" << (u.ok() ? "" : ": " + u.error().ToString())
              << "\n";
    return std::nullopt;
  }
  return **u;
}

Actor Admin() {
  const char* user = std::getenv("USER");
  return {std::string("cli:") + (user && *user ? user : "admin"), "cli"};
}

Instant Now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

// The password from CARBONLEDGER_PASSWORD, else the first line of standard input.
std::string ReadPassword() {
  if (const char* env = std::getenv("CARBONLEDGER_PASSWORD"); env && *env) return env;
  std::string line;
  std::getline(std::cin, line);
  return line;
}

void UserAddMain(GlobalOptions& g, const Options& o) {
  g.exit_code = kExitInputError;
  auto store = OpenOrPrint(o);
  if (!store) return;
  NewUser n;
  n.login = o.login;
  n.display_name = o.name.empty() ? o.login : o.name;
  n.role = o.role;
  n.units = o.units;
  n.organisation = o.organisation;
  n.password = ReadPassword();
  auto u = AddUser(*store, n, IdentityPolicy{}, Admin());
  if (!u.ok()) {
    std::cerr << "error: " << u.error().ToString() << "\n";
    return;
  }
  std::cout << fmt::format("user {} ({}) added as {}\n", u->login, u->id, u->role);
  g.exit_code = 0;
}

// user add LOGIN
void AddUserCommands(CLI::App& app, GlobalOptions& g, const std::shared_ptr<Options>& o) {
  CLI::App* user = app.add_subcommand("user", "users who sign in (docs/roles.md)");
  user->require_subcommand(1);
  CLI::App* add = user->add_subcommand(
      "add", "add a user; the password comes from $CARBONLEDGER_PASSWORD or standard input");
  add->add_option("LOGIN", o->login, "login")->required();
  add->add_option("--role", o->role,
                  "programme_admin | programme_staff | unit_manager | unit_member | verifier | "
                  "bank_analyst")
      ->required();
  add->add_option("--unit", o->units, "a unit the user belongs to (repeatable)");
  add->add_option("--name", o->name, "display name");
  add->add_option("--organisation", o->organisation,
                  "the bank of a bank analyst, the verification body of a verifier");
  add->add_option("--store", o->store, "SQLite file or PostgreSQL connection string");
  add->callback([&g, o] { UserAddMain(g, *o); });
}

void TokenIssueMain(GlobalOptions& g, const Options& o) {
  g.exit_code = kExitInputError;
  auto store = OpenOrPrint(o);
  if (!store) return;
  auto u = FindUser(*store, o.login);
  if (!u) return;
  auto t = IssueApiToken(*store, *u, o.unit, "ingest", o.days, o.label, Now(), Admin());
  if (!t.ok()) {
    std::cerr << "error: " << t.error().ToString() << "\n";
    return;
  }
  std::cout << fmt::format("token {} for unit {} (ingest), valid {} days:\n{}\n", t->id, o.unit,
                           o.days, t->token);
  g.exit_code = 0;
}

void TokenListMain(GlobalOptions& g, const Options& o) {
  g.exit_code = kExitInputError;
  auto store = OpenOrPrint(o);
  if (!store) return;
  auto u = FindUser(*store, o.login);
  if (!u) return;
  auto tokens = store->Identity().ListApiTokens(u->id);
  if (!tokens.ok()) return;
  for (const auto& t : *tokens)
    std::cout << fmt::format("{:>4}  {:<12} {:<8} expires {}  {}  {}\n", t.id, t.unit_id, t.scope,
                             FormatInstant(Instant(std::chrono::seconds(t.expires_at))),
                             t.revoked_at ? "revoked" : "active", t.label);
  g.exit_code = 0;
}

void TokenRevokeMain(GlobalOptions& g, const Options& o) {
  g.exit_code = kExitInputError;
  auto store = OpenOrPrint(o);
  if (!store) return;
  auto st = store->Identity().RevokeApiToken(o.id, Now().time_since_epoch().count(), Admin());
  if (!st.ok()) {
    std::cerr << "error: " << st.error().ToString() << "\n";
    return;
  }
  std::cout << "token " << o.id << " revoked\n";
  g.exit_code = 0;
}

// token issue|list|revoke
void AddTokenCommands(CLI::App& app, GlobalOptions& g, const std::shared_ptr<Options>& o) {
  CLI::App* token = app.add_subcommand("token", "API tokens for machines that send readings");
  token->require_subcommand(1);
  CLI::App* issue = token->add_subcommand("issue", "issue a token (printed once, stored hashed)");
  issue->add_option("--user", o->login, "the unit manager the token acts for")->required();
  issue->add_option("--unit", o->unit, "the unit it may send readings for")->required();
  issue->add_option("--days", o->days, "lifetime in days (default 90)");
  issue->add_option("--label", o->label, "what it is for, e.g. 'SCADA gateway'");
  issue->add_option("--store", o->store, "SQLite file or PostgreSQL connection string");
  issue->callback([&g, o] { TokenIssueMain(g, *o); });
  CLI::App* list = token->add_subcommand("list", "a user's tokens (never the secrets)");
  list->add_option("--user", o->login, "login")->required();
  list->add_option("--store", o->store, "SQLite file or PostgreSQL connection string");
  list->callback([&g, o] { TokenListMain(g, *o); });
  CLI::App* revoke = token->add_subcommand("revoke", "revoke a token now");
  revoke->add_option("ID", o->id, "token number")->required();
  revoke->add_option("--store", o->store, "SQLite file or PostgreSQL connection string");
  revoke->callback([&g, o] { TokenRevokeMain(g, *o); });
}

}  // namespace

void AddIdentityCommands(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<Options>();
  AddUserCommands(app, g, o);
  AddTokenCommands(app, g, o);
}

}  // namespace cl::cli
