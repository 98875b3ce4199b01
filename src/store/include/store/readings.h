// Meter readings: compressed chunks (one per meter and day or month), their totals,
// month totals, revisions of replaced readings and data-quality findings.
//
// Part of the store (store.h): obtained from Store::Readings(), valid as long as
// the Store it came from, on that Store's connection, so it follows the
// Store's thread rule: one thread at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

// Totals of one chunk without its readings (for roll-ups).
struct ChunkTotal {
  int64_t meter_no = 0;
  int32_t chunk_day = 0;
  int32_t count = 0;
  double total = 0;
};

// Consumption per meter and local month (year * 12 + month - 1), kept
// beside the chunks by the importer in the same transaction, so that
// monthly and yearly roll-ups read one row per meter-month.
struct MonthTotal {
  int64_t unit_no = 0;
  int64_t meter_no = 0;
  int32_t month = 0;
  int64_t count = 0;
  double total = 0;
};

class ReadingsRepository {
 public:
  virtual ~ReadingsRepository() = default;

  // Reading chunks.
  virtual Result<std::optional<StoredChunk>> GetChunk(int64_t unit_no, int64_t meter_no,
                                                      int32_t chunk_day) = 0;
  virtual Status PutChunk(const StoredChunk& chunk) = 0;
  // The first and last chunk_day stored for a meter (nothing when it has none);
  // lets an import skip looking up chunks that cannot exist.
  virtual Result<std::optional<std::pair<int32_t, int32_t>>> ChunkRange(int64_t unit_no,
                                                                        int64_t meter_no) = 0;
  // Chunks of one meter with from_day <= chunk_day <= to_day, in day order.
  virtual Status ScanChunks(int64_t unit_no, int64_t meter_no, int32_t from_day, int32_t to_day,
                            const std::function<void(const StoredChunk&)>& f) = 0;
  // Totals of every chunk with from_day <= chunk_day <= to_day, ordered by
  // meter then day.
  virtual Status ScanTotals(int32_t from_day, int32_t to_day,
                            const std::function<void(const ChunkTotal&)>& f) = 0;

  // Consumption per meter and local month (year * 12 + month - 1), kept
  // beside the chunks by the importer in the same transaction, so that
  // monthly and yearly roll-ups read one row per meter-month. Deltas add to
  // what is stored.
  virtual Status AddMonthTotals(const std::vector<MonthTotal>& deltas) = 0;
  // Replaces the stored month totals with these (the importer recounts a
  // month from its chunks, so that a total once poisoned by a number beyond
  // bounds is made right by the revision that corrects it).
  virtual Status SetMonthTotals(const std::vector<MonthTotal>& totals) = 0;
  // Month totals with from_month <= month <= to_month, by meter then month.
  virtual Status ScanMonthTotals(int32_t from_month, int32_t to_month,
                                 const std::function<void(const MonthTotal&)>& f) = 0;

  // History of replaced readings; data-quality findings.
  virtual Status AddRevisions(const std::vector<RevisionRecord>& revisions) = 0;
  virtual Result<std::vector<RevisionRecord>> ListRevisions(int64_t meter_no) = 0;
  // Replaces the chunk-level findings (slot -1 and the given kinds) of one
  // chunk; row-level findings are appended with AddFlags.
  virtual Status ReplaceChunkFlags(int64_t meter_no, int32_t chunk_day,
                                   const std::vector<std::string>& kinds,
                                   const std::vector<FlagRecord>& flags) = 0;
  virtual Status AddFlags(const std::vector<FlagRecord>& flags) = 0;
  virtual Result<std::vector<FlagRecord>> ListFlags(int64_t meter_no, int32_t from_day,
                                                    int32_t to_day) = 0;
  // The days of one meter that carry a finding of `kind`.
  virtual Result<std::vector<int32_t>> FlagDays(int64_t meter_no, const std::string& kind) = 0;
};

}  // namespace cl
