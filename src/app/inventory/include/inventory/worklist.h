// The programme office's work queues for one reporting year: where every
// unit's inventory stands and what is due, from the store in one pass
// (docs/roles.md §Work queues).
//
// Only the newest version of each inventory counts (one that another
// corrects is history). A unit is "not submitted" while no newest inventory
// of the year is submitted, verified or published; past the due day of
// data/programme.toml (ProgrammeCalendar) it is overdue.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "formats/programme_calendar.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h

// One inventory in a queue, with its unit's names and its verifier (empty
// when none is assigned for its unit and year).
struct WorkItem {
  InventoryRecord inventory;  // without its document
  std::string unit_name_zh;
  std::string unit_name_en;
  std::string verifier;
};

// A unit without a submitted inventory of the year, and how far it got:
// "none" (no inventory), "draft" or "returned" (its newest inventory).
struct UnsubmittedUnit {
  UnitRecord unit;
  std::string state;
  int64_t inventory_id = 0;  // its newest inventory, 0 for none
};

struct Worklist {
  int year = 0;
  std::string due;  // YYYY-MM-DD, the day inventories of `year` are due
  bool past_due = false;
  std::vector<WorkItem> drafts;                 // not submitted yet
  std::vector<WorkItem> returned;               // waiting for the unit's correction
  std::vector<WorkItem> unassigned;             // submitted, no verifier
  std::vector<WorkItem> awaiting_verification;  // submitted, with a verifier
  std::vector<WorkItem> awaiting_publication;   // verified
  std::vector<UnsubmittedUnit> not_submitted;   // every unit without a submitted inventory
  std::vector<BatchRecord> rejected_batches;    // imports with rejected rows, newest first
};

// The queues of `year` at `now` (UTC seconds). At most `batch_limit` batches.
Result<Worklist> ProgrammeWorklist(Store& store, const ProgrammeCalendar& calendar, int year,
                                   int64_t now, size_t batch_limit = 50);

}  // namespace cl
