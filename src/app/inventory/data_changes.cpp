#include "inventory/data_changes.h"

#include <map>
#include <set>
#include <vector>

#include "inventory/stored_inventory.h"
#include "store/store.h"

namespace cl {
namespace {

using nlohmann::json;

struct TotalField {
  const char* field;
  const char* unit;
};
// The unit totals of a document (reports/render.cpp), with their units.
constexpr TotalField kTotals[] = {{"energy_tce", "tce"},
                                  {"scope1_tco2e", "tCO2e"},
                                  {"scope2_tco2e", "tCO2e"},
                                  {"scope2_location_tco2e", "tCO2e"},
                                  {"scope2_market_tco2e", "tCO2e"},
                                  {"scope3_tco2e", "tCO2e"},
                                  {"total_tco2e", "tCO2e"},
                                  {"biogenic_co2_t", "t"}};
// The figures of a line compared stored against now.
constexpr const char* kLineFigures[] = {"quantity", "energy_tce", "tco2e"};

double NumberOr0(const json* j, const char* field) {
  if (j == nullptr) return 0;
  auto it = j->find(field);
  return it != j->end() && it->is_number() ? it->get<double>() : 0;
}

// {stored, now, difference}: a side without the figure is null.
json Pair(const json* stored, const json* now, const char* field) {
  auto side = [&](const json* j) {
    if (j == nullptr || !j->contains(field)) return json();
    return (*j)[field];
  };
  return {{"stored", side(stored)},
          {"now", side(now)},
          {"difference", NumberOr0(now, field) - NumberOr0(stored, field)}};
}

const json& FirstUnit(const json& doc) {
  static const json kNone = json::object();
  auto it = doc.find("units");
  if (it == doc.end() || !it->is_array() || it->empty()) return kNone;
  return it->front();
}

std::string Text(const json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A meter's month line names its meter at the end of its note
// (inventory/store_bridge.cpp: "sum of N readings of meter ID").
std::string MeterOf(const json& line) {
  if (Text(line, "data_source") != "meter") return "";
  static const std::string kMark = " of meter ";
  const std::string note = Text(line, "note");
  const size_t at = note.rfind(kMark);
  return at == std::string::npos ? "" : note.substr(at + kMark.size());
}

// What a line is, whatever its position and figures.
std::string LineKey(const json& l) {
  std::string key;
  for (const char* f :
       {"activity", "site_id", "period_start", "period_end", "data_source", "instrument_ids"})
    key += Text(l, f) + '\x1f';
  return key + MeterOf(l);
}

json Totals(const json& stored, const json& now) {
  json out = json::array();
  for (const auto& [field, unit] : kTotals) {
    auto s = stored.find(field);
    auto n = now.find(field);
    const bool has_s = s != stored.end();
    const bool has_n = n != now.end();
    if (!has_s && !has_n) continue;
    if (has_s && has_n && *s == *n) continue;
    json p = Pair(&stored, &now, field);
    p["field"] = field;
    p["unit"] = unit;
    out.push_back(std::move(p));
  }
  return out;
}

json LineChange(const json* stored, const json* now) {
  const json& l = stored != nullptr ? *stored : *now;
  json out{{"activity", Text(l, "activity")},
           {"site_id", Text(l, "site_id")},
           {"period_start", Text(l, "period_start")},
           {"period_end", Text(l, "period_end")},
           {"unit_of_measure", Text(l, "unit_of_measure")},
           {"data_source", Text(l, "data_source")},
           {"change", stored == nullptr ? "added"
                      : now == nullptr  ? "removed"
                                        : "revised"}};
  if (std::string m = MeterOf(l); !m.empty()) out["meter"] = m;
  for (const char* f : kLineFigures) out[f] = Pair(stored, now, f);
  return out;
}

// Equal but for their ids: the store's lines are numbered by position
// ("store:activities:7"), which a record added before them moves.
bool SameLine(const json& a, const json& b) {
  if (a.size() != b.size()) return false;
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (it.key() == "id") continue;
    auto other = b.find(it.key());
    if (other == b.end() || *other != it.value()) return false;
  }
  return true;
}

json Lines(const json& stored, const json& now) {
  static const json kEmpty = json::array();
  const json& s_lines = stored.contains("lines") ? stored["lines"] : kEmpty;
  const json& n_lines = now.contains("lines") ? now["lines"] : kEmpty;
  std::map<std::string, std::vector<const json*>> waiting;  // now's lines by key, in order
  for (auto it = n_lines.rbegin(); it != n_lines.rend(); ++it)
    waiting[LineKey(*it)].push_back(&*it);
  std::set<const json*> matched;
  json out = json::array();
  for (const json& s : s_lines) {
    std::vector<const json*>& same = waiting[LineKey(s)];
    const json* n = nullptr;
    if (!same.empty()) {
      n = same.back();
      same.pop_back();
      matched.insert(n);
    }
    if (n == nullptr || !SameLine(s, *n)) out.push_back(LineChange(&s, n));
  }
  for (const json& n : n_lines)
    if (!matched.contains(&n)) out.push_back(LineChange(nullptr, &n));
  return out;
}

const char* SinceOf(InventoryStatus status) {
  switch (status) {
    case InventoryStatus::kVerified:
      return "verification";
    case InventoryStatus::kPublished:
      return "publication";
    case InventoryStatus::kDraft:
    case InventoryStatus::kSubmitted:
    case InventoryStatus::kReturned:
      break;
  }
  return "submission";
}

// The import batches whose audit records name the inventory, oldest first
// (not who sent them: a published inventory is read by the public).
Result<json> Batches(Store& store, int64_t id) {
  auto entries = store.Audit().ListAuditOf(kDataChangedAction, "inventory", std::to_string(id));
  if (!entries.ok()) return entries.error();
  json out = json::array();
  for (const AuditEntry& e : *entries) {
    json after = json::parse(e.after, nullptr, false);
    if (!after.is_object()) continue;
    out.push_back({{"batch", after.value("batch", int64_t{0})},
                   {"at", e.at},
                   {"periods", after.value("periods", json::array())}});
  }
  return out;
}

json Restatement(const InventoryRecord& inv) {
  return {{"proposed", true},
          {"how", "POST /api/v1/inventories/" + std::to_string(inv.id) + "/corrections"},
          {"body", {{"reason", "data changed since " + std::string(SinceOf(inv.status))}}},
          {"what",
           "computes a new version from the current data with the same methodology and dataset "
           "versions; it supersedes this one and goes through submission and verification again"},
          {"who", "the unit's manager or member, or the programme office"}};
}

}  // namespace

std::optional<json> DocumentDifference(const json& stored, const json& now) {
  const json& s = FirstUnit(stored);
  const json& n = FirstUnit(now);
  if (s == n) return std::nullopt;
  json totals = Totals(s, n);
  json lines = Lines(s, n);
  if (totals.empty() && lines.empty()) {
    // Only the lines' positional ids moved, or something beside the figures.
    json s_rest = s;
    json n_rest = n;
    s_rest.erase("lines");
    n_rest.erase("lines");
    if (s_rest == n_rest) return std::nullopt;
  }
  return json{{"totals", std::move(totals)}, {"lines", std::move(lines)}};
}

Result<json> DataChangedUnder(Store& store, const ReferenceData& data, const VeeSettings& vee,
                              const InventoryRecord& inv) {
  if (inv.status == InventoryStatus::kDraft) return json(nullptr);
  json stored = json::parse(inv.document, nullptr, false);
  if (stored.is_discarded())
    return Error::Internal("inventory " + std::to_string(inv.id) + " has a bad stored document");
  auto now = RecomputeStoredDocument(store, data, vee, inv);
  json block;
  if (now.ok()) {
    auto diff = DocumentDifference(stored, *now);
    if (!diff) return json(nullptr);
    block = std::move(*diff);
  } else if (now.error().kind() == ErrorKind::kInvalidInput ||
             now.error().kind() == ErrorKind::kNotFound) {
    block = {{"totals", json::array()},
             {"lines", json::array()},
             {"recompute_error", now.error().message()}};
  } else {
    return now.error();
  }
  block["since"] = SinceOf(inv.status);
  block["computed_at"] = inv.created_at;
  auto batches = Batches(store, inv.id);
  if (!batches.ok()) return batches.error();
  block["batches"] = std::move(*batches);
  block["restatement"] = Restatement(inv);
  return block;
}

Result<std::shared_ptr<const json>> DataChangeCache::Check(Store& store, const ReferenceData& data,
                                                           const VeeSettings& vee,
                                                           const InventoryRecord& head,
                                                           const std::string& document) {
  static const auto kNull = std::make_shared<const json>(nullptr);
  if (head.status == InventoryStatus::kDraft) return kNull;
  auto at = store.Audit().Head();
  if (!at.ok()) return at.error();
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(head.id);
    if (it != entries_.end() && it->second.head == at->seq) return it->second.block;
  }
  InventoryRecord inv = head;
  inv.document = document;
  auto block = DataChangedUnder(store, data, vee, inv);
  if (!block.ok()) return block.error();
  auto kept = std::make_shared<const json>(std::move(*block));
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_entries_ && !entries_.contains(inv.id)) entries_.clear();
  entries_[inv.id] = Entry{at->seq, kept};
  ++computed_;
  return kept;
}

int64_t DataChangeCache::computed() const {
  std::lock_guard lock(mu_);
  return computed_;
}

}  // namespace cl
