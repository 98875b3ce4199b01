// A meter's open chunk while a readings file is imported, where an instant
// falls in it (the chunk: a local day for sub-daily meters, a month for daily
// meters, a year for monthly meters; and the slot), and the VEE findings on a
// merged chunk (spikes, gaps, incomplete days). Private to the ingest
// library (readings_import.cpp).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "accounting/bounds.h"
#include "core/timezone.h"
#include "formats/vee_settings.h"
#include "model/records.h"
#include "store/chunk.h"

namespace cl::meter_chunks {

// No time yet (MeterState::last_ts).
constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

struct MeterState {
  MeterRecord rec;
  std::optional<TimeZone> tz;
  int interval_s = 0;  // 0 for daily and monthly meters
  // The open chunk.
  int32_t day = std::numeric_limits<int32_t>::min();  // chunk_day of the open chunk
  int64_t start = 0, end = 0;                         // its [start, end) in UTC seconds
  Chunk chunk;
  std::vector<int64_t> lines;  // source line per slot
  int out_of_order = 0;
  int64_t last_ts = kNoTime;  // the previous row's time in file order
  // Local-time cache: the local day [wall_start, wall_end) has a fixed offset.
  int64_t wall_start = 1, wall_end = 0, wall_offset = 0;
  // First and last stored chunk_day: chunks outside cannot exist yet.
  std::optional<std::pair<int32_t, int32_t>> stored;
  int32_t last_closed = std::numeric_limits<int32_t>::min();  // in file order
  std::set<int32_t> missing_days;  // days flagged missing_day in the store
  bool loaded = false;             // stored and missing_days read (Load)
  // The largest plausible reading (after the multiplier), in the meter's
  // unit, and the rule it comes from (data/bounds.csv); none: no bound.
  std::optional<Bound> bound;
};

// The chunk of an instant: a local day (sub-daily meters), month (daily
// meters) or year (monthly meters), and the slot within it.
struct Slotting {
  int32_t day;
  int64_t start, end;
  int slots;
};

Slotting ChunkOf(const MeterState& m, int64_t utc);

// The largest plausible reading of a meter, after its multiplier: its
// carrier's bound per hour (data/bounds.csv) over its interval (a register:
// over vee.register_years); none when no bound applies.
std::optional<Bound> ReadingBound(const MeterRecord& r, const VeeSettings& vee);

// The slot of `utc` in the chunk, or -1 when it is off the meter's grid.
int SlotOf(const MeterState& m, int64_t utc);

// The UTC instant of slot `s` of the chunk starting at local day `day`.
int64_t SlotTime(const MeterState& m, int32_t day, int64_t start, int s);

// An instant as ISO 8601 UTC text, for messages.
std::string Iso(int64_t utc);

// A reading above spike_factor x the mean of the chunk's other readings.
// The mean, not the median: a canteen's gas meter peaks at meal times
// over a base near zero, which is a shape, not a spike.
void SpikeFlags(const MeterState& m, const Chunk& c, const std::vector<double>& use,
                const VeeSettings& vee, int64_t batch_id, std::vector<FlagRecord>& flags);

// Gaps inside the chunk, and days under the completeness threshold; only
// the part of the chunk that is already past counts.
void CompletenessFlags(const MeterState& m, const Chunk& c, const VeeSettings& vee,
                       Instant now_instant, int64_t batch_id, std::vector<FlagRecord>& flags);

}  // namespace cl::meter_chunks
