#include "inventory/store_bridge.h"

#include <algorithm>
#include <set>

#include "formats/templates.h"
#include "metering/calendar.h"
#include "metering/metering.h"
#include "store/store.h"

namespace cl {

using namespace metering;  // NOLINT(google-build-using-namespace): the calendar helpers

namespace {

// The registered units as the engine's reporting units, named as lines of
// "store:units" (an inventory's provenance names them so).
std::vector<ReportingUnit> UnitsOf(const std::vector<UnitRecord>& units,
                                   const std::string& unit_id) {
  std::vector<ReportingUnit> out;
  for (const auto& u : units) {
    if (!unit_id.empty() && u.id != unit_id) continue;
    ReportingUnit r = ReportingUnitOf(u);
    r.source_file = "store:units";
    r.line = static_cast<int>(out.size()) + 2;
    out.push_back(std::move(r));
  }
  return out;
}

// What records already cover, month by month: a named meter, or every
// meter of a carrier at a site (all sites when the record has none).
struct Coverage {
  std::set<std::tuple<std::string, int>> meter_months;
  std::set<std::tuple<std::string, std::string, std::string, int>> scope_months;

  void Add(const ActivityRow& a, Date start, Date end) {
    std::string carrier = a.activity.substr(0, a.activity.find(':'));
    for (int mi = MonthIndex(start); mi <= MonthIndex(end); ++mi) {
      if (!a.meter_id.empty()) {
        meter_months.insert({a.meter_id, mi});
      } else {
        scope_months.insert({a.unit_id, a.site_id, carrier, mi});
      }
    }
  }

  bool Covers(const MeterRecord& m, int month) const {
    return meter_months.contains({m.id, month}) ||
           scope_months.contains({m.unit_id, "", m.carrier, month}) ||
           scope_months.contains({m.unit_id, m.site_id, m.carrier, month});
  }
};

// The record standing for a meter's month of readings.
ActivityRow MeterMonthRow(const MeterRecord& m, int month, const Cell& c) {
  Date first = year_month_day(std::chrono::year(month / 12) /
                              std::chrono::month(static_cast<unsigned>(month % 12 + 1)) / 1);
  Date last =
      year_month_day(std::chrono::year(month / 12) /
                     std::chrono::month(static_cast<unsigned>(month % 12 + 1)) / std::chrono::last);
  ActivityRow a;
  a.unit_id = m.unit_id;
  a.site_id = m.site_id;
  a.activity = m.carrier;
  a.quantity = c.quantity;
  a.unit_of_measure = m.unit_of_measure;
  a.period_start = FormatDate(first);
  a.period_end = FormatDate(last);
  a.data_source = "meter";
  a.note = "sum of " + std::to_string(c.readings) + " readings of meter " + m.id;
  a.meter_id = m.id;
  return a;
}

// Each meter's months that no record covers, as records, in month order.
void AddMeterMonths(const std::vector<MeterRecord>& meters, const MeterCells& cells,
                    const Coverage& coverage, StoreInput& in) {
  for (const auto& m : meters) {
    auto it = cells.find(m.meter_no);
    if (it == cells.end()) continue;
    std::vector<std::pair<int64_t, Cell>> months(it->second.begin(), it->second.end());
    std::sort(months.begin(), months.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [mi, c] : months) {
      int month = static_cast<int>(mi);
      if (coverage.Covers(m, month)) {
        ++in.skipped_months;
        continue;
      }
      in.rows.push_back(MeterMonthRow(m, month, c));
      ++in.meter_months;
    }
  }
}

}  // namespace

Result<StoreInput> BuildStoreInput(Store& store, const VeeSettings& vee, int year,
                                   const std::string& unit_id) {
  StoreInput in;
  auto units = store.Registry().ListUnits();
  if (!units.ok()) return units.error();
  in.units = UnitsOf(*units, unit_id);
  auto rows = store.Activities().ListActivities(unit_id);
  if (!rows.ok()) return rows.error();
  const Date year_start = year_month_day(std::chrono::year(year) / 1 / 1);
  const Date year_end = year_month_day(std::chrono::year(year) / 12 / 31);
  Coverage coverage;
  for (const auto& a : *rows) {
    auto s = ParseDate(a.period_start);
    auto e = ParseDate(a.period_end);
    if (!s.ok() || !e.ok() || *s < year_start || year_end < *e) continue;
    coverage.Add(a, *s, *e);
    in.rows.push_back(a);
  }
  auto meters = store.Registry().ListMeters();
  if (!meters.ok()) return meters.error();
  if (!unit_id.empty())
    std::erase_if(*meters, [&](const MeterRecord& m) { return m.unit_id != unit_id; });
  MeterCells cells;
  if (auto st =
          AccumulateMeters(store, vee, *meters, RollupGrain::kMonth, year_start, year_end, cells);
      !st.ok())
    return st.error();
  AddMeterMonths(*meters, cells, coverage, in);
  return in;
}

}  // namespace cl
