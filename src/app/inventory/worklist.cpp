#include "inventory/worklist.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "core/period.h"
#include "core/timestamp.h"
#include "store/store.h"

namespace cl {
namespace {

// Newest inventories of `year`: none that another corrects.
std::vector<InventoryRecord> Newest(const std::vector<InventoryRecord>& all, int year) {
  std::set<int64_t> corrected;
  for (const auto& i : all)
    if (i.supersedes != 0) corrected.insert(i.supersedes);
  std::vector<InventoryRecord> out;
  for (const auto& i : all)
    if (i.year == year && !corrected.contains(i.id)) out.push_back(i);
  return out;
}

bool Submitted(InventoryStatus s) {
  return s == InventoryStatus::kSubmitted || s == InventoryStatus::kVerified ||
         s == InventoryStatus::kPublished;
}

// How far a unit got: its furthest newest inventory (returned before draft:
// the verifier has seen it).
void Unsubmitted(Worklist& w, const std::vector<UnitRecord>& units,
                 const std::vector<InventoryRecord>& newest) {
  for (const auto& u : units) {
    UnsubmittedUnit entry{u, "none", 0};
    bool submitted = false;
    for (const auto& i : newest) {
      if (i.unit_id != u.id) continue;
      if (Submitted(i.status)) submitted = true;
      if (i.status == InventoryStatus::kReturned ||
          (i.status == InventoryStatus::kDraft && entry.state == "none")) {
        entry.state = InventoryStatusName(i.status);
        entry.inventory_id = i.id;
      }
    }
    if (!submitted) w.not_submitted.push_back(std::move(entry));
  }
}

}  // namespace

Result<Worklist> ProgrammeWorklist(Store& store, const ProgrammeCalendar& calendar, int year,
                                   int64_t now, size_t batch_limit) {
  Worklist w;
  w.year = year;
  w.due = FormatDate(calendar.InventoryDue(year));
  w.past_due = calendar.PastDue(year, Instant{std::chrono::seconds{now}});

  CL_ASSIGN_OR_RETURN(auto units, store.Registry().ListUnits());
  CL_ASSIGN_OR_RETURN(auto all, store.Inventories().ListInventorySummaries());
  CL_ASSIGN_OR_RETURN(auto assignments, store.Access().ListAssignments());
  std::map<std::string, const UnitRecord*> by_id;
  for (const auto& u : units) by_id[u.id] = &u;
  std::map<std::string, std::string> verifier;  // unit -> verifier of `year`
  for (const auto& a : assignments)
    if (a.year == year) verifier[a.unit_id] = a.verifier;

  const auto newest = Newest(all, year);
  for (const auto& i : newest) {
    WorkItem item{i, "", "", ""};
    if (auto u = by_id.find(i.unit_id); u != by_id.end()) {
      item.unit_name_zh = u->second->name_zh;
      item.unit_name_en = u->second->name_en;
    }
    if (auto v = verifier.find(i.unit_id); v != verifier.end()) item.verifier = v->second;
    switch (i.status) {
      case InventoryStatus::kDraft:
        w.drafts.push_back(std::move(item));
        break;
      case InventoryStatus::kReturned:
        w.returned.push_back(std::move(item));
        break;
      case InventoryStatus::kSubmitted:
        (item.verifier.empty() ? w.unassigned : w.awaiting_verification).push_back(std::move(item));
        break;
      case InventoryStatus::kVerified:
        w.awaiting_publication.push_back(std::move(item));
        break;
      case InventoryStatus::kPublished:
        break;
    }
  }
  Unsubmitted(w, units, newest);

  CL_ASSIGN_OR_RETURN(auto batches, store.Imports().ListBatches());
  std::sort(batches.begin(), batches.end(),
            [](const BatchRecord& a, const BatchRecord& b) { return a.id > b.id; });
  for (auto& b : batches) {
    if (w.rejected_batches.size() >= batch_limit) break;
    if (b.rejected > 0) w.rejected_batches.push_back(std::move(b));
  }
  return w;
}

}  // namespace cl
