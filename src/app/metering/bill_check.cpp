#include <cmath>
#include <unordered_map>

#include "formats/text_util.h"
#include "metering/calendar.h"
#include "metering/metering.h"
#include "store/store.h"

namespace cl {

using namespace metering;  // NOLINT(google-build-using-namespace): the calendar helpers

namespace {

// A bill's quantity in its meter's unit, when both are of one dimension.
std::optional<double> InMeterUnits(const ActivityRow& a, const MeterRecord& m) {
  auto bill_unit = ParseUnit(a.unit_of_measure);
  auto meter_unit = ParseUnit(m.unit_of_measure);
  if (!bill_unit.ok() || !meter_unit.ok() || !(bill_unit->dim == meter_unit->dim))
    return std::nullopt;
  return a.quantity * bill_unit->to_base / meter_unit->to_base;
}

// The flag on the bill's first day that says how far its meter's readings are from it.
FlagRecord MismatchFlag(const MeterRecord& m, const ActivityRow& a, const Mismatch& x, int32_t day,
                        const VeeSettings& vee) {
  return {m.meter_no,
          m.unit_no,
          day,
          -1,
          "monthly_mismatch",
          "readings " + ShortestNumber(x.readings) + " vs bill " + ShortestNumber(x.bill) + " " +
              m.unit_of_measure + " (" + ShortestNumber(std::round(x.gap * 1000) / 10) +
              " %, over " + ShortestNumber(vee.maximum_daily_monthly_gap * 100) + " %) for " +
              a.period_start + ".." + a.period_end,
          a.batch_id};
}

// Compares one bill with its meter's readings over the bill's period and
// replaces the meter's mismatch flag of that day; the mismatch, if any.
Result<std::optional<Mismatch>> CheckBill(Store& store, const VeeSettings& vee,
                                          const MeterRecord& m, const ActivityRow& a, Date start,
                                          Date end, double bill) {
  MeterCells cells;
  CL_RETURN_IF_ERROR(AccumulateMeters(store, vee, {m}, RollupGrain::kYear, start, end, cells));
  Mismatch x{m.id, FormatMonth(start), 0, bill, 0};
  int64_t n = 0;
  for (const auto& [p, c] : cells[m.meter_no]) {
    x.readings += c.quantity;
    n += c.readings;
  }
  std::vector<FlagRecord> flags;
  const int32_t day = DayNumber(start);
  std::optional<Mismatch> found;
  if (n > 0 && bill > 0) {
    x.gap = std::fabs(x.readings - bill) / bill;
    if (x.gap > vee.maximum_daily_monthly_gap) {
      flags.push_back(MismatchFlag(m, a, x, day, vee));
      found = x;
    }
  }
  CL_RETURN_IF_ERROR(
      store.Readings().ReplaceChunkFlags(m.meter_no, day, {"monthly_mismatch"}, flags));
  return found;
}

}  // namespace

Result<std::vector<Mismatch>> CheckMonthlyConsistency(Store& store, const VeeSettings& vee,
                                                      int year) {
  CL_ASSIGN_OR_RETURN(auto meters, store.Registry().ListMeters());
  CL_ASSIGN_OR_RETURN(auto rows, store.Activities().ListActivities(""));
  std::unordered_map<std::string, const MeterRecord*> by_id;
  for (const auto& m : meters) by_id[m.id] = &m;
  std::vector<Mismatch> found;
  CL_RETURN_IF_ERROR(store.Begin());
  for (const auto& a : rows) {
    if (a.meter_id.empty() || a.data_source == "meter" || a.data_source == "计量") continue;
    auto it = by_id.find(a.meter_id);
    if (it == by_id.end()) continue;
    auto start = ParseDate(a.period_start);
    auto end = ParseDate(a.period_end);
    if (!start.ok() || !end.ok() || static_cast<int>(start->year()) != year) continue;
    std::optional<double> bill = InMeterUnits(a, *it->second);
    if (!bill) continue;
    auto x = CheckBill(store, vee, *it->second, a, *start, *end, *bill);
    if (!x.ok()) {
      store.Rollback();
      return x.error();
    }
    if (*x) found.push_back(**x);
  }
  CL_RETURN_IF_ERROR(store.Commit());
  return found;
}

}  // namespace cl
