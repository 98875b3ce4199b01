// Compact storage of meter readings: one chunk per meter per chunk period
// (a local day for meters of 1 to 60 minutes, a local month for daily meters,
// a local year for monthly meters), never one row per reading.
//
// Encoding (docs/store.md): values are scaled to integers at the fewest
// decimals (0-6) that keep every value exact, delta-coded, zigzagged and
// bit-packed at the width that minimises the chunk's size, with larger deltas
// patched in as exceptions (PFOR). Which batch wrote each slot is kept as
// runs. Values that are not decimals of at most 6 places are stored as raw
// doubles, so nothing is ever rounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cl {

struct Chunk {
  explicit Chunk(int slots = 0) : values(slots, 0.0), present(slots, 0), batch(slots, 0) {}
  std::vector<double> values;    // per slot; 0 where absent
  std::vector<uint8_t> present;  // 1 where a reading is stored
  std::vector<int64_t> batch;    // the import batch that wrote each present slot

  int slots() const { return static_cast<int>(values.size()); }
  int count() const;
};

std::string EncodeChunk(const Chunk& chunk);
Result<Chunk> DecodeChunk(std::string_view bytes);

}  // namespace cl
