// Data changed under an inventory past draft (issue 14, item 8): an
// inventory that was submitted, verified or published is computed again from
// the store's current data with its own pins and methodology; when that
// differs from its stored document, the reader is told how (totals and
// lines, stored against now), which import batches changed it (their audit
// records, written by the store when a batch commits) and how to restate it.
// Never silent, never a change in place: the stored document stays as it was.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

#include "formats/vee_settings.h"
#include "model/records.h"
#include "refdata/reference_store.h"

namespace cl {

class Store;  // store/store.h

// The audit action the store writes on an inventory past draft when an
// import batch changes data of its unit and year.
inline constexpr const char* kDataChangedAction = "data_changed_under_inventory";

// The differences between a stored inventory document and the same
// inventory computed now (both carbonledger.inventory/1 of one unit):
//   {"totals": [{field, unit, stored, now, difference}],
//    "lines":  [{activity, site_id, period_start, period_end, unit_of_measure,
//                data_source, meter?, change: "revised"|"added"|"removed",
//                quantity|energy_tce|tco2e: {stored, now, difference}}]}
// (difference = now − stored; a side without the line is null), or nothing
// when the two units are equal. Lines are matched by what they are
// (activity, site, period, source, meter), not by their position.
std::optional<nlohmann::json> DocumentDifference(const nlohmann::json& stored,
                                                 const nlohmann::json& now);

// The "data_changed" block of an inventory (`inv` with its document): null
// for a draft or when its data did not change; otherwise the difference
// above with "since" ("submission", "verification" or "publication": the
// status it is in), "batches" (the import batches the audit log names, with
// the periods they touched) and "restatement" (the correction that restates
// it). An inventory that can no longer be computed from the store (its input
// now has an error) is reported as changed, with the error in "recompute_error".
// Fails only when the store fails.
Result<nlohmann::json> DataChangedUnder(Store& store, const ReferenceData& data,
                                        const VeeSettings& vee, const InventoryRecord& inv);

// DataChangedUnder kept per inventory while the store's audit head stays
// where it was when it was computed: every import moves the head, so a kept
// answer is never stale, and a read costs one row (the head) instead of a
// whole computation. Thread-safe; shared by the server's requests. When
// full, it starts again.
class DataChangeCache {
 public:
  explicit DataChangeCache(size_t max_entries) : max_entries_(max_entries) {}

  // The block of the inventory `head` (its document apart: not copied
  // unless it must be computed), computed or kept.
  Result<std::shared_ptr<const nlohmann::json>> Check(Store& store, const ReferenceData& data,
                                                      const VeeSettings& vee,
                                                      const InventoryRecord& head,
                                                      const std::string& document);
  // Computations done (misses), for tests and metrics.
  int64_t computed() const;

 private:
  struct Entry {
    int64_t head = 0;
    std::shared_ptr<const nlohmann::json> block;
  };
  const size_t max_entries_;
  mutable std::mutex mu_;                       // guards entries_ and computed_
  std::unordered_map<int64_t, Entry> entries_;  // inventory id -> its block
  int64_t computed_ = 0;
};

}  // namespace cl
