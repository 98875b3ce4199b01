// The in-memory Store: one State of plain containers (fake_state.h), copied
// on Begin; the registry, imports, readings and the audit log here, the other
// repositories in fake_records.cpp. Every write validates first and changes
// the state only once nothing can fail, so a refused write leaves nothing
// behind (as the SQL store's own one-write transactions do).
#include "fake_store.h"

#include <sodium.h>

#include <algorithm>
#include <set>

#include "fake_state.h"

namespace cl::testing {
namespace fake {

namespace {

// The SQL store's schema version (src/store/migrations.cpp), so that code
// checking it sees the same number.
constexpr int kSchemaVersion = 13;

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

  Result<std::vector<RejectRecord>> ListRejectsPage(int64_t batch_id, int64_t offset,
                                                    int limit) override {
    auto all = ListRejects(batch_id);
    std::vector<RejectRecord> page;
    for (int64_t i = offset; i < static_cast<int64_t>(all->size()) && i < offset + limit; ++i)
      page.push_back((*all)[static_cast<size_t>(i)]);
    return page;
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

  Status SetMonthTotals(const std::vector<MonthTotal>& totals) override {
    if (auto w = c_.Writable(); !w.ok()) return w.error();
    for (const auto& t : totals) c_.state.months[{t.unit_no, t.meter_no, t.month}] = t;
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

  Result<std::vector<AuditEntry>> ListAuditOf(const std::string& action, const std::string& entity,
                                              const std::string& entity_id) override {
    std::vector<AuditEntry> out;
    for (const auto& e : c_.state.audit)
      if (e.action == action && e.entity == entity && e.entity_id == entity_id) out.push_back(e);
    return out;
  }

  Result<AuditPosition> Head() override {
    if (c_.state.audit.empty()) return AuditPosition{};
    return AuditPosition{c_.state.audit.back().seq, c_.state.audit.back().hash};
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

// The figures read model: kept per inventory; the inventory's unit, year,
// methodology, version, state and pins are read from the inventory itself,
// so they follow the workflow as the SQL store's columns do.
class FakeFigures final : public FiguresRepository {
 public:
  explicit FakeFigures(Core& c) : c_(c) {}

  Status PutFigures(int64_t inventory_id, const InventoryFigures& figures) override {
    if (auto w = c_.Writable(); !w.ok()) return w;
    auto inv = c_.state.inventories.find(inventory_id);
    if (inv == c_.state.inventories.end() || inv->second.unit_id.empty())
      return Error::NotFound("inventory " + std::to_string(inventory_id) +
                             " of a unit does not exist");
    if (c_.state.figures.count(inventory_id))
      return Error::Conflict("inventory " + std::to_string(inventory_id) + " has figures");
    c_.state.figures[inventory_id] = figures;
    return Ok{};
  }

  Result<std::optional<InventoryFigures>> GetFigures(int64_t inventory_id) override {
    auto f = c_.state.figures.find(inventory_id);
    if (f == c_.state.figures.end()) return std::optional<InventoryFigures>();
    return std::optional<InventoryFigures>(WithHead(f->first, f->second));
  }

  Result<std::vector<InventoryFigures>> ListFigures(int year,
                                                    const std::string& methodology) override {
    std::vector<InventoryFigures> out;
    for (const auto& [id, f] : c_.state.figures) {
      const InventoryRecord& inv = c_.state.inventories.at(id);
      if (inv.year == year && inv.methodology == methodology) out.push_back(WithHead(id, f));
    }
    return out;
  }

 private:
  InventoryFigures WithHead(int64_t id, InventoryFigures f) const {
    const InventoryRecord& inv = c_.state.inventories.at(id);
    f.inventory_id = id;
    f.unit_id = inv.unit_id;
    f.year = inv.year;
    f.methodology = inv.methodology;
    f.version = inv.version;
    f.state = inv.status;
    f.datasets = inv.pins;
    return f;
  }
  Core& c_;
};

class FakeStore final : public Store {
 public:
  FakeStore()
      : registry_(core_),
        imports_(core_),
        readings_(core_),
        activities_(MakeActivities(core_)),
        inventories_(MakeInventories(core_)),
        datasets_(MakeDatasets(core_)),
        access_(MakeAccess(core_)),
        identity_(MakeIdentity(core_)),
        audit_(core_),
        figures_(core_) {}

  std::string Kind() const override { return "fake"; }
  Result<int> SchemaVersion() override { return kSchemaVersion; }

  Status Begin() override {
    if (core_.snapshot) return Error::Internal("a transaction is already open");
    if (core_.in_read) return Error::Internal("a write inside a read-only transaction");
    core_.snapshot = core_.state;
    return Ok{};
  }
  Status Commit() override {
    if (!core_.snapshot) return Error::Internal("no transaction to commit");
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
    if (core_.snapshot || core_.in_read) return Error::Internal("a transaction is already open");
    core_.in_read = true;
    return Ok{};
  }

  RegistryRepository& Registry() override { return registry_; }
  ImportsRepository& Imports() override { return imports_; }
  ReadingsRepository& Readings() override { return readings_; }
  ActivitiesRepository& Activities() override { return *activities_; }
  InventoriesRepository& Inventories() override { return *inventories_; }
  DatasetsRepository& Datasets() override { return *datasets_; }
  AccessRepository& Access() override { return *access_; }
  IdentityRepository& Identity() override { return *identity_; }
  AuditRepository& Audit() override { return audit_; }
  FiguresRepository& Figures() override { return figures_; }

 private:
  Core core_;
  FakeRegistry registry_;
  FakeImports imports_;
  FakeReadings readings_;
  std::unique_ptr<ActivitiesRepository> activities_;
  std::unique_ptr<InventoriesRepository> inventories_;
  std::unique_ptr<DatasetsRepository> datasets_;
  std::unique_ptr<AccessRepository> access_;
  std::unique_ptr<IdentityRepository> identity_;
  FakeAudit audit_;
  FakeFigures figures_;
};

}  // namespace
}  // namespace fake

std::unique_ptr<Store> MakeFakeStore() {
  if (sodium_init() < 0) return nullptr;
  return std::make_unique<fake::FakeStore>();
}

}  // namespace cl::testing
