// Everything a write may leave in a store, read back through its public
// interface: batches, audit entries, chunk and month totals, flags,
// revisions, activity records, meters and sites. Two traces are equal when a
// failed operation left nothing behind (tests of FailingStore faults).
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "store/store.h"

namespace cl::testing {

struct StoreTrace {
  std::vector<int64_t> batches;
  std::vector<std::string> audit;  // each entry's hash
  std::vector<std::tuple<int64_t, int32_t, int32_t, double>> chunks;
  std::vector<std::tuple<int64_t, int32_t, int64_t, double>> months;
  std::vector<std::vector<FlagRecord>> flags;  // per meter
  std::vector<size_t> revisions;               // per meter
  std::vector<std::string> activities;         // key and quantity
  std::vector<std::string> registry;           // meters and sites
  std::string error;                           // a read that failed

  bool operator==(const StoreTrace&) const = default;
};

inline StoreTrace TraceOf(Store& s) {
  StoreTrace t;
  auto fail = [&](const Error& e) {
    t.error = e.ToString();
    return t;
  };
  auto batches = s.Imports().ListBatches();
  if (!batches.ok()) return fail(batches.error());
  for (const auto& b : *batches) t.batches.push_back(b.id);
  auto audit = s.Audit().ListAudit(0, 1'000'000);
  if (!audit.ok()) return fail(audit.error());
  for (const auto& e : *audit) t.audit.push_back(e.hash);
  auto st = s.Readings().ScanTotals(0, 1'000'000, [&](const ChunkTotal& c) {
    t.chunks.emplace_back(c.meter_no, c.chunk_day, c.count, c.total);
  });
  if (!st.ok()) return fail(st.error());
  st = s.Readings().ScanMonthTotals(0, 1'000'000, [&](const MonthTotal& m) {
    t.months.emplace_back(m.meter_no, m.month, m.count, m.total);
  });
  if (!st.ok()) return fail(st.error());
  auto meters = s.Registry().ListMeters();
  if (!meters.ok()) return fail(meters.error());
  for (const auto& m : *meters) {
    auto flags = s.Readings().ListFlags(m.meter_no, 0, 1'000'000);
    auto revisions = s.Readings().ListRevisions(m.meter_no);
    if (!flags.ok()) return fail(flags.error());
    if (!revisions.ok()) return fail(revisions.error());
    t.flags.push_back(*flags);
    t.revisions.push_back(revisions->size());
    t.registry.push_back(m.id + "|" + m.site_id + "|" + MeterIntervalName(m.interval));
  }
  auto sites = s.Registry().ListSites();
  if (!sites.ok()) return fail(sites.error());
  for (const auto& site : *sites)
    t.registry.push_back(site.unit_id + "/" + site.id + "|" + site.name);
  auto activities = s.Activities().ListActivities("");
  if (!activities.ok()) return fail(activities.error());
  for (const auto& a : *activities)
    t.activities.push_back(a.Key() + "|" + std::to_string(a.quantity));
  return t;
}

}  // namespace cl::testing
