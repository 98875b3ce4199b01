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

Actor As(const char* who) { return Actor{who, "carbonledger demo"}; }

// An account the demo creates, and what it is for.
struct WantedAccount {
  const char* login;
  Role role;
  std::vector<std::string> units;
  const char* organisation;
  std::string sees;
};

std::vector<WantedAccount> WantedAccounts(const std::string& u1, const std::string& u2,
                                          const std::string& u3) {
  return {
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
}

// The steps of PrepareDemo over one opened store; each step does nothing that
// an earlier run has already done.
class DemoBuilder {
 public:
  DemoBuilder(const fs::path& home, Store& store, const ReferenceData& data, const VeeSettings& vee,
              DemoSetup& setup)
      : home_(home),
        city_(home / "demo-city"),
        store_(store),
        data_(data),
        vee_(vee),
        setup_(setup) {}

  // Imports the generated city when the store has no units; loads the units.
  Status ImportCity(const std::function<void(const std::string&)>& say) {
    auto units = store_.Registry().ListUnits();
    if (!units.ok()) return units.error();
    units_ = std::move(*units);
    if (!units_.empty()) return Ok{};
    say("importing the demo city into " + setup_.store);
    CL_RETURN_IF_ERROR(ImportRegistry());
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(city_ / "readings")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      ReadingsMapping mapping;
      ImportOptions options;
      options.actor = demo_;
      options.vee = vee_;
      CL_RETURN_IF_ERROR(Imported(ImportReadings(store_, f.string(), mapping, options)));
    }
    if (auto st =
            Imported(ImportActivities(store_, data_, (city_ / "activities.csv").string(), demo_));
        !st.ok())
      return st.error();
    units = store_.Registry().ListUnits();
    if (!units.ok()) return units.error();
    units_ = std::move(*units);
    setup_.log.push_back("imported " + std::to_string(units_.size()) + " units with " +
                         std::to_string(files.size()) + " readings files");
    return Ok{};
  }

  // Accounts: created once; their passwords are kept beside the store.
  Status CreateAccounts() {
    if (units_.size() < 3) return Error::InvalidInput("the demo city needs at least 3 units");
    const fs::path accounts_file = home_ / "demo-accounts.json";
    json saved = json::object();
    if (fs::exists(accounts_file)) {
      std::ifstream in(accounts_file);
      saved = json::parse(in, nullptr, false);
      if (!saved.is_object()) saved = json::object();
    }
    for (const auto& w : WantedAccounts(units_[0].id, units_[1].id, units_[2].id)) {
      auto password = EnsureAccount(w, saved.value(w.login, ""));
      if (!password.ok()) return password.error();
      saved[w.login] = *password;
      setup_.accounts.push_back({w.login, RoleName(w.role), *password, w.sees});
    }
    // Readable by the owner only, before any password is written into it.
    { std::ofstream touch(accounts_file, std::ios::app); }
    ::chmod(accounts_file.c_str(), 0600);
    std::ofstream out(accounts_file, std::ios::trunc);
    out << saved.dump(2) << "\n";
    return Ok{};
  }

  // The workflow, once: u1 verified (the bank's consent covers it), u2
  // published, u3 a draft; then the rest of the city.
  Status RunWorkflow(const std::function<void(const std::string&)>& say) {
    auto inventories = store_.Inventories().ListInventorySummaries();
    if (!inventories.ok()) return inventories.error();
    if (!inventories->empty()) return Ok{};
    say("computing the demo inventories");
    const std::string& u1 = units_[0].id;
    const std::string& u2 = units_[1].id;
    const std::string& u3 = units_[2].id;
    auto i1 = Compute(u1, As("manager"));
    if (!i1.ok()) return i1.error();
    auto i2 = Compute(u2, As("manager"));
    if (!i2.ok()) return i2.error();
    auto i3 = Compute(u3, As("manager"));
    if (!i3.ok()) return i3.error();
    CL_RETURN_IF_ERROR(VerifyFirstTwo(u1, u2, *i1, *i2));
    int published = 1;
    int waiting = 0;
    CL_RETURN_IF_ERROR(TheRestOfTheCity(published, waiting));
    CL_RETURN_IF_ERROR(ConsentToTheBank(u1));
    setup_.log.push_back("inventories " + std::to_string(*i1) + " (verified), " +
                         std::to_string(*i2) + " (published), " + std::to_string(*i3) +
                         " (draft); a verifier assignment and a bank consent; " +
                         std::to_string(units_.size()) + " units' inventories in all, " +
                         std::to_string(published) + " published, " + std::to_string(waiting) +
                         " submitted (half of them without a verifier yet)");
    return Ok{};
  }

 private:
  Status ImportRegistry() {
    auto u = ImportUnits(store_, (city_ / "units.csv").string(), data_.regions, demo_);
    if (!u.ok()) return Error::InvalidInput(u.errors().ToString());
    auto si = ImportSites(store_, (city_ / "sites.csv").string(), demo_);
    if (!si.ok()) return Error::InvalidInput(si.errors().ToString());
    auto m = ImportMeters(store_, (city_ / "meters.csv").string(), data_.catalog, demo_);
    if (!m.ok()) return Error::InvalidInput(m.errors().ToString());
    return Ok{};
  }

  // The account's password: the saved one, or a new one when the account is
  // new or has none saved (its hash then set or the account created).
  Result<std::string> EnsureAccount(const WantedAccount& w, std::string password) {
    auto existing = store_.Identity().GetUser(w.login);
    if (!existing.ok()) return existing.error();
    if (existing->has_value() && !password.empty()) return password;
    if (password.empty()) password = RandomPassword();
    auto hash = HashPassword(password);
    if (!hash.ok()) return hash.error();
    if (existing->has_value()) {
      CL_RETURN_IF_ERROR(store_.Identity().SetPasswordHash((*existing)->id, *hash, 0, demo_));
      return password;
    }
    UserRecord u;
    u.login = w.login;
    u.display_name = w.login;
    u.role = RoleName(w.role);
    u.password_hash = *hash;
    u.units = w.units;
    u.organisation = w.organisation;
    auto id = store_.Identity().CreateUser(u, demo_);
    if (!id.ok()) return id.error();
    return password;
  }

  Result<int64_t> Compute(const std::string& unit, const Actor& by) {
    StoredInventoryRequest r;
    r.unit_id = unit;
    r.year = kDemoYear;
    r.methodology = "shanghai";
    return ComputeAndSaveInventory(store_, data_, vee_, r, by);
  }

  Status AssignVerifier(const std::string& unit) {
    return store_.Access().AssignVerifier({unit, kDemoYear, "verifier", "", ""}, As("staff"));
  }

  Status SetStatus(int64_t id, InventoryStatus status, const Actor& by,
                   const std::string& opinion) {
    return store_.Inventories().SetInventoryStatus(id, status, by, opinion);
  }

  // u1 and u2 submitted and verified, u2 published.
  Status VerifyFirstTwo(const std::string& u1, const std::string& u2, int64_t i1, int64_t i2) {
    CL_RETURN_IF_ERROR(AssignVerifier(u1));
    CL_RETURN_IF_ERROR(AssignVerifier(u2));
    for (int64_t id : {i1, i2}) {
      CL_RETURN_IF_ERROR(SetStatus(id, InventoryStatus::kSubmitted, As("manager"), ""));
      if (auto st = SetStatus(id, InventoryStatus::kVerified, As("verifier"),
                              "合理保证：计量数据已与账单核对，未发现重大错报（演示意见）。");
          !st.ok())
        return st;
    }
    return SetStatus(i2, InventoryStatus::kPublished, As("staff"), "");
  }

  // The rest of the city: every other unit's inventory, so that the
  // programme office sees the whole city; every second one published (the
  // public's lists), every other fourth one submitted: half of those with a
  // verifier, half waiting for the programme office to assign one.
  Status TheRestOfTheCity(int& published, int& waiting) {
    // Each by its own (unnamed) unit's people: "demo" in the audit log.
    for (size_t i = 3; i < units_.size(); ++i) {
      const std::string& u = units_[i].id;
      auto id = Compute(u, demo_);
      if (!id.ok()) return id.error();
      const bool publish = i % 2 == 0;
      const bool submit = !publish && i % 4 == 3;
      if (!publish && !submit) continue;
      if (publish || i % 8 == 3) CL_RETURN_IF_ERROR(AssignVerifier(u));
      CL_RETURN_IF_ERROR(SetStatus(*id, InventoryStatus::kSubmitted, demo_, ""));
      if (submit) {
        ++waiting;
        continue;
      }
      if (auto st = SetStatus(*id, InventoryStatus::kVerified, As("verifier"),
                              "合理保证：未发现重大错报（演示意见）。");
          !st.ok())
        return st;
      CL_RETURN_IF_ERROR(SetStatus(*id, InventoryStatus::kPublished, As("staff"), ""));
      ++published;
    }
    return Ok{};
  }

  Status ConsentToTheBank(const std::string& unit) {
    ConsentRecord c;
    c.unit_id = unit;
    c.bank = "Demo Green Bank";
    c.scopes = {"totals", "intensities"};
    c.year_from = kDemoYear;
    c.year_to = kDemoYear;
    c.expires_at = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count() +
                   int64_t{365} * 86400;
    CL_RETURN_IF_ERROR(store_.Access().CreateConsent(c, As("manager")));
    return Ok{};
  }

  const fs::path home_, city_;
  Store& store_;
  const ReferenceData& data_;
  const VeeSettings& vee_;
  DemoSetup& setup_;
  const Actor demo_{"demo", "carbonledger demo"};
  std::vector<UnitRecord> units_;
};

// Generates the demo city into `city` unless it is there already.
Status GenerateCity(const fs::path& city, const std::function<void(const std::string&)>& say) {
  if (fs::exists(city / "units.csv")) return Ok{};
  say("generating the demo city in " + city.string());
  DemoOptions o;
  o.units = 20;
  o.years = 1;
  o.last_year = kDemoYear;
  o.seed = 2025;
  auto s = GenerateDemoCity(city.string(), o);
  if (!s.ok()) return s.error();
  return Ok{};
}

}  // namespace

Result<DemoSetup> PrepareDemo(const std::string& home, const std::string& data_dir,
                              const std::function<void(const std::string&)>& say) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to start");
  DemoSetup setup;
  fs::create_directories(home);
  setup.store = (fs::path(home) / "carbonledger.db").string();
  CL_RETURN_IF_ERROR(GenerateCity(fs::path(home) / "demo-city", say));
  auto data = LoadReferenceData(ResolveDataDir(data_dir));
  if (!data.ok()) return Error::InvalidInput(data.errors().ToString());
  auto vee = LoadVeeSettings(data.value()->dir);
  if (!vee.ok()) return vee.error();
  auto opened = OpenStore(setup.store);
  if (!opened.ok()) return opened.error();
  DemoBuilder builder(fs::path(home), **opened, *data.value(), *vee, setup);
  CL_RETURN_IF_ERROR(builder.ImportCity(say));
  CL_RETURN_IF_ERROR(builder.CreateAccounts());
  CL_RETURN_IF_ERROR(builder.RunWorkflow(say));
  return setup;
}

}  // namespace cl
