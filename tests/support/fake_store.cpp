// The in-memory Store: one State of plain containers, copied on Begin.
// Every write validates first and changes the state only once nothing can
// fail, so a refused write leaves nothing behind (as the SQL store's own
// one-write transactions do).
#include "fake_store.h"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "core/timestamp.h"

namespace cl::testing {
namespace {

using json = nlohmann::ordered_json;

// The SQL store's schema version (src/store/migrations.cpp), so that code
// checking it sees the same number.
constexpr int kSchemaVersion = 7;

// The audit payloads and hash rules of the SQL store (src/store/sql_session.h):
// the same JSON for before/after, the same length-prefixed payload under
// SHA-256, so that entries read alike and VerifyAudit checks the same chain.
json UnitJson(const UnitRecord& u) {
  return {{"id", u.id},
          {"credit_code", u.credit_code},
          {"name_zh", u.name_zh},
          {"name_en", u.name_en},
          {"province", u.province},
          {"city", u.city},
          {"district", u.district},
          {"industry_code", u.industry_code}};
}
json SiteJson(const SiteRecord& s) {
  return {{"id", s.id},
          {"unit_id", s.unit_id},
          {"name", s.name},
          {"district", s.district},
          {"time_zone", s.time_zone}};
}
json MeterJson(const MeterRecord& m) {
  json j = {{"id", m.id},
            {"unit_id", m.unit_id},
            {"site_id", m.site_id},
            {"carrier", m.carrier},
            {"unit_of_measure", m.unit_of_measure},
            {"interval", MeterIntervalName(m.interval)},
            {"kind", MeterKindName(m.kind)},
            {"multiplier", m.multiplier},
            {"time_zone", m.time_zone}};
  if (m.rollover) j["rollover"] = *m.rollover;
  return j;
}
json ActivityJson(const ActivityRow& a) {
  json j = {{"unit_id", a.unit_id},
            {"site_id", a.site_id},
            {"meter_id", a.meter_id},
            {"activity", a.activity},
            {"quantity", a.quantity},
            {"unit_of_measure", a.unit_of_measure},
            {"period_start", a.period_start},
            {"period_end", a.period_end},
            {"data_source", a.data_source},
            {"source_file", a.source_file},
            {"line", a.line},
            {"batch_id", a.batch_id}};
  if (a.factor) j["factor"] = *a.factor;
  return j;
}
json BatchJson(const BatchRecord& b) {
  return {{"kind", BatchKindName(b.kind)}, {"source", b.source},       {"rows", b.rows},
          {"accepted", b.accepted},        {"unchanged", b.unchanged}, {"revised", b.revised},
          {"rejected", b.rejected},        {"flagged", b.flagged}};
}

std::string Sha256Hex(const std::string& text) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : out) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

std::string AuditPayload(const AuditEntry& e) {
  std::string p;
  for (const std::string* f : {&e.prev_hash, &e.at, &e.actor, &e.origin, &e.action, &e.entity,
                               &e.entity_id, &e.before, &e.after, &e.reason}) {
    p += std::to_string(f->size());
    p += ':';
    p += *f;
  }
  return std::to_string(e.seq) + '|' + p;
}

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
  std::map<std::pair<std::string, std::string>, DatasetVersionRecord> datasets;
  std::map<int64_t, ConsentRecord> consents;
  int64_t next_consent = 1;
  std::map<std::pair<std::string, int>, AssignmentRecord> assignments;
  std::map<int64_t, UserRecord> users;
  int64_t next_user = 1;
  std::map<int64_t, ApiTokenRecord> tokens;
  int64_t next_token = 1;
  std::map<std::string, SessionRecord> sessions;
  std::vector<AuditEntry> audit;
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

class FakeRegistry final : public RegistryRepository {
 public:
  explicit FakeRegistry(Core& c) : c_(c) {}

  Result<WriteOutcome> PutUnit(const UnitRecord& u, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto& units = c_.state.units;
    auto it = units.find(u.id);
    if (it != units.end() && it->second == u) return WriteOutcome::kUnchanged;
    bool update = it != units.end();
    std::string before = update ? UnitJson(it->second).dump() : "";
    if (!update) c_.state.unit_nos[u.id] = c_.state.next_unit_no++;
    units[u.id] = u;
    c_.Audit(by, update ? "update" : "create", "unit", u.id, before, UnitJson(u).dump(), "");
    return update ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
  }

  Result<std::vector<UnitRecord>> ListUnits() override {
    std::vector<UnitRecord> out;
    for (const auto& [id, u] : c_.state.units) out.push_back(u);
    return out;
  }

  Result<std::optional<UnitRecord>> GetUnit(const std::string& id) override {
    auto it = c_.state.units.find(id);
    if (it == c_.state.units.end()) return std::optional<UnitRecord>();
    return std::optional<UnitRecord>(it->second);
  }

  Result<WriteOutcome> PutSite(const SiteRecord& site, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (auto no = c_.UnitNo(site.unit_id); !no.ok()) return no.error();
    auto key = std::pair{site.unit_id, site.id};
    auto it = c_.state.sites.find(key);
    if (it != c_.state.sites.end() && it->second == site) return WriteOutcome::kUnchanged;
    bool update = it != c_.state.sites.end();
    std::string before = update ? SiteJson(it->second).dump() : "";
    c_.state.sites[key] = site;
    c_.Audit(by, update ? "update" : "create", "site", site.unit_id + "/" + site.id, before,
             SiteJson(site).dump(), "");
    return update ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
  }

  Result<std::vector<SiteRecord>> ListSites() override {
    std::vector<SiteRecord> out;
    for (const auto& [key, s] : c_.state.sites) out.push_back(s);
    return out;
  }

  Result<WriteOutcome> PutMeter(const MeterRecord& m, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto unit_no = c_.UnitNo(m.unit_id);
    if (!unit_no.ok()) return unit_no.error();
    if (!m.site_id.empty() && !c_.state.sites.contains({m.unit_id, m.site_id}))
      return Error::NotFound("site '" + m.site_id + "' of unit '" + m.unit_id + "' does not exist");
    auto it = c_.state.meters.find(m.id);
    bool update = it != c_.state.meters.end();
    if (update && it->second.SameDefinition(m)) return WriteOutcome::kUnchanged;
    MeterRecord stored = m;
    std::string before;
    if (update) {
      const MeterRecord& o = it->second;
      if (o.unit_id != m.unit_id)
        return Error::Conflict("meter '" + m.id + "' belongs to unit '" + o.unit_id +
                               "'; a meter cannot move to another unit");
      bool fixed_changed = o.interval != m.interval || o.kind != m.kind ||
                           o.time_zone != m.time_zone || o.multiplier != m.multiplier ||
                           o.rollover != m.rollover;
      if (fixed_changed && HasChunks(o))
        return Error::Conflict("meter '" + m.id +
                               "' has stored readings; its interval, kind, time zone, "
                               "multiplier and rollover cannot change (register a new meter "
                               "from the change on)");
      before = MeterJson(o).dump();
      stored.meter_no = o.meter_no;
    } else {
      stored.meter_no = c_.state.next_meter_no++;
    }
    stored.unit_no = *unit_no;
    c_.state.meters[m.id] = stored;
    c_.Audit(by, update ? "update" : "create", "meter", m.id, before, MeterJson(m).dump(), "");
    return update ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
  }

  Result<std::vector<MeterRecord>> ListMeters() override {
    std::vector<MeterRecord> out;
    for (const auto& [id, m] : c_.state.meters) out.push_back(m);
    return out;
  }

  Result<std::optional<MeterRecord>> GetMeter(const std::string& id) override {
    auto it = c_.state.meters.find(id);
    if (it == c_.state.meters.end()) return std::optional<MeterRecord>();
    return std::optional<MeterRecord>(it->second);
  }

 private:
  bool HasChunks(const MeterRecord& m) const {
    auto it = c_.state.chunks.lower_bound({m.unit_no, m.meter_no, INT32_MIN});
    return it != c_.state.chunks.end() && std::get<0>(it->first) == m.unit_no &&
           std::get<1>(it->first) == m.meter_no;
  }
  Core& c_;
};

class FakeImports final : public ImportsRepository {
 public:
  explicit FakeImports(Core& c) : c_(c) {}

  Result<int64_t> CreateBatch(BatchRecord b, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    BatchRecord stored;
    stored.id = c_.state.next_batch++;
    stored.kind = b.kind;
    stored.source = b.source;
    stored.created_at = b.created_at.empty() ? NowUtc() : b.created_at;
    stored.created_by = b.created_by.empty() ? by.user : b.created_by;
    c_.state.batches[stored.id] = stored;
    return stored.id;
  }

  Status FinishBatch(const BatchRecord& b, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.batches.find(b.id);
    if (it == c_.state.batches.end())
      return Error::NotFound("import batch " + std::to_string(b.id) + " does not exist");
    BatchRecord& s = it->second;
    s.rows = b.rows;
    s.accepted = b.accepted;
    s.unchanged = b.unchanged;
    s.revised = b.revised;
    s.rejected = b.rejected;
    s.flagged = b.flagged;
    c_.Audit(by, "import", "batch", std::to_string(b.id), "", BatchJson(b).dump(), "");
    return Ok{};
  }

  Result<std::optional<BatchRecord>> GetBatch(int64_t id) override {
    auto it = c_.state.batches.find(id);
    if (it == c_.state.batches.end()) return std::optional<BatchRecord>();
    return std::optional<BatchRecord>(it->second);
  }

  Result<std::vector<BatchRecord>> ListBatches() override {
    std::vector<BatchRecord> out;
    for (const auto& [id, b] : c_.state.batches) out.push_back(b);
    return out;
  }

  Status AddRejects(const std::vector<RejectRecord>& rejects) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    for (const auto& r : rejects) c_.state.rejects[r.batch_id].push_back(r);
    return Ok{};
  }

  Result<std::vector<RejectRecord>> ListRejects(int64_t batch_id) override {
    auto it = c_.state.rejects.find(batch_id);
    if (it == c_.state.rejects.end()) return std::vector<RejectRecord>();
    return it->second;
  }

  Status PutMappingProfile(const std::string& name, const std::string& kind,
                           const std::string& definition, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto old = GetMappingProfile(name, kind);
    if (*old == definition) return Ok{};
    c_.state.profiles[name] = {kind, definition};
    c_.Audit(by, old->has_value() ? "update" : "create", "mapping_profile", name, old->value_or(""),
             definition, "");
    return Ok{};
  }

  Result<std::optional<std::string>> GetMappingProfile(const std::string& name,
                                                       const std::string& kind) override {
    auto it = c_.state.profiles.find(name);
    if (it == c_.state.profiles.end() || it->second.first != kind)
      return std::optional<std::string>();
    return std::optional<std::string>(it->second.second);
  }

 private:
  Core& c_;
};

class FakeReadings final : public ReadingsRepository {
 public:
  explicit FakeReadings(Core& c) : c_(c) {}

  Result<std::optional<StoredChunk>> GetChunk(int64_t unit_no, int64_t meter_no,
                                              int32_t day) override {
    auto it = c_.state.chunks.find({unit_no, meter_no, day});
    if (it == c_.state.chunks.end()) return std::optional<StoredChunk>();
    return std::optional<StoredChunk>(it->second);
  }

  Status PutChunk(const StoredChunk& chunk) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    c_.state.chunks[{chunk.unit_no, chunk.meter_no, chunk.chunk_day}] = chunk;
    return Ok{};
  }

  Result<std::optional<std::pair<int32_t, int32_t>>> ChunkRange(int64_t unit_no,
                                                                int64_t meter_no) override {
    using Range = std::optional<std::pair<int32_t, int32_t>>;
    auto& chunks = c_.state.chunks;
    auto first = chunks.lower_bound({unit_no, meter_no, INT32_MIN});
    auto end = chunks.upper_bound({unit_no, meter_no, INT32_MAX});
    if (first == end) return Range();
    return Range(std::pair{std::get<2>(first->first), std::get<2>(std::prev(end)->first)});
  }

  Status ScanChunks(int64_t unit_no, int64_t meter_no, int32_t from, int32_t to,
                    const std::function<void(const StoredChunk&)>& f) override {
    auto& chunks = c_.state.chunks;
    for (auto it = chunks.lower_bound({unit_no, meter_no, from});
         it != chunks.end() && it->first <= ChunkKey{unit_no, meter_no, to}; ++it)
      f(it->second);
    return Ok{};
  }

  Status ScanTotals(int32_t from, int32_t to,
                    const std::function<void(const ChunkTotal&)>& f) override {
    for (const auto& [key, c] : c_.state.chunks)
      if (c.chunk_day >= from && c.chunk_day <= to) f({c.meter_no, c.chunk_day, c.count, c.total});
    return Ok{};
  }

  Status AddMonthTotals(const std::vector<MonthTotal>& deltas) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    for (const auto& d : deltas) {
      auto [it, fresh] = c_.state.months.try_emplace({d.unit_no, d.meter_no, d.month}, d);
      if (fresh) continue;
      it->second.count += d.count;
      it->second.total += d.total;
    }
    return Ok{};
  }

  Status ScanMonthTotals(int32_t from, int32_t to,
                         const std::function<void(const MonthTotal&)>& f) override {
    for (const auto& [key, m] : c_.state.months)
      if (m.month >= from && m.month <= to) f(m);
    return Ok{};
  }

  Status AddRevisions(const std::vector<RevisionRecord>& revisions) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    c_.state.revisions.insert(c_.state.revisions.end(), revisions.begin(), revisions.end());
    return Ok{};
  }

  Result<std::vector<RevisionRecord>> ListRevisions(int64_t meter_no) override {
    std::vector<RevisionRecord> out;
    for (const auto& r : c_.state.revisions)
      if (r.meter_no == meter_no) out.push_back(r);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.ts, a.new_batch) < std::tie(b.ts, b.new_batch);
    });
    return out;
  }

  Status ReplaceChunkFlags(int64_t meter_no, int32_t day, const std::vector<std::string>& kinds,
                           const std::vector<FlagRecord>& flags) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    std::set<std::string> drop(kinds.begin(), kinds.end());
    std::erase_if(c_.state.flags, [&](const FlagRecord& f) {
      return f.meter_no == meter_no && f.chunk_day == day && drop.contains(f.kind);
    });
    return AddFlags(flags);
  }

  Status AddFlags(const std::vector<FlagRecord>& flags) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    c_.state.flags.insert(c_.state.flags.end(), flags.begin(), flags.end());
    return Ok{};
  }

  Result<std::vector<FlagRecord>> ListFlags(int64_t meter_no, int32_t from, int32_t to) override {
    std::vector<FlagRecord> out;
    for (const auto& f : c_.state.flags)
      if (f.meter_no == meter_no && f.chunk_day >= from && f.chunk_day <= to) out.push_back(f);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.chunk_day, a.slot, a.kind) < std::tie(b.chunk_day, b.slot, b.kind);
    });
    return out;
  }

  Result<std::vector<int32_t>> FlagDays(int64_t meter_no, const std::string& kind) override {
    std::set<int32_t> days;
    for (const auto& f : c_.state.flags)
      if (f.meter_no == meter_no && f.kind == kind) days.insert(f.chunk_day);
    return std::vector<int32_t>(days.begin(), days.end());
  }

 private:
  Core& c_;
};

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
    std::string reason = inv.reason;
    inv.reason.clear();  // kept in the audit log only
    c_.state.inventories[inv.id] = inv;
    c_.Audit(by, inv.supersedes ? "correct" : "create", "inventory", std::to_string(inv.id), "",
             after.dump(), reason);
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

  Status SetInventoryStatus(int64_t id, InventoryStatus to, const Actor& by,
                            const std::string& reason) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.inventories.find(id);
    if (it == c_.state.inventories.end())
      return Error::NotFound("inventory " + std::to_string(id) + " does not exist");
    InventoryStatus from = it->second.status;
    if (!InventoryTransitionAllowed(from, to))
      return Error::Conflict(std::string("inventory ") + std::to_string(id) + " is " +
                             InventoryStatusName(from) + "; it cannot become " +
                             InventoryStatusName(to));
    it->second.status = to;
    if (to == InventoryStatus::kVerified || to == InventoryStatus::kReturned) {
      int64_t review_id = static_cast<int64_t>(c_.state.reviews.size()) + 1;
      c_.state.reviews.push_back(
          {review_id, id, by.user, InventoryStatusName(to), reason, NowUtc()});
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

  Status SetPasswordHash(int64_t user_id, const std::string& hash, const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    auto it = c_.state.users.find(user_id);
    if (it == c_.state.users.end())
      return Error::NotFound("user " + std::to_string(user_id) + " does not exist");
    it->second.password_hash = hash;
    it->second.failed_logins = 0;
    it->second.locked_until = 0;
    c_.Audit(by, "password", "user", std::to_string(user_id), "", "", "password changed");
    return Ok{};
  }

  Status RecordSignIn(int64_t user_id, bool success, int failed_logins, int64_t locked_until,
                      const Actor& by) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    if (auto it = c_.state.users.find(user_id); it != c_.state.users.end()) {
      it->second.failed_logins = failed_logins;
      it->second.locked_until = locked_until;
    }
    c_.Audit(by, success ? "sign_in" : "sign_in_failed", "user", std::to_string(user_id), "",
             json{{"failed_logins", failed_logins}, {"locked_until", locked_until}}.dump(), "");
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

class FakeAudit final : public AuditRepository {
 public:
  explicit FakeAudit(Core& c) : c_(c) {}

  Status AppendAudit(AuditEntry entry) override {
    if (auto w = c_.Writable(); !w.ok()) return w;
    c_.Append(std::move(entry));
    return Ok{};
  }

  Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int limit) override {
    std::vector<AuditEntry> out;
    for (const auto& e : c_.state.audit) {
      if (static_cast<int>(out.size()) >= limit) break;
      if (e.seq > after_seq) out.push_back(e);
    }
    return out;
  }

  // The same checks as the SQL store's, over the same chain; the head is
  // the last entry itself (nothing can cut the fake's log from outside).
  Result<AuditCheck> VerifyAudit() override {
    AuditCheck check;
    std::string prev;
    int64_t expected = 1;
    for (const auto& e : c_.state.audit) {
      ++check.entries;
      std::string where = "audit entry " + std::to_string(e.seq);
      if (e.seq != expected)
        check.problems.push_back("audit entry " + std::to_string(expected) +
                                 " is missing (next is " + std::to_string(e.seq) + ")");
      if (e.prev_hash != prev)
        check.problems.push_back(where +
                                 ": does not follow the entry before it (removed, inserted or "
                                 "reordered entries)");
      if (Sha256Hex(AuditPayload(e)) != e.hash)
        check.problems.push_back(where + ": its content does not match its hash (edited)");
      prev = e.hash;
      expected = e.seq + 1;
    }
    return check;
  }

 private:
  Core& c_;
};

class FakeStore final : public Store {
 public:
  FakeStore()
      : registry_(core_),
        imports_(core_),
        readings_(core_),
        activities_(core_),
        inventories_(core_),
        datasets_(core_),
        access_(core_),
        identity_(core_),
        audit_(core_) {}

  std::string Kind() const override { return "fake"; }
  Result<int> SchemaVersion() override { return kSchemaVersion; }

  Status Begin() override {
    if (core_.snapshot) return Error(ErrorKind::kInternal, "a transaction is already open");
    if (core_.in_read) return Error(ErrorKind::kInternal, "a write inside a read-only transaction");
    core_.snapshot = core_.state;
    return Ok{};
  }
  Status Commit() override {
    if (!core_.snapshot) return Error(ErrorKind::kInternal, "no transaction to commit");
    core_.snapshot.reset();
    return Ok{};
  }
  void Rollback() override {
    core_.in_read = false;
    if (!core_.snapshot) return;
    core_.state = std::move(*core_.snapshot);
    core_.snapshot.reset();
  }
  Status BeginRead() override {
    if (core_.snapshot || core_.in_read)
      return Error(ErrorKind::kInternal, "a transaction is already open");
    core_.in_read = true;
    return Ok{};
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

 private:
  Core core_;
  FakeRegistry registry_;
  FakeImports imports_;
  FakeReadings readings_;
  FakeActivities activities_;
  FakeInventories inventories_;
  FakeDatasets datasets_;
  FakeAccess access_;
  FakeIdentity identity_;
  FakeAudit audit_;
};

}  // namespace

std::unique_ptr<Store> MakeFakeStore() {
  if (sodium_init() < 0) return nullptr;
  return std::make_unique<FakeStore>();
}

}  // namespace cl::testing
