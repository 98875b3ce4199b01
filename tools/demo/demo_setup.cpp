#include "demo/demo_setup.h"

#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "demo/demo_city.h"
#include "identity/identity.h"
#include "ingest/activities_import.h"
#include "ingest/ingest.h"
#include "inventory/stored_inventory.h"
#include "metering/metering.h"
#include "store/store.h"

namespace cl {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string RandomPassword() {
  static const char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string p;
  for (int i = 0; i < 16; ++i) p += kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)];
  return p;
}

// The year of the generated readings (the demo city's last year).
constexpr int kDemoYear = 2025;

Status Imported(const Result<ImportResult>& r) {
  if (!r.ok()) return r.error();
  return Ok{};
}

}  // namespace

Result<DemoSetup> PrepareDemo(const std::string& home, const std::string& data_dir,
                              const std::function<void(const std::string&)>& say) {
  if (sodium_init() < 0) return Error(ErrorKind::kInternal, "libsodium failed to start");
  DemoSetup setup;
  fs::create_directories(home);
  const fs::path city = fs::path(home) / "demo-city";
  setup.store = (fs::path(home) / "carbonledger.db").string();
  if (!fs::exists(city / "units.csv")) {
    say("generating the demo city in " + city.string());
    DemoOptions o;
    o.units = 20;
    o.years = 1;
    o.last_year = kDemoYear;
    o.seed = 2025;
    auto s = GenerateDemoCity(city.string(), o);
    if (!s.ok()) return s.error();
  }
  auto data = LoadReferenceData(ResolveDataDir(data_dir));
  if (!data.ok()) return Error::InvalidInput(data.errors().ToString());
  auto vee = LoadVeeSettings(data.value()->dir);
  if (!vee.ok()) return vee.error();
  auto opened = OpenStore(setup.store);
  if (!opened.ok()) return opened.error();
  Store& store = **opened;
  Actor demo{"demo", "carbonledger demo"};

  auto units = store.Registry().ListUnits();
  if (!units.ok()) return units.error();
  if (units->empty()) {
    say("importing the demo city into " + setup.store);
    auto u = ImportUnits(store, (city / "units.csv").string(), data.value()->regions, demo);
    if (!u.ok()) return Error::InvalidInput(u.errors().ToString());
    auto si = ImportSites(store, (city / "sites.csv").string(), demo);
    if (!si.ok()) return Error::InvalidInput(si.errors().ToString());
    auto m = ImportMeters(store, (city / "meters.csv").string(), data.value()->catalog, demo);
    if (!m.ok()) return Error::InvalidInput(m.errors().ToString());
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(city / "readings")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      ReadingsMapping mapping;
      ImportOptions options;
      options.actor = demo;
      options.vee = *vee;
      if (auto st = Imported(ImportReadings(store, f.string(), mapping, options)); !st.ok())
        return st.error();
    }
    if (auto st = Imported(
            ImportActivities(store, *data.value(), (city / "activities.csv").string(), demo));
        !st.ok())
      return st.error();
    units = store.Registry().ListUnits();
    if (!units.ok()) return units.error();
    setup.log.push_back("imported " + std::to_string(units->size()) + " units with " +
                        std::to_string(files.size()) + " readings files");
  }
  if (units->size() < 3) return Error::InvalidInput("the demo city needs at least 3 units");
  const std::string u1 = (*units)[0].id, u2 = (*units)[1].id, u3 = (*units)[2].id;

  // Accounts: created once; their passwords are kept beside the store.
  const fs::path accounts_file = fs::path(home) / "demo-accounts.json";
  json saved = json::object();
  if (fs::exists(accounts_file)) {
    std::ifstream in(accounts_file);
    saved = json::parse(in, nullptr, false);
    if (!saved.is_object()) saved = json::object();
  }
  struct Want {
    const char* login;
    Role role;
    std::vector<std::string> units;
    const char* organisation;
    std::string sees;
  };
  const std::vector<Want> wanted = {
      {"admin",
       Role::kProgrammeAdmin,
       {},
       "",
       "the programme office: everything, users, publishing"},
      {"staff", Role::kProgrammeStaff, {}, "", "reads every unit, assigns verifiers, publishes"},
      {"manager",
       Role::kUnitManager,
       {u1, u2},
       "",
       "units " + u1 + " and " + u2 + " (a group company)"},
      {"member", Role::kUnitMember, {u3}, "", "unit " + u3 + " only"},
      {"verifier",
       Role::kVerifier,
       {},
       "Shanghai Verification Centre (demo)",
       "the inventory of " + u1 + " " + std::to_string(kDemoYear) + " assigned to it"},
      {"bank",
       Role::kBankAnalyst,
       {},
       "Demo Green Bank",
       "verified totals and intensities of " + u1 + " (its consent)"},
  };
  for (const auto& w : wanted) {
    auto existing = store.Identity().GetUser(w.login);
    if (!existing.ok()) return existing.error();
    std::string password = saved.value(w.login, "");
    if (!existing->has_value() || password.empty()) {
      if (password.empty()) password = RandomPassword();
      auto hash = HashPassword(password);
      if (!hash.ok()) return hash.error();
      if (existing->has_value()) {
        if (auto st = store.Identity().SetPasswordHash((*existing)->id, *hash, demo); !st.ok())
          return st.error();
      } else {
        UserRecord u;
        u.login = w.login;
        u.display_name = w.login;
        u.role = RoleName(w.role);
        u.password_hash = *hash;
        u.units = w.units;
        u.organisation = w.organisation;
        auto id = store.Identity().CreateUser(u, demo);
        if (!id.ok()) return id.error();
      }
      saved[w.login] = password;
    }
    setup.accounts.push_back({w.login, RoleName(w.role), password, w.sees});
  }
  {
    // Readable by the owner only, before any password is written into it.
    { std::ofstream touch(accounts_file, std::ios::app); }
    ::chmod(accounts_file.c_str(), 0600);
    std::ofstream out(accounts_file, std::ios::trunc);
    out << saved.dump(2) << "\n";
  }

  // The workflow, once: u1 verified (the bank's consent covers it), u2
  // published, u3 a draft.
  auto inventories = store.Inventories().ListInventorySummaries();
  if (!inventories.ok()) return inventories.error();
  if (inventories->empty()) {
    say("computing the demo inventories");
    auto as = [](const char* who) { return Actor{who, "carbonledger demo"}; };
    auto compute = [&](const std::string& unit, const Actor& by) -> Result<int64_t> {
      StoredInventoryRequest r;
      r.unit_id = unit;
      r.year = kDemoYear;
      r.methodology = "shanghai";
      return ComputeAndSaveInventory(store, *data.value(), *vee, r, by);
    };
    auto i1 = compute(u1, as("manager"));
    if (!i1.ok()) return i1.error();
    auto i2 = compute(u2, as("manager"));
    if (!i2.ok()) return i2.error();
    auto i3 = compute(u3, as("manager"));
    if (!i3.ok()) return i3.error();
    if (auto st = store.Access().AssignVerifier({u1, kDemoYear, "verifier", "", ""}, as("staff"));
        !st.ok())
      return st.error();
    if (auto st = store.Access().AssignVerifier({u2, kDemoYear, "verifier", "", ""}, as("staff"));
        !st.ok())
      return st.error();
    for (int64_t id : {*i1, *i2}) {
      if (auto st = store.Inventories().SetInventoryStatus(id, InventoryStatus::kSubmitted,
                                                           as("manager"), "");
          !st.ok())
        return st.error();
      if (auto st = store.Inventories().SetInventoryStatus(
              id, InventoryStatus::kVerified, as("verifier"),
              "Reasonable assurance: meter data reconciled with the bills; no material "
              "misstatement found (demo opinion).");
          !st.ok())
        return st.error();
    }
    if (auto st = store.Inventories().SetInventoryStatus(*i2, InventoryStatus::kPublished,
                                                         as("staff"), "");
        !st.ok())
      return st.error();
    // The rest of the city: every other unit's inventory, so that the
    // programme office sees the whole city; every second one published (the
    // public's lists), every other fourth one waiting for the verifier.
    int published = 1, waiting = 0;
    // Each by its own (unnamed) unit's people: "demo" in the audit log.
    for (size_t i = 3; i < units->size(); ++i) {
      const std::string& u = (*units)[i].id;
      auto id = compute(u, demo);
      if (!id.ok()) return id.error();
      const bool publish = i % 2 == 0, submit = !publish && i % 4 == 3;
      if (!publish && !submit) continue;
      if (auto st = store.Access().AssignVerifier({u, kDemoYear, "verifier", "", ""}, as("staff"));
          !st.ok())
        return st.error();
      if (auto st =
              store.Inventories().SetInventoryStatus(*id, InventoryStatus::kSubmitted, demo, "");
          !st.ok())
        return st.error();
      if (submit) {
        ++waiting;
        continue;
      }
      if (auto st = store.Inventories().SetInventoryStatus(
              *id, InventoryStatus::kVerified, as("verifier"),
              "Reasonable assurance: no material misstatement found (demo opinion).");
          !st.ok())
        return st.error();
      if (auto st = store.Inventories().SetInventoryStatus(*id, InventoryStatus::kPublished,
                                                           as("staff"), "");
          !st.ok())
        return st.error();
      ++published;
    }
    ConsentRecord c;
    c.unit_id = u1;
    c.bank = "Demo Green Bank";
    c.scopes = {"totals", "intensities"};
    c.year_from = kDemoYear;
    c.year_to = kDemoYear;
    c.expires_at = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count() +
                   365 * 86400;
    if (auto id = store.Access().CreateConsent(c, as("manager")); !id.ok()) return id.error();
    setup.log.push_back("inventories " + std::to_string(*i1) + " (verified), " +
                        std::to_string(*i2) + " (published), " + std::to_string(*i3) +
                        " (draft); a verifier assignment and a bank consent; " +
                        std::to_string(units->size()) + " units' inventories in all, " +
                        std::to_string(published) + " published, " + std::to_string(waiting) +
                        " waiting for the verifier");
  }
  return setup;
}

}  // namespace cl
