#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/timezone.h"
#include "formats/templates.h"
#include "formats/text_util.h"
#include "metering/calendar.h"
#include "metering/metering.h"
#include "metering/register_steps.h"
#include "store/chunk.h"
#include "store/store.h"

namespace cl {

using namespace metering;  // NOLINT(google-build-using-namespace): the calendar helpers

Result<std::vector<Mismatch>> CheckMonthlyConsistency(Store& store, const VeeSettings& vee,
                                                      int year) {
  auto meters = store.Registry().ListMeters();
  if (!meters.ok()) return meters.error();
  auto rows = store.Activities().ListActivities("");
  if (!rows.ok()) return rows.error();
  std::unordered_map<std::string, const MeterRecord*> by_id;
  for (const auto& m : *meters) by_id[m.id] = &m;
  std::vector<Mismatch> found;
  CL_RETURN_IF_ERROR(store.Begin());
  for (const auto& a : *rows) {
    if (a.meter_id.empty() || a.data_source == "meter" || a.data_source == "计量") continue;
    auto it = by_id.find(a.meter_id);
    if (it == by_id.end()) continue;
    const MeterRecord& m = *it->second;
    auto start = ParseDate(a.period_start);
    auto end = ParseDate(a.period_end);
    if (!start.ok() || !end.ok() || static_cast<int>(start->year()) != year) continue;
    auto bill_unit = ParseUnit(a.unit_of_measure);
    auto meter_unit = ParseUnit(m.unit_of_measure);
    if (!bill_unit.ok() || !meter_unit.ok() || !(bill_unit->dim == meter_unit->dim)) continue;
    double bill = a.quantity * bill_unit->to_base / meter_unit->to_base;
    MeterCells cells;
    if (auto st = AccumulateMeters(store, vee, {m}, RollupGrain::kYear, *start, *end, cells);
        !st.ok()) {
      store.Rollback();
      return st.error();
    }
    double readings = 0;
    int64_t n = 0;
    for (const auto& [p, c] : cells[m.meter_no]) {
      readings += c.quantity;
      n += c.readings;
    }
    std::vector<FlagRecord> flags;
    const int32_t day = DayNumber(*start);
    if (n > 0 && bill > 0) {
      double gap = std::fabs(readings - bill) / bill;
      if (gap > vee.maximum_daily_monthly_gap) {
        char month[24];
        std::snprintf(month, sizeof month, "%04d-%02d", static_cast<int>(start->year()),
                      static_cast<int>(unsigned(start->month())));
        found.push_back({m.id, month, readings, bill, gap});
        flags.push_back({m.meter_no, m.unit_no, day, -1, "monthly_mismatch",
                         "readings " + ShortestNumber(readings) + " vs bill " +
                             ShortestNumber(bill) + " " + m.unit_of_measure + " (" +
                             ShortestNumber(std::round(gap * 1000) / 10) + " %, over " +
                             ShortestNumber(vee.maximum_daily_monthly_gap * 100) + " %) for " +
                             a.period_start + ".." + a.period_end,
                         a.batch_id});
      }
    }
    if (auto st = store.Readings().ReplaceChunkFlags(m.meter_no, day, {"monthly_mismatch"}, flags);
        !st.ok()) {
      store.Rollback();
      return st.error();
    }
  }
  CL_RETURN_IF_ERROR(store.Commit());
  return found;
}

}  // namespace cl
