// The one storage interface. Implementations: SQLite (embedded default, one
// file, WAL) and PostgreSQL (libpq); both run the same numbered migrations in
// their dialect and pass the same conformance suite (tests/store).
//
// Writes happen inside a transaction (Begin ... Commit); a batch of readings
// is one transaction, so it is stored whole or not at all. Every change to a
// unit, site, meter, activity, inventory or batch appends a hash-chained audit
// entry in the same transaction.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/records.h"

namespace cl {

enum class WriteOutcome { kInserted, kUnchanged, kUpdated };

struct AuditCheck {
  int64_t entries = 0;
  std::vector<std::string> problems;  // empty when the chain is intact
};

// Totals of one chunk without its readings (for roll-ups).
struct ChunkTotal {
  int64_t meter_no = 0;
  int32_t chunk_day = 0;
  int32_t count = 0;
  double total = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual std::string Kind() const = 0;  // "sqlite" or "postgres"
  virtual Result<int> SchemaVersion() = 0;

  // Transactions. Begin takes the write lock; Commit makes everything since
  // Begin durable at once; Rollback discards it.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
  // A read-only transaction: the reads until Rollback see one snapshot of the
  // store (one lock on SQLite instead of one per statement; REPEATABLE READ on
  // PostgreSQL). Begin is refused while it is open.
  virtual Status BeginRead() = 0;

  // Reporting units, sites, meters. Put inserts or updates and audits a
  // change; an identical record is kUnchanged and writes nothing.
  virtual Result<WriteOutcome> PutUnit(const UnitRecord& unit, const Actor& by) = 0;
  virtual Result<std::vector<UnitRecord>> ListUnits() = 0;
  virtual Result<std::optional<UnitRecord>> GetUnit(const std::string& id) = 0;
  virtual Result<WriteOutcome> PutSite(const SiteRecord& site, const Actor& by) = 0;
  virtual Result<std::vector<SiteRecord>> ListSites() = 0;
  // A meter's unit and site must exist; interval and kind cannot change once
  // readings are stored.
  virtual Result<WriteOutcome> PutMeter(const MeterRecord& meter, const Actor& by) = 0;
  virtual Result<std::vector<MeterRecord>> ListMeters() = 0;
  virtual Result<std::optional<MeterRecord>> GetMeter(const std::string& id) = 0;

  // Import batches and their rejected rows.
  virtual Result<int64_t> CreateBatch(BatchRecord batch, const Actor& by) = 0;
  virtual Status FinishBatch(const BatchRecord& batch, const Actor& by) = 0;
  virtual Result<std::optional<BatchRecord>> GetBatch(int64_t id) = 0;
  virtual Result<std::vector<BatchRecord>> ListBatches() = 0;
  virtual Status AddRejects(const std::vector<RejectRecord>& rejects) = 0;
  virtual Result<std::vector<RejectRecord>> ListRejects(int64_t batch_id) = 0;

  // Reading chunks.
  virtual Result<std::optional<StoredChunk>> GetChunk(int64_t unit_no, int64_t meter_no,
                                                      int32_t chunk_day) = 0;
  virtual Status PutChunk(const StoredChunk& chunk) = 0;
  // The first and last chunk_day stored for a meter (nothing when it has none);
  // lets an import skip looking up chunks that cannot exist.
  virtual Result<std::optional<std::pair<int32_t, int32_t>>> ChunkRange(int64_t unit_no,
                                                                        int64_t meter_no) = 0;
  // Chunks of one meter with from_day <= chunk_day <= to_day, in day order.
  virtual Status ScanChunks(int64_t unit_no, int64_t meter_no, int32_t from_day, int32_t to_day,
                            const std::function<void(const StoredChunk&)>& f) = 0;
  // Totals of every chunk with from_day <= chunk_day <= to_day, ordered by
  // meter then day.
  virtual Status ScanTotals(int32_t from_day, int32_t to_day,
                            const std::function<void(const ChunkTotal&)>& f) = 0;

  // Consumption per meter and local month (year * 12 + month - 1), kept
  // beside the chunks by the importer in the same transaction, so that
  // monthly and yearly roll-ups read one row per meter-month. Deltas add to
  // what is stored.
  struct MonthTotal {
    int64_t unit_no = 0;
    int64_t meter_no = 0;
    int32_t month = 0;
    int64_t count = 0;
    double total = 0;
  };
  virtual Status AddMonthTotals(const std::vector<MonthTotal>& deltas) = 0;
  // Month totals with from_month <= month <= to_month, by meter then month.
  virtual Status ScanMonthTotals(int32_t from_month, int32_t to_month,
                                 const std::function<void(const MonthTotal&)>& f) = 0;

  // History of replaced readings; data-quality findings.
  virtual Status AddRevisions(const std::vector<RevisionRecord>& revisions) = 0;
  virtual Result<std::vector<RevisionRecord>> ListRevisions(int64_t meter_no) = 0;
  // Replaces the chunk-level findings (slot -1 and the given kinds) of one
  // chunk; row-level findings are appended with AddFlags.
  virtual Status ReplaceChunkFlags(int64_t meter_no, int32_t chunk_day,
                                   const std::vector<std::string>& kinds,
                                   const std::vector<FlagRecord>& flags) = 0;
  virtual Status AddFlags(const std::vector<FlagRecord>& flags) = 0;
  virtual Result<std::vector<FlagRecord>> ListFlags(int64_t meter_no, int32_t from_day,
                                                    int32_t to_day) = 0;
  // The days of one meter that carry a finding of `kind`.
  virtual Result<std::vector<int32_t>> FlagDays(int64_t meter_no, const std::string& kind) = 0;

  // Activity records (bills, manual entries): a row with a known key and the
  // same content is kUnchanged; with another quantity, kUpdated (audited).
  virtual Result<WriteOutcome> PutActivity(ActivityRow row, const Actor& by) = 0;
  virtual Result<std::vector<ActivityRow>> ListActivities(const std::string& unit_id) = 0;

  // Inventories. A submitted inventory is never changed in place (the schema
  // refuses it); a correction is a new version that supersedes it.
  virtual Result<int64_t> CreateInventory(InventoryRecord inventory, const Actor& by) = 0;
  virtual Result<std::optional<InventoryRecord>> GetInventory(int64_t id) = 0;
  // The same without its document (left empty): what deciding who may see
  // it needs, without reading the largest column.
  virtual Result<std::optional<InventoryRecord>> GetInventoryHead(int64_t id) = 0;
  virtual Result<std::vector<InventoryRecord>> ListInventories(const std::string& unit_id) = 0;
  // One step of the workflow (InventoryTransitionAllowed), audited with the
  // reason; verified and returned also record the review's opinion.
  virtual Status SetInventoryStatus(int64_t id, InventoryStatus to, const Actor& by,
                                    const std::string& reason) = 0;
  virtual Result<std::vector<ReviewRecord>> ListReviews(int64_t inventory_id) = 0;
  // Inventories without their documents (id, unit, year, status, versions).
  virtual Result<std::vector<InventoryRecord>> ListInventorySummaries() = 0;

  // Reference dataset versions published through the API: added once, never
  // changed (kConflict when the version exists), audited.
  virtual Status AddDatasetVersion(const DatasetVersionRecord& record, const Actor& by) = 0;
  virtual Result<std::vector<DatasetVersionRecord>> ListDatasetVersions() = 0;

  // Bank consents and verifier assignments (docs/roles.md), audited.
  virtual Result<int64_t> CreateConsent(const ConsentRecord& consent, const Actor& by) = 0;
  virtual Result<std::vector<ConsentRecord>> ListConsents() = 0;
  virtual Status RevokeConsent(int64_t id, int64_t at, const Actor& by) = 0;
  virtual Status AssignVerifier(const AssignmentRecord& assignment, const Actor& by) = 0;
  virtual Result<std::vector<AssignmentRecord>> ListAssignments() = 0;

  // Named column mappings for imports (JSON text), audited.
  virtual Status PutMappingProfile(const std::string& name, const std::string& kind,
                                   const std::string& definition, const Actor& by) = 0;
  virtual Result<std::optional<std::string>> GetMappingProfile(const std::string& name,
                                                               const std::string& kind) = 0;

  // Users, their units, API tokens and sessions (docs/roles.md). Creating a
  // user, changing its units, issuing and revoking a token are audited (never
  // with a secret); sign-in results update the user's back-off counters.
  virtual Result<int64_t> CreateUser(const UserRecord& user, const Actor& by) = 0;
  virtual Result<std::optional<UserRecord>> GetUser(const std::string& login) = 0;
  virtual Result<std::optional<UserRecord>> GetUserById(int64_t id) = 0;
  virtual Status SetUserUnits(int64_t user_id, const std::vector<std::string>& units,
                              const Actor& by) = 0;
  virtual Status SetPasswordHash(int64_t user_id, const std::string& hash, const Actor& by) = 0;
  virtual Status RecordSignIn(int64_t user_id, bool success, int failed_logins,
                              int64_t locked_until, const Actor& by) = 0;
  virtual Result<int64_t> CreateApiToken(const ApiTokenRecord& token, const Actor& by) = 0;
  virtual Result<std::optional<ApiTokenRecord>> FindApiToken(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiTokenRecord>> ListApiTokens(int64_t user_id) = 0;
  virtual Result<std::optional<ApiTokenRecord>> GetApiToken(int64_t id) = 0;
  virtual Status RevokeApiToken(int64_t id, int64_t at, const Actor& by) = 0;
  virtual Status CreateSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // The audit log: append-only, each entry chained to the previous by hash.
  virtual Status AppendAudit(AuditEntry entry) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int limit) = 0;
  virtual Result<AuditCheck> VerifyAudit() = 0;
};

// How one connection is opened.
struct StoreOptions {
  // SQLite's page cache per connection. A bulk import gains from a large
  // one; a server with a connection per request in flight keeps it small
  // (reads go through the memory-mapped file anyway).
  int sqlite_cache_mib = 64;
};

// "postgresql://...", "postgres://..." or "host=... dbname=..." open
// PostgreSQL; anything else is a SQLite file path (created when missing).
Result<std::unique_ptr<Store>> OpenStore(const std::string& target,
                                         const StoreOptions& options = {});
bool IsPostgresTarget(const std::string& target);

// The store a command uses when --store is not given: carbonledger.db in
// CARBONLEDGER_HOME, or in the current directory.
std::string DefaultStoreTarget();

// UTC now as "2026-11-28T23:54:33Z".
std::string NowUtc();

}  // namespace cl
