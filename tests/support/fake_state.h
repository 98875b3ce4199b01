// Inside the FakeStore (fake_store.h), shared by its two source files: the
// state of plain containers, its transaction copy, and the audit chain, with
// the SQL store's payloads and hash rules (src/store/sql_session.h) so that
// entries read alike and VerifyAudit checks the same chain. Not for tests.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/timestamp.h"
#include "model/figures.h"
#include "store/audit_payload.h"
#include "store/store.h"

namespace cl::testing::fake {

using json = nlohmann::ordered_json;

// UnitJson, ..., Sha256Hex, AuditPayload: store/audit_payload.h (the SQL store's own).

using ChunkKey = std::tuple<int64_t, int64_t, int32_t>;  // unit_no, meter_no, day or month

// Everything the store keeps. Copyable: a transaction is a copy of it.
struct State {
  std::map<std::string, UnitRecord> units;
  std::map<std::string, int64_t> unit_nos;
  int64_t next_unit_no = 1;
  std::map<std::pair<std::string, std::string>, SiteRecord> sites;  // (unit, site)
  std::map<std::string, MeterRecord> meters;
  int64_t next_meter_no = 1;
  std::map<int64_t, BatchRecord> batches;
  int64_t next_batch = 1;
  std::map<int64_t, std::vector<RejectRecord>> rejects;
  std::map<std::string, std::pair<std::string, std::string>> profiles;  // name -> kind, text
  std::map<ChunkKey, StoredChunk> chunks;
  std::map<ChunkKey, MonthTotal> months;
  std::vector<RevisionRecord> revisions;
  std::vector<FlagRecord> flags;
  std::map<int64_t, ActivityRow> activities;
  int64_t next_activity = 1;
  std::map<int64_t, InventoryRecord> inventories;
  int64_t next_inventory = 1;
  std::vector<ReviewRecord> reviews;
  std::map<int64_t, ReviewReport> review_reports;
  std::map<std::pair<std::string, std::string>, DatasetVersionRecord> datasets;
  std::map<int64_t, ConsentRecord> consents;
  int64_t next_consent = 1;
  std::map<std::pair<std::string, int>, AssignmentRecord> assignments;
  std::map<int64_t, UserRecord> users;
  int64_t next_user = 1;
  std::map<int64_t, ApiTokenRecord> tokens;
  int64_t next_token = 1;
  std::map<std::string, SessionRecord> sessions;
  std::map<std::pair<std::string, std::string>, SignInBackoff> backoff;  // (login, address)
  std::vector<AuditEntry> audit;
  std::map<int64_t, InventoryFigures> figures;  // inventory id -> its figures
};

// The state and its transaction, shared by the repositories of one store.
struct Core {
  State state;
  std::optional<State> snapshot;  // the state at Begin, while a transaction is open
  bool in_read = false;

  Status Writable() const {
    if (in_read) return Error(ErrorKind::kInternal, "a write inside a read-only transaction");
    return Ok{};
  }

  void Audit(const Actor& by, std::string action, std::string entity, std::string id,
             std::string before, std::string after, std::string reason) {
    AuditEntry e;
    e.actor = by.user;
    e.origin = by.origin;
    e.action = std::move(action);
    e.entity = std::move(entity);
    e.entity_id = std::move(id);
    e.before = std::move(before);
    e.after = std::move(after);
    e.reason = std::move(reason);
    Append(std::move(e));
  }

  void Append(AuditEntry e) {
    e.seq = state.audit.empty() ? 1 : state.audit.back().seq + 1;
    e.prev_hash = state.audit.empty() ? "" : state.audit.back().hash;
    if (e.at.empty()) e.at = NowUtc();
    e.hash = Sha256Hex(AuditPayload(e));
    state.audit.push_back(std::move(e));
  }

  Result<int64_t> UnitNo(const std::string& id) const {
    auto it = state.unit_nos.find(id);
    if (it == state.unit_nos.end()) return Error::NotFound("unit '" + id + "' does not exist");
    return it->second;
  }
};

// The repositories of fake_records.cpp.
std::unique_ptr<ActivitiesRepository> MakeActivities(Core& core);
std::unique_ptr<InventoriesRepository> MakeInventories(Core& core);
std::unique_ptr<DatasetsRepository> MakeDatasets(Core& core);
std::unique_ptr<AccessRepository> MakeAccess(Core& core);
std::unique_ptr<IdentityRepository> MakeIdentity(Core& core);

}  // namespace cl::testing::fake
