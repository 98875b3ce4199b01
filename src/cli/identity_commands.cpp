// user add|list|set|disable|enable|reset-password|end-sessions, token
// issue|list|revoke: identity from the command line (the programme admin's
// tools before and beside the server). Every change is audited as the
// operating-system user ("cli:root").
#include <fmt/format.h>
#include <fmt/ranges.h>

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
  std::optional<std::string> new_role;
  std::optional<std::string> new_name;
  std::optional<std::string> new_organisation;
  std::vector<std::string> new_units;
  bool clear_units = false;
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

int64_t NowSeconds() { return Now().time_since_epoch().count(); }

void UserListMain(GlobalOptions& g, const Options& o) {
  g.exit_code = kExitInputError;
  auto store = OpenOrPrint(o);
  if (!store) return;
  auto all = ListAccounts(*store, NowSeconds());
  if (!all.ok()) {
    std::cerr << "error: " << all.error().ToString() << "\n";
    return;
  }
  std::cout << fmt::format("{:<24} {:<16} {:<9} {:>8} {:>6}  {}\n", "LOGIN", "ROLE", "STATE",
                           "SESSIONS", "TOKENS", "UNITS / ORGANISATION");
  for (const auto& a : *all) {
    const UserRecord& u = a.user;
    std::string state = u.disabled ? "disabled" : u.temporary_until != 0 ? "reset" : "active";
    std::string units = fmt::format("{}", fmt::join(u.units, ","));
    std::cout << fmt::format("{:<24} {:<16} {:<9} {:>8} {:>6}  {}\n", u.login, u.role, state,
                             a.active_sessions, a.active_tokens,
                             u.organisation.empty() ? units : u.organisation);
  }
  g.exit_code = 0;
}

// Applies `change` to the user named by o.login and says what it is now.
void ChangeMain(GlobalOptions& g, const Options& o, const UserChange& change) {
  g.exit_code = kExitInputError;
  auto store = OpenOrPrint(o);
  if (!store) return;
  auto u = ChangeUser(*store, o.login, change, "", NowSeconds(), Admin());
  if (!u.ok()) {
    std::cerr << "error: " << u.error().ToString() << "\n";
    return;
  }
  std::cout << fmt::format("user {}: {}{}, units [{}]{}\n", u->login, u->role,
                           u->organisation.empty() ? "" : " of " + u->organisation,
                           fmt::join(u->units, ", "), u->disabled ? ", disabled" : "");
  g.exit_code = 0;
}

void UserSetMain(GlobalOptions& g, const Options& o) {
  UserChange c;
  c.role = o.new_role;
  c.display_name = o.new_name;
  c.organisation = o.new_organisation;
  if (!o.new_units.empty() || o.clear_units) c.units = o.new_units;
  ChangeMain(g, o, c);
}

void UserResetMain(GlobalOptions& g, const Options& o) {
  g.exit_code = kExitInputError;
  auto store = OpenOrPrint(o);
  if (!store) return;
  auto t = ResetPassword(*store, o.login, IdentityPolicy{}, NowSeconds(), Admin());
  if (!t.ok()) {
    std::cerr << "error: " << t.error().ToString() << "\n";
    return;
  }
  std::cout << fmt::format(
      "temporary password for {} (shown once; valid until {}, to be changed at sign-in):\n{}\n",
      o.login, FormatInstant(Instant(std::chrono::seconds(t->valid_until))), t->password);
  g.exit_code = 0;
}

void UserEndSessionsMain(GlobalOptions& g, const Options& o) {
  g.exit_code = kExitInputError;
  auto store = OpenOrPrint(o);
  if (!store) return;
  auto n = EndSessions(*store, o.login, Admin());
  if (!n.ok()) {
    std::cerr << "error: " << n.error().ToString() << "\n";
    return;
  }
  std::cout << fmt::format("{} session(s) of {} ended\n", *n, o.login);
  g.exit_code = 0;
}

CLI::App* WithStore(CLI::App* cmd, const std::shared_ptr<Options>& o) {
  cmd->add_option("--store", o->store, "SQLite file or PostgreSQL connection string");
  return cmd;
}

// user add|list|set|disable|enable|reset-password|end-sessions
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
  WithStore(add, o)->callback([&g, o] { UserAddMain(g, *o); });
  WithStore(user->add_subcommand("list", "every user: role, state, live sessions and tokens"), o)
      ->callback([&g, o] { UserListMain(g, *o); });
  CLI::App* set = user->add_subcommand(
      "set",
      "change a user's role, units, organisation or name (tokens it may no longer act "
      "through are revoked)");
  set->add_option("LOGIN", o->login, "login")->required();
  set->add_option("--role", o->new_role, "the new role");
  set->add_option("--unit", o->new_units, "the user's units, all of them (repeatable)");
  set->add_flag("--no-units", o->clear_units, "take every unit away");
  set->add_option("--organisation", o->new_organisation, "the bank or verification body");
  set->add_option("--name", o->new_name, "display name");
  WithStore(set, o)->callback([&g, o] { UserSetMain(g, *o); });
  for (bool off : {true, false}) {
    CLI::App* cmd = user->add_subcommand(
        off ? "disable" : "enable",
        off ? "disable a user: its sessions end and its API tokens are revoked"
            : "let a disabled user sign in again (its revoked tokens stay revoked)");
    cmd->add_option("LOGIN", o->login, "login")->required();
    WithStore(cmd, o)->callback([&g, o, off] { ChangeMain(g, *o, {.disabled = off}); });
  }
  CLI::App* reset = user->add_subcommand(
      "reset-password", "a temporary password, printed once, to be changed at the next sign-in");
  reset->add_option("LOGIN", o->login, "login")->required();
  WithStore(reset, o)->callback([&g, o] { UserResetMain(g, *o); });
  CLI::App* end = user->add_subcommand("end-sessions", "sign a user out everywhere");
  end->add_option("LOGIN", o->login, "login")->required();
  WithStore(end, o)->callback([&g, o] { UserEndSessionsMain(g, *o); });
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
