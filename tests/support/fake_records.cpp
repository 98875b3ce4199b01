// The FakeStore's activity records, inventories, dataset versions, consents
// and assignments, users, tokens and sessions, over its State (fake_state.h).
#include <algorithm>
#include <set>

#include "fake_state.h"

namespace cl::testing::fake {
namespace {

class FakeActivities final : public ActivitiesRepository {
 public:
  explicit FakeActivities(Core& c) : c_(c) {}

  Result<WriteOutcome> PutActivity(ActivityRow a, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (auto no = c_.UnitNo(a.unit_id); !no.ok()) return no.error();
    const std::string key = a.Key();
    for (auto& [id, old] : c_.state.activities) {
      if (old.unit_id != a.unit_id || old.Key() != key) continue;
      if (old.quantity == a.quantity && old.unit_of_measure == a.unit_of_measure &&
          old.factor == a.factor && old.factor_unit == a.factor_unit)
        return WriteOutcome::kUnchanged;
      std::string before = ActivityJson(old).dump();
      old.quantity = a.quantity;
      old.unit_of_measure = a.unit_of_measure;
      old.factor = a.factor;
      old.factor_unit = a.factor_unit;
      old.note = a.note;
      old.source_file = a.source_file;
      old.line = a.line;
      old.batch_id = a.batch_id;
      c_.Audit(by, "update", "activity", std::to_string(id), before, ActivityJson(a).dump(),
               "revised by import batch " + std::to_string(a.batch_id));
      return WriteOutcome::kUpdated;
    }
    a.id = c_.state.next_activity++;
    c_.state.activities[a.id] = a;
    c_.Audit(by, "create", "activity", std::to_string(a.id), "", ActivityJson(a).dump(), "");
    return WriteOutcome::kInserted;
  }

  Result<std::vector<ActivityRow>> ListActivities(const std::string& unit_id) override {
    std::vector<ActivityRow> out;
    for (const auto& [id, a] : c_.state.activities)
      if (unit_id.empty() || a.unit_id == unit_id) out.push_back(a);
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& x, const auto& y) { return x.unit_id < y.unit_id; });
    return out;
  }

 private:
  Core& c_;
};

InventoryRecord Head(InventoryRecord r) {
  r.document.clear();
  return r;
}

class FakeInventories final : public InventoriesRepository {
 public:
  explicit FakeInventories(Core& c) : c_(c) {}

  Result<int64_t> CreateInventory(InventoryRecord inv, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (inv.created_at.empty()) inv.created_at = NowUtc();
    if (inv.created_by.empty()) inv.created_by = by.user;
    if (inv.supersedes != 0) {
      auto it = c_.state.inventories.find(inv.supersedes);
      if (it == c_.state.inventories.end())
        return Error::NotFound("inventory " + std::to_string(inv.supersedes) +
                               " to correct does not exist");
      const InventoryRecord& old = it->second;
      if (old.unit_id != inv.unit_id || old.year != inv.year)
        return Error::InvalidInput("a correction must be of the same unit and year",
                                   {"", 0, 0, "supersedes"});
      if (old.status != InventoryStatus::kDraft && inv.reason.empty())
        return Error::InvalidInput("a correction of a submitted inventory needs a reason",
                                   {"", 0, 0, "reason"});
      inv.version = old.version + 1;
    }
    inv.id = c_.state.next_inventory++;
    json after = {{"unit_id", inv.unit_id},
                  {"year", inv.year},
                  {"methodology", inv.methodology},
                  {"pins", inv.pins},
                  {"version", inv.version},
                  {"supersedes", inv.supersedes},
                  {"document_sha256", Sha256Hex(inv.document)}};
    c_.state.inventories[inv.id] = inv;  // the reason with it, and in the audit log
    c_.Audit(by, inv.supersedes ? "correct" : "create", "inventory", std::to_string(inv.id), "",
             after.dump(), inv.reason);
    return inv.id;
  }

  Result<std::optional<InventoryRecord>> GetInventory(int64_t id) override {
    auto it = c_.state.inventories.find(id);
    if (it == c_.state.inventories.end()) return std::optional<InventoryRecord>();
    return std::optional<InventoryRecord>(it->second);
  }

  Result<std::optional<InventoryRecord>> GetInventoryHead(int64_t id) override {
    auto it = c_.state.inventories.find(id);
    if (it == c_.state.inventories.end()) return std::optional<InventoryRecord>();
    return std::optional<InventoryRecord>(Head(it->second));
  }

  Result<std::vector<InventoryRecord>> ListInventories(const std::string& unit_id) override {
    std::vector<InventoryRecord> out;
    for (const auto& [id, r] : c_.state.inventories)
      if (unit_id.empty() || r.unit_id == unit_id) out.push_back(r);
    return out;
  }

  using InventoriesRepository::SetInventoryStatus;
  Status SetInventoryStatus(int64_t id, InventoryStatus to, const Actor& by,
                            const std::string& reason, const ReviewDetails& review) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.inventories.find(id);
    if (it == c_.state.inventories.end())
      return Error::NotFound("inventory " + std::to_string(id) + " does not exist");
    InventoryStatus from = it->second.status;
    it->second.status = to;
    if (to == InventoryStatus::kSubmitted) it->second.submitted_at = NowUtc();
    if (to == InventoryStatus::kVerified || to == InventoryStatus::kReturned) {
      int64_t review_id = static_cast<int64_t>(c_.state.reviews.size()) + 1;
      c_.state.reviews.push_back({review_id, id, by.user, InventoryStatusName(to), reason, NowUtc(),
                                  review.conclusion, review.findings});
    }
    c_.Audit(by, "status", "inventory", std::to_string(id),
             json{{"status", InventoryStatusName(from)}}.dump(),
             json{{"status", InventoryStatusName(to)}}.dump(), reason);
    return Ok{};
  }

  Result<std::vector<ReviewRecord>> ListReviews(int64_t inventory_id) override {
    std::vector<ReviewRecord> out;
    for (const auto& r : c_.state.reviews)
      if (r.inventory_id == inventory_id) out.push_back(r);
    return out;
  }

  Result<std::vector<InventoryRecord>> ListInventorySummaries() override {
    std::vector<InventoryRecord> out;
    for (const auto& [id, r] : c_.state.inventories) out.push_back(Head(r));
    return out;
  }

  Status PutReviewReport(const ReviewReport& report, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (!c_.state.inventories.contains(report.inventory_id))
      return Error::NotFound("inventory " + std::to_string(report.inventory_id) +
                             " does not exist");
    ReviewReport stored = report;
    stored.uploaded_by = by.user;
    stored.uploaded_at = NowUtc();
    auto [it, fresh] = c_.state.review_reports.insert_or_assign(report.inventory_id, stored);
    c_.Audit(by, fresh ? "attach report" : "replace report", "inventory",
             std::to_string(report.inventory_id), "",
             json{{"report", report.file_name}, {"sha256", report.sha256}}.dump(), "");
    return Ok{};
  }

  Result<std::optional<ReviewReport>> GetReviewReport(int64_t inventory_id,
                                                      bool with_body) override {
    auto it = c_.state.review_reports.find(inventory_id);
    if (it == c_.state.review_reports.end()) return std::optional<ReviewReport>();
    ReviewReport out = it->second;
    if (!with_body) out.body.clear();
    return std::optional<ReviewReport>(std::move(out));
  }

 private:
  Core& c_;
};

class FakeDatasets final : public DatasetsRepository {
 public:
  explicit FakeDatasets(Core& c) : c_(c) {}

  Status AddDatasetVersion(const DatasetVersionRecord& r, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto [it, fresh] = c_.state.datasets.try_emplace({r.dataset, r.version}, r);
    if (!fresh)
      return Error::Conflict("dataset " + r.dataset + " version " + r.version +
                             " is already published; a change is a new version");
    c_.Audit(by, "publish", "dataset", r.dataset + "/" + r.version, "",
             json{{"title", r.title},
                  {"published", r.published},
                  {"notes", r.notes},
                  {"rows_sha256", Sha256Hex(r.rows_csv)}}
                 .dump(),
             "");
    return Ok{};
  }

  Result<std::vector<DatasetVersionRecord>> ListDatasetVersions() override {
    std::vector<DatasetVersionRecord> out;
    for (const auto& [key, r] : c_.state.datasets) out.push_back(r);
    return out;
  }

 private:
  Core& c_;
};

class FakeAccess final : public AccessRepository {
 public:
  explicit FakeAccess(Core& c) : c_(c) {}

  Result<int64_t> CreateConsent(const ConsentRecord& c, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (!c_.state.units.contains(c.unit_id))
      return Error::NotFound("unit '" + c.unit_id + "' does not exist");
    ConsentRecord stored = c;
    stored.id = c_.state.next_consent++;
    stored.revoked_at.reset();
    c_.state.consents[stored.id] = stored;
    c_.Audit(by, "create", "consent", std::to_string(stored.id), "",
             json{{"unit_id", c.unit_id},
                  {"bank", c.bank},
                  {"scopes", c.scopes},
                  {"year_from", c.year_from},
                  {"year_to", c.year_to},
                  {"expires_at", c.expires_at}}
                 .dump(),
             "");
    return stored.id;
  }

  Result<std::vector<ConsentRecord>> ListConsents() override {
    std::vector<ConsentRecord> out;
    for (const auto& [id, c] : c_.state.consents) out.push_back(c);
    return out;
  }

  Status RevokeConsent(int64_t id, int64_t at, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.consents.find(id);
    if (it == c_.state.consents.end() || it->second.revoked_at)
      return Error::NotFound("no active consent " + std::to_string(id));
    it->second.revoked_at = at;
    c_.Audit(by, "revoke", "consent", std::to_string(id), json{{"revoked_at", nullptr}}.dump(),
             json{{"revoked_at", at}}.dump(), "");
    return Ok{};
  }

  Status AssignVerifier(const AssignmentRecord& a, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (!c_.state.units.contains(a.unit_id))
      return Error::NotFound("unit '" + a.unit_id + "' does not exist");
    bool verifier = false;
    for (const auto& [id, u] : c_.state.users)
      verifier = verifier || (u.login == a.verifier && u.role == "verifier");
    if (!verifier) return Error::InvalidInput("'" + a.verifier + "' is not a verifier");
    std::string before;
    auto key = std::pair{a.unit_id, a.year};
    if (auto it = c_.state.assignments.find(key); it != c_.state.assignments.end()) {
      if (it->second.verifier == a.verifier) return Ok{};  // already so
      before = json{{"verifier", it->second.verifier}}.dump();
    }
    c_.state.assignments[key] = a;
    c_.Audit(by, before.empty() ? "create" : "update", "assignment",
             a.unit_id + "/" + std::to_string(a.year), before,
             json{{"verifier", a.verifier}}.dump(), "");
    return Ok{};
  }

  Result<std::vector<AssignmentRecord>> ListAssignments() override {
    std::vector<AssignmentRecord> out;
    for (const auto& [key, a] : c_.state.assignments) out.push_back(a);
    return out;
  }

 private:
  Core& c_;
};

class FakeIdentity final : public IdentityRepository {
 public:
  explicit FakeIdentity(Core& c) : c_(c) {}

  Result<int64_t> CreateUser(const UserRecord& u, const Actor& by) override {
    bool clean = !u.login.empty() && u.login.size() <= 100;
    for (unsigned char ch : u.login) clean = clean && ch > 0x20 && ch != ':' && ch != 0x7f;
    if (!clean)
      return Error::InvalidInput("a login is 1 to 100 characters without spaces or ':'",
                                 {"", 0, 0, "login"});
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (FindLogin(u.login)) return Error::Conflict("a user '" + u.login + "' already exists");
    if (auto st = UnitsExist(u.units); !st.ok()) return st.error();
    UserRecord stored = u;
    stored.id = c_.state.next_user++;
    if (stored.created_at.empty()) stored.created_at = NowUtc();
    stored.units.clear();
    c_.state.users[stored.id] = stored;
    c_.Audit(by, "create", "user", u.login, "",
             json{{"login", u.login},
                  {"display_name", u.display_name},
                  {"role", u.role},
                  {"organisation", u.organisation}}
                 .dump(),
             "");
    if (!u.units.empty()) SetUnits(c_.state.users[stored.id], u.units, by);
    return stored.id;
  }

  Result<std::optional<UserRecord>> GetUser(const std::string& login) override {
    const UserRecord* u = FindLogin(login);
    return u ? std::optional<UserRecord>(*u) : std::nullopt;
  }

  Result<std::optional<UserRecord>> GetUserById(int64_t id) override {
    auto it = c_.state.users.find(id);
    if (it == c_.state.users.end()) return std::optional<UserRecord>();
    return std::optional<UserRecord>(it->second);
  }

  Status SetUserUnits(int64_t user_id, const std::vector<std::string>& units,
                      const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.users.find(user_id);
    if (it == c_.state.users.end())
      return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
    if (auto st = UnitsExist(units); !st.ok()) return st;
    SetUnits(it->second, units, by);
    return Ok{};
  }

  Result<std::vector<UserRecord>> ListUsers() override {
    std::vector<UserRecord> out;
    for (const auto& [id, u] : c_.state.users) {
      out.push_back(u);
      out.back().password_hash.clear();
    }
    std::sort(out.begin(), out.end(),
              [](const UserRecord& a, const UserRecord& b) { return a.login < b.login; });
    return out;
  }

  Status UpdateUser(const UserRecord& u, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.users.find(u.id);
    if (it == c_.state.users.end()) return Error::NotFound("user '" + u.login + "' does not exist");
    it->second.display_name = u.display_name;
    it->second.role = u.role;
    it->second.organisation = u.organisation;
    it->second.disabled = u.disabled;
    c_.Audit(by, "update", "user", it->second.login, "",
             json{{"display_name", u.display_name},
                  {"role", u.role},
                  {"organisation", u.organisation},
                  {"disabled", u.disabled}}
                 .dump(),
             "");
    return Ok{};
  }

  Status SetPasswordHash(int64_t user_id, const std::string& hash, int64_t temporary_until,
                         const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.users.find(user_id);
    if (it == c_.state.users.end())
      return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
    it->second.password_hash = hash;
    it->second.temporary_until = temporary_until;
    c_.Audit(by, "password", "user", it->second.login, "",
             json{{"temporary_until", temporary_until}}.dump(),
             temporary_until != 0 ? "temporary password set" : "password changed");
    return Ok{};
  }

  Result<SignInBackoff> GetSignInBackoff(const std::string& login,
                                         const std::string& address) override {
    auto it = c_.state.backoff.find({login, address});
    if (it == c_.state.backoff.end()) return SignInBackoff{login, address, 0, 0, 0};
    return it->second;
  }

  Status RecordSignIn(const SignInOutcome& o, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (o.success)
      c_.state.backoff.erase({o.login, o.address});
    else
      c_.state.backoff[{o.login, o.address}] = {o.login, o.address, o.failures, o.locked_until,
                                                o.at};
    std::erase_if(c_.state.backoff,
                  [&](const auto& kv) { return kv.second.updated_at < o.forget_before; });
    if (o.user_id == 0) return Ok{};
    c_.Audit(
        by, o.success ? "sign_in" : "sign_in_failed", "user", o.login, "",
        json{{"address", o.address}, {"failures", o.failures}, {"locked_until", o.locked_until}}
            .dump(),
        "");
    return Ok{};
  }

  Result<int64_t> CreateApiToken(const ApiTokenRecord& t, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    ApiTokenRecord stored = t;
    stored.id = c_.state.next_token++;
    stored.revoked_at.reset();
    c_.state.tokens[stored.id] = stored;
    c_.Audit(by, "create", "api_token", std::to_string(stored.id), "",
             json{{"user_id", t.user_id},
                  {"unit_id", t.unit_id},
                  {"scope", t.scope},
                  {"label", t.label},
                  {"expires_at", t.expires_at}}
                 .dump(),
             "");
    return stored.id;
  }

  Result<std::optional<ApiTokenRecord>> FindApiToken(const std::string& token_hash) override {
    for (const auto& [id, t] : c_.state.tokens)
      if (t.token_hash == token_hash) return std::optional<ApiTokenRecord>(t);
    return std::optional<ApiTokenRecord>();
  }

  Result<std::vector<ApiTokenRecord>> ListApiTokens(int64_t user_id) override {
    std::vector<ApiTokenRecord> out;
    for (const auto& [id, t] : c_.state.tokens)
      if (t.user_id == user_id) out.push_back(t);
    return out;
  }

  Result<std::optional<ApiTokenRecord>> GetApiToken(int64_t id) override {
    auto it = c_.state.tokens.find(id);
    if (it == c_.state.tokens.end()) return std::optional<ApiTokenRecord>();
    return std::optional<ApiTokenRecord>(it->second);
  }

  Status RevokeApiToken(int64_t id, int64_t at, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.tokens.find(id);
    if (it == c_.state.tokens.end() || it->second.revoked_at)
      return Error::NotFound("no active API token " + std::to_string(id));
    it->second.revoked_at = at;
    c_.Audit(by, "revoke", "api_token", std::to_string(id), "", "", "");
    return Ok{};
  }

  Status CreateSession(const SessionRecord& r) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (!c_.state.sessions.try_emplace(r.token_hash, r).second)
      return Error::Conflict("the session exists already");
    return Ok{};
  }

  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
    auto it = c_.state.sessions.find(token_hash);
    if (it == c_.state.sessions.end()) return std::optional<SessionRecord>();
    return std::optional<SessionRecord>(it->second);
  }

  Status DeleteSession(const std::string& token_hash) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    c_.state.sessions.erase(token_hash);
    return Ok{};
  }

  Result<int> DeleteUserSessions(int64_t user_id, const std::string& keep,
                                 const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto u = c_.state.users.find(user_id);
    if (u == c_.state.users.end())
      return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
    auto ended = std::erase_if(c_.state.sessions, [&](const auto& kv) {
      return kv.second.user_id == user_id && kv.first != keep;
    });
    c_.Audit(by, "end_sessions", "user", u->second.login, "",
             json{{"ended", ended}, {"kept_current", !keep.empty()}}.dump(), "");
    return static_cast<int>(ended);
  }

  Result<int> CountSessions(int64_t user_id, int64_t now) override {
    int n = 0;
    for (const auto& [hash, session] : c_.state.sessions)
      n += session.user_id == user_id && session.expires_at > now ? 1 : 0;
    return n;
  }

 private:
  UserRecord* FindLogin(const std::string& login) {
    for (auto& [id, u] : c_.state.users)
      if (u.login == login) return &u;
    return nullptr;
  }
  Status UnitsExist(const std::vector<std::string>& units) const {
    for (const auto& unit : units)
      if (!c_.state.units.contains(unit))
        return Error::NotFound("unit '" + unit + "' does not exist");
    return Ok{};
  }
  void SetUnits(UserRecord& u, const std::vector<std::string>& units, const Actor& by) {
    std::set<std::string> sorted(units.begin(), units.end());
    u.units.assign(sorted.begin(), sorted.end());
    c_.Audit(by, "units", "user", u.login, "", json(units).dump(), "");
  }
  Core& c_;
};

}  // namespace

std::unique_ptr<ActivitiesRepository> MakeActivities(Core& core) {
  return std::make_unique<FakeActivities>(core);
}
std::unique_ptr<InventoriesRepository> MakeInventories(Core& core) {
  return std::make_unique<FakeInventories>(core);
}
std::unique_ptr<DatasetsRepository> MakeDatasets(Core& core) {
  return std::make_unique<FakeDatasets>(core);
}
std::unique_ptr<AccessRepository> MakeAccess(Core& core) {
  return std::make_unique<FakeAccess>(core);
}
std::unique_ptr<IdentityRepository> MakeIdentity(Core& core) {
  return std::make_unique<FakeIdentity>(core);
}

}  // namespace cl::testing::fake
