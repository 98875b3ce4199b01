// The fault-injecting Store: one forwarding decorator per repository, each
// call passing through Connection::Read or Connection::Write.
#include "failing_store.h"

#include <utility>

namespace cl::testing {

void FaultPlan::Arm(int n, Mode mode) {
  std::lock_guard lock(mu_);
  fail_at_ = n;
  mode_ = mode;
  writes_ = 0;
  fired_ = false;
  ++episode_;
}

int FaultPlan::episode() const {
  std::lock_guard lock(mu_);
  return episode_;
}

int FaultPlan::writes() const {
  std::lock_guard lock(mu_);
  return writes_;
}

bool FaultPlan::fired() const {
  std::lock_guard lock(mu_);
  return fired_;
}

bool FaultPlan::CountWrite(Mode* mode) {
  std::lock_guard lock(mu_);
  ++writes_;
  if (fail_at_ == 0 || writes_ != fail_at_) return false;
  fired_ = true;
  *mode = mode_;
  return true;
}

Error StoreUnavailable(const std::string& what) { return Error::Io("store unavailable: " + what); }

namespace {

// The real store and its fault state, shared by the decorators.
class Connection {
 public:
  Connection(Store& real, std::unique_ptr<Store> owned, std::shared_ptr<FaultPlan> plan)
      : real_(&real), owned_(std::move(owned)), plan_(std::move(plan)) {}

  Store& real() const { return *real_; }

  Status Read() {
    if (Dropped()) return StoreUnavailable("the connection was dropped");
    return Ok{};
  }

  Status Write(const char* what) {
    if (Dropped()) return StoreUnavailable("the connection was dropped");
    FaultPlan::Mode mode{};
    if (!plan_->CountWrite(&mode)) return Ok{};
    if (mode == FaultPlan::Mode::kDropConnection) {
      dropped_ = true;
      dropped_in_ = plan_->episode();
      real_->Rollback();  // the server ends the dropped session's transaction
      return StoreUnavailable(std::string("the connection dropped during ") + what);
    }
    return StoreUnavailable(std::string("injected failure of ") + what);
  }

  // Runs a read on the real store unless the connection is gone.
  template <typename F>
  auto R(F&& f) -> decltype(f()) {
    if (auto st = Read(); !st.ok()) return st.error();
    return f();
  }
  // Runs a write on the real store unless it is the one to fail.
  template <typename F>
  auto W(const char* what, F&& f) -> decltype(f()) {
    if (auto st = Write(what); !st.ok()) return st.error();
    return f();
  }

  // Whether the connection is gone: dropped in the plan's current episode.
  bool Dropped() {
    if (dropped_ && dropped_in_ != plan_->episode()) dropped_ = false;  // reconnected
    return dropped_;
  }

 private:
  Store* real_;
  std::unique_ptr<Store> owned_;  // real_, when this connection owns it
  std::shared_ptr<FaultPlan> plan_;
  bool dropped_ = false;
  int dropped_in_ = 0;
};

class Registry final : public RegistryRepository {
 public:
  explicit Registry(Connection& c) : c_(c) {}
  Result<WriteOutcome> PutUnit(const UnitRecord& u, const Actor& by) override {
    return c_.W("PutUnit", [&] { return r().PutUnit(u, by); });
  }
  Result<std::vector<UnitRecord>> ListUnits() override {
    return c_.R([&] { return r().ListUnits(); });
  }
  Result<std::optional<UnitRecord>> GetUnit(const std::string& id) override {
    return c_.R([&] { return r().GetUnit(id); });
  }
  Result<WriteOutcome> PutSite(const SiteRecord& s, const Actor& by) override {
    return c_.W("PutSite", [&] { return r().PutSite(s, by); });
  }
  Result<std::vector<SiteRecord>> ListSites() override {
    return c_.R([&] { return r().ListSites(); });
  }
  Result<WriteOutcome> PutMeter(const MeterRecord& m, const Actor& by) override {
    return c_.W("PutMeter", [&] { return r().PutMeter(m, by); });
  }
  Result<std::vector<MeterRecord>> ListMeters() override {
    return c_.R([&] { return r().ListMeters(); });
  }
  Result<std::optional<MeterRecord>> GetMeter(const std::string& id) override {
    return c_.R([&] { return r().GetMeter(id); });
  }

 private:
  RegistryRepository& r() { return c_.real().Registry(); }
  Connection& c_;
};

class Imports final : public ImportsRepository {
 public:
  explicit Imports(Connection& c) : c_(c) {}
  Result<int64_t> CreateBatch(BatchRecord b, const Actor& by) override {
    return c_.W("CreateBatch", [&] { return r().CreateBatch(std::move(b), by); });
  }
  Status FinishBatch(const BatchRecord& b, const Actor& by) override {
    return c_.W("FinishBatch", [&] { return r().FinishBatch(b, by); });
  }
  Result<std::optional<BatchRecord>> GetBatch(int64_t id) override {
    return c_.R([&] { return r().GetBatch(id); });
  }
  Result<std::vector<BatchRecord>> ListBatches() override {
    return c_.R([&] { return r().ListBatches(); });
  }
  Status AddRejects(const std::vector<RejectRecord>& rejects) override {
    return c_.W("AddRejects", [&] { return r().AddRejects(rejects); });
  }
  Result<std::vector<RejectRecord>> ListRejectsPage(int64_t batch_id, int64_t offset,
                                                    int limit) override {
    return c_.R([&] { return r().ListRejectsPage(batch_id, offset, limit); });
  }
  Result<std::vector<RejectRecord>> ListRejects(int64_t batch_id) override {
    return c_.R([&] { return r().ListRejects(batch_id); });
  }
  Status PutMappingProfile(const std::string& name, const std::string& kind,
                           const std::string& definition, const Actor& by) override {
    return c_.W("PutMappingProfile",
                [&] { return r().PutMappingProfile(name, kind, definition, by); });
  }
  Result<std::optional<std::string>> GetMappingProfile(const std::string& name,
                                                       const std::string& kind) override {
    return c_.R([&] { return r().GetMappingProfile(name, kind); });
  }

 private:
  ImportsRepository& r() { return c_.real().Imports(); }
  Connection& c_;
};

class Readings final : public ReadingsRepository {
 public:
  explicit Readings(Connection& c) : c_(c) {}
  Result<std::optional<StoredChunk>> GetChunk(int64_t unit_no, int64_t meter_no,
                                              int32_t day) override {
    return c_.R([&] { return r().GetChunk(unit_no, meter_no, day); });
  }
  Status PutChunk(const StoredChunk& chunk) override {
    return c_.W("PutChunk", [&] { return r().PutChunk(chunk); });
  }
  Result<std::optional<std::pair<int32_t, int32_t>>> ChunkRange(int64_t unit_no,
                                                                int64_t meter_no) override {
    return c_.R([&] { return r().ChunkRange(unit_no, meter_no); });
  }
  Status ScanChunks(int64_t unit_no, int64_t meter_no, int32_t from, int32_t to,
                    const std::function<void(const StoredChunk&)>& f) override {
    return c_.R([&] { return r().ScanChunks(unit_no, meter_no, from, to, f); });
  }
  Status ScanTotals(int32_t from, int32_t to,
                    const std::function<void(const ChunkTotal&)>& f) override {
    return c_.R([&] { return r().ScanTotals(from, to, f); });
  }
  Status AddMonthTotals(const std::vector<MonthTotal>& deltas) override {
    return c_.W("AddMonthTotals", [&] { return r().AddMonthTotals(deltas); });
  }
  Status SetMonthTotals(const std::vector<MonthTotal>& totals) override {
    return c_.W("SetMonthTotals", [&] { return r().SetMonthTotals(totals); });
  }
  Status ScanMonthTotals(int32_t from, int32_t to,
                         const std::function<void(const MonthTotal&)>& f) override {
    return c_.R([&] { return r().ScanMonthTotals(from, to, f); });
  }
  Status AddRevisions(const std::vector<RevisionRecord>& revisions) override {
    return c_.W("AddRevisions", [&] { return r().AddRevisions(revisions); });
  }
  Result<std::vector<RevisionRecord>> ListRevisions(int64_t meter_no) override {
    return c_.R([&] { return r().ListRevisions(meter_no); });
  }
  Status ReplaceChunkFlags(int64_t meter_no, int32_t day, const std::vector<std::string>& kinds,
                           const std::vector<FlagRecord>& flags) override {
    return c_.W("ReplaceChunkFlags",
                [&] { return r().ReplaceChunkFlags(meter_no, day, kinds, flags); });
  }
  Status AddFlags(const std::vector<FlagRecord>& flags) override {
    return c_.W("AddFlags", [&] { return r().AddFlags(flags); });
  }
  Result<std::vector<FlagRecord>> ListFlags(int64_t meter_no, int32_t from, int32_t to) override {
    return c_.R([&] { return r().ListFlags(meter_no, from, to); });
  }
  Result<std::vector<int32_t>> FlagDays(int64_t meter_no, const std::string& kind) override {
    return c_.R([&] { return r().FlagDays(meter_no, kind); });
  }

 private:
  ReadingsRepository& r() { return c_.real().Readings(); }
  Connection& c_;
};

class Activities final : public ActivitiesRepository {
 public:
  explicit Activities(Connection& c) : c_(c) {}
  Result<WriteOutcome> PutActivity(ActivityRow row, const Actor& by) override {
    return c_.W("PutActivity", [&] { return r().PutActivity(std::move(row), by); });
  }
  Result<std::vector<ActivityRow>> ListActivities(const std::string& unit_id) override {
    return c_.R([&] { return r().ListActivities(unit_id); });
  }

 private:
  ActivitiesRepository& r() { return c_.real().Activities(); }
  Connection& c_;
};

class Inventories final : public InventoriesRepository {
 public:
  explicit Inventories(Connection& c) : c_(c) {}
  Result<int64_t> CreateInventory(InventoryRecord inv, const Actor& by) override {
    return c_.W("CreateInventory", [&] { return r().CreateInventory(std::move(inv), by); });
  }
  Result<std::optional<InventoryRecord>> GetInventory(int64_t id) override {
    return c_.R([&] { return r().GetInventory(id); });
  }
  Result<std::optional<InventoryRecord>> GetInventoryHead(int64_t id) override {
    return c_.R([&] { return r().GetInventoryHead(id); });
  }
  Result<std::vector<InventoryRecord>> ListInventories(const std::string& unit_id) override {
    return c_.R([&] { return r().ListInventories(unit_id); });
  }
  using InventoriesRepository::SetInventoryStatus;
  Status SetInventoryStatus(int64_t id, InventoryStatus to, const Actor& by,
                            const std::string& reason, const ReviewDetails& review) override {
    return c_.W("SetInventoryStatus",
                [&] { return r().SetInventoryStatus(id, to, by, reason, review); });
  }
  Result<std::vector<ReviewRecord>> ListReviews(int64_t inventory_id) override {
    return c_.R([&] { return r().ListReviews(inventory_id); });
  }
  Status PutReviewReport(const ReviewReport& report, const Actor& by) override {
    return c_.W("PutReviewReport", [&] { return r().PutReviewReport(report, by); });
  }
  Result<std::optional<ReviewReport>> GetReviewReport(int64_t inventory_id,
                                                      bool with_body) override {
    return c_.R([&] { return r().GetReviewReport(inventory_id, with_body); });
  }
  Result<std::vector<InventoryRecord>> ListInventorySummaries() override {
    return c_.R([&] { return r().ListInventorySummaries(); });
  }

 private:
  InventoriesRepository& r() { return c_.real().Inventories(); }
  Connection& c_;
};

class Datasets final : public DatasetsRepository {
 public:
  explicit Datasets(Connection& c) : c_(c) {}
  Status AddDatasetVersion(const DatasetVersionRecord& record, const Actor& by) override {
    return c_.W("AddDatasetVersion", [&] { return r().AddDatasetVersion(record, by); });
  }
  Result<std::vector<DatasetVersionRecord>> ListDatasetVersions() override {
    return c_.R([&] { return r().ListDatasetVersions(); });
  }

 private:
  DatasetsRepository& r() { return c_.real().Datasets(); }
  Connection& c_;
};

class Figures final : public FiguresRepository {
 public:
  explicit Figures(Connection& c) : c_(c) {}
  Status PutFigures(int64_t inventory_id, const InventoryFigures& figures) override {
    return c_.W("PutFigures", [&] { return r().PutFigures(inventory_id, figures); });
  }
  Result<std::optional<InventoryFigures>> GetFigures(int64_t inventory_id) override {
    return c_.R([&] { return r().GetFigures(inventory_id); });
  }
  Result<std::vector<InventoryFigures>> ListFigures(int year,
                                                    const std::string& methodology) override {
    return c_.R([&] { return r().ListFigures(year, methodology); });
  }

 private:
  FiguresRepository& r() { return c_.real().Figures(); }
  Connection& c_;
};

class Access final : public AccessRepository {
 public:
  explicit Access(Connection& c) : c_(c) {}
  Result<int64_t> CreateConsent(const ConsentRecord& consent, const Actor& by) override {
    return c_.W("CreateConsent", [&] { return r().CreateConsent(consent, by); });
  }
  Result<std::vector<ConsentRecord>> ListConsents() override {
    return c_.R([&] { return r().ListConsents(); });
  }
  Status RevokeConsent(int64_t id, int64_t at, const Actor& by) override {
    return c_.W("RevokeConsent", [&] { return r().RevokeConsent(id, at, by); });
  }
  Status AssignVerifier(const AssignmentRecord& assignment, const Actor& by) override {
    return c_.W("AssignVerifier", [&] { return r().AssignVerifier(assignment, by); });
  }
  Result<std::vector<AssignmentRecord>> ListAssignments() override {
    return c_.R([&] { return r().ListAssignments(); });
  }

 private:
  AccessRepository& r() { return c_.real().Access(); }
  Connection& c_;
};

class Identity final : public IdentityRepository {
 public:
  explicit Identity(Connection& c) : c_(c) {}
  Result<int64_t> CreateUser(const UserRecord& user, const Actor& by) override {
    return c_.W("CreateUser", [&] { return r().CreateUser(user, by); });
  }
  Result<std::optional<UserRecord>> GetUser(const std::string& login) override {
    return c_.R([&] { return r().GetUser(login); });
  }
  Result<std::optional<UserRecord>> GetUserById(int64_t id) override {
    return c_.R([&] { return r().GetUserById(id); });
  }
  Status SetUserUnits(int64_t user_id, const std::vector<std::string>& units,
                      const Actor& by) override {
    return c_.W("SetUserUnits", [&] { return r().SetUserUnits(user_id, units, by); });
  }
  Result<std::vector<UserRecord>> ListUsers() override {
    return c_.R([&] { return r().ListUsers(); });
  }
  Status UpdateUser(const UserRecord& user, const Actor& by) override {
    return c_.W("UpdateUser", [&] { return r().UpdateUser(user, by); });
  }
  Status SetPasswordHash(int64_t user_id, const std::string& hash, int64_t temporary_until,
                         const Actor& by) override {
    return c_.W("SetPasswordHash",
                [&] { return r().SetPasswordHash(user_id, hash, temporary_until, by); });
  }
  Result<SignInBackoff> GetSignInBackoff(const std::string& login,
                                         const std::string& address) override {
    return c_.R([&] { return r().GetSignInBackoff(login, address); });
  }
  Status RecordSignIn(const SignInOutcome& outcome, const Actor& by) override {
    return c_.W("RecordSignIn", [&] { return r().RecordSignIn(outcome, by); });
  }
  Result<int64_t> CreateApiToken(const ApiTokenRecord& token, const Actor& by) override {
    return c_.W("CreateApiToken", [&] { return r().CreateApiToken(token, by); });
  }
  Result<std::optional<ApiTokenRecord>> FindApiToken(const std::string& token_hash) override {
    return c_.R([&] { return r().FindApiToken(token_hash); });
  }
  Result<std::vector<ApiTokenRecord>> ListApiTokens(int64_t user_id) override {
    return c_.R([&] { return r().ListApiTokens(user_id); });
  }
  Result<std::optional<ApiTokenRecord>> GetApiToken(int64_t id) override {
    return c_.R([&] { return r().GetApiToken(id); });
  }
  Status RevokeApiToken(int64_t id, int64_t at, const Actor& by) override {
    return c_.W("RevokeApiToken", [&] { return r().RevokeApiToken(id, at, by); });
  }
  Status CreateSession(const SessionRecord& session) override {
    return c_.W("CreateSession", [&] { return r().CreateSession(session); });
  }
  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
    return c_.R([&] { return r().FindSession(token_hash); });
  }
  Status DeleteSession(const std::string& token_hash) override {
    return c_.W("DeleteSession", [&] { return r().DeleteSession(token_hash); });
  }
  Result<int> DeleteUserSessions(int64_t user_id, const std::string& keep,
                                 const Actor& by) override {
    return c_.W("DeleteUserSessions", [&] { return r().DeleteUserSessions(user_id, keep, by); });
  }
  Result<int> CountSessions(int64_t user_id, int64_t now) override {
    return c_.R([&] { return r().CountSessions(user_id, now); });
  }

 private:
  IdentityRepository& r() { return c_.real().Identity(); }
  Connection& c_;
};

class Audit final : public AuditRepository {
 public:
  explicit Audit(Connection& c) : c_(c) {}
  Status AppendAudit(AuditEntry entry) override {
    return c_.W("AppendAudit", [&] { return r().AppendAudit(std::move(entry)); });
  }
  Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int limit) override {
    return c_.R([&] { return r().ListAudit(after_seq, limit); });
  }
  Result<std::vector<AuditEntry>> ListAuditOf(const std::string& action, const std::string& entity,
                                              const std::string& entity_id) override {
    return c_.R([&] { return r().ListAuditOf(action, entity, entity_id); });
  }
  Result<AuditCheck> VerifyAudit() override {
    return c_.R([&] { return r().VerifyAudit(); });
  }
  Result<AuditPosition> Head() override {
    return c_.R([&] { return r().Head(); });
  }

 private:
  AuditRepository& r() { return c_.real().Audit(); }
  Connection& c_;
};

class FailingStore final : public Store {
 public:
  FailingStore(Store& real, std::unique_ptr<Store> owned, std::shared_ptr<FaultPlan> plan)
      : c_(real, std::move(owned), std::move(plan)),
        registry_(c_),
        imports_(c_),
        readings_(c_),
        activities_(c_),
        inventories_(c_),
        datasets_(c_),
        access_(c_),
        identity_(c_),
        audit_(c_),
        figures_(c_) {}

  std::string Kind() const override { return c_.real().Kind(); }
  Result<int> SchemaVersion() override {
    return c_.R([&] { return c_.real().SchemaVersion(); });
  }
  Status Begin() override {
    return c_.R([&] { return c_.real().Begin(); });
  }
  // A write: the Nth may fail; a dropped connection never commits. As the
  // SQL store does, a failed Commit leaves no transaction open.
  Status Commit() override {
    if (auto st = c_.Write("Commit"); !st.ok()) {
      if (!c_.Dropped()) c_.real().Rollback();
      return st;
    }
    return c_.real().Commit();
  }
  void Rollback() override {
    if (!c_.Dropped()) c_.real().Rollback();
  }
  Status BeginRead() override {
    return c_.R([&] { return c_.real().BeginRead(); });
  }

  RegistryRepository& Registry() override { return registry_; }
  ImportsRepository& Imports() override { return imports_; }
  ReadingsRepository& Readings() override { return readings_; }
  ActivitiesRepository& Activities() override { return activities_; }
  InventoriesRepository& Inventories() override { return inventories_; }
  DatasetsRepository& Datasets() override { return datasets_; }
  AccessRepository& Access() override { return access_; }
  IdentityRepository& Identity() override { return identity_; }
  AuditRepository& Audit() override { return audit_; }
  FiguresRepository& Figures() override { return figures_; }

 private:
  Connection c_;
  class Registry registry_;
  class Imports imports_;
  class Readings readings_;
  class Activities activities_;
  class Inventories inventories_;
  class Datasets datasets_;
  class Access access_;
  class Identity identity_;
  class Audit audit_;
  class Figures figures_;
};

}  // namespace

std::unique_ptr<Store> MakeFailingStore(std::unique_ptr<Store> real,
                                        std::shared_ptr<FaultPlan> plan) {
  Store& ref = *real;
  return std::make_unique<FailingStore>(ref, std::move(real), std::move(plan));
}

std::unique_ptr<Store> MakeFailingStore(Store& real, std::shared_ptr<FaultPlan> plan) {
  return std::make_unique<FailingStore>(real, nullptr, std::move(plan));
}

}  // namespace cl::testing
