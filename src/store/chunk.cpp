#include "store/chunk.h"

#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace cl {
namespace {

constexpr uint8_t kFormat = 1;
constexpr uint8_t kRawDoubles = 0xFF;
constexpr int kMaxDecimals = 6;
constexpr std::array<double, kMaxDecimals + 1> kPow10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

int VarintBytes(uint64_t v) { return v == 0 ? 1 : (static_cast<int>(std::bit_width(v)) + 6) / 7; }

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool Varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= b_.size()) return false;
      auto c = static_cast<uint8_t>(b_[pos_++]);
      v |= static_cast<uint64_t>(c & 0x7F) << shift;
      if (!(c & 0x80)) return true;
    }
    return false;
  }
  bool Byte(uint8_t& v) {
    if (pos_ >= b_.size()) return false;
    v = static_cast<uint8_t>(b_[pos_++]);
    return true;
  }
  bool Bytes(size_t n, std::string_view& out) {
    if (b_.size() - pos_ < n) return false;
    out = b_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == b_.size(); }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

// The fewest decimals that represent every value exactly, or -1.
int Decimals(const Chunk& c) {
  for (int d = 0; d <= kMaxDecimals; ++d) {
    bool ok = true;
    for (int i = 0; i < c.slots() && ok; ++i) {
      if (!c.present[i]) continue;
      double scaled = c.values[i] * kPow10[d];
      if (!(std::fabs(scaled) < 9.0e15)) return -1;
      double r = std::nearbyint(scaled);
      ok = r / kPow10[d] == c.values[i];
    }
    if (ok) return d;
  }
  return -1;
}

// Width w minimising n*w + the cost of exceptions (values needing more bits).
int BestWidth(const std::vector<uint64_t>& zz, size_t& exceptions) {
  std::array<int, 65> by_bits{};
  for (uint64_t v : zz) ++by_bits[std::bit_width(v)];
  size_t best_cost = std::numeric_limits<size_t>::max();
  int best = 64;
  for (int w = 0; w <= 64; ++w) {
    size_t cost = zz.size() * w;
    size_t n_exc = 0;
    for (int b = w + 1; b <= 64; ++b) {
      if (!by_bits[b]) continue;
      n_exc += by_bits[b];
      // index (~1 byte) + the high bits as a varint
      cost += by_bits[b] * (8 + 8 * static_cast<size_t>((b - w + 6) / 7));
    }
    cost += size_t{8} * VarintBytes(n_exc);
    if (cost < best_cost) {
      best_cost = cost;
      best = w;
      exceptions = n_exc;
    }
  }
  return best;
}

// Presence bitmap, only when some but not all slots hold a reading.
void PutPresence(std::string& out, const Chunk& c, int n) {
  if (n == 0 || n == c.slots()) return;
  std::string bitmap(static_cast<size_t>((c.slots() + 7) / 8), '\0');
  for (int i = 0; i < c.slots(); ++i)
    if (c.present[i]) bitmap[i / 8] = static_cast<char>(bitmap[i / 8] | (1 << (i % 8)));
  out += bitmap;
}

// Batch runs over present slots: count, then (batch, length) pairs.
void PutBatchRuns(std::string& out, const Chunk& c) {
  std::vector<std::pair<int64_t, uint64_t>> runs;
  for (int i = 0; i < c.slots(); ++i) {
    if (!c.present[i]) continue;
    if (!runs.empty() && runs.back().first == c.batch[i]) {
      ++runs.back().second;
    } else {
      runs.emplace_back(c.batch[i], 1);
    }
  }
  PutVarint(out, runs.size());
  for (auto& [b, len] : runs) {
    PutVarint(out, static_cast<uint64_t>(b));
    PutVarint(out, len);
  }
}

void PutRawValues(std::string& out, const Chunk& c) {
  out.push_back(static_cast<char>(kRawDoubles));
  for (int i = 0; i < c.slots(); ++i) {
    if (!c.present[i]) continue;
    char buf[8];
    std::memcpy(buf, &c.values[i], 8);
    out.append(buf, 8);
  }
}

// The present values scaled by 10^d: the first one, then zigzagged deltas.
struct ScaledDeltas {
  int64_t first = 0;
  std::vector<uint64_t> zz;
};

ScaledDeltas ScaleAndDelta(const Chunk& c, int d, int n) {
  ScaledDeltas out;
  out.zz.reserve(static_cast<size_t>(n));
  int64_t prev = 0;
  bool first = true;
  for (int i = 0; i < c.slots(); ++i) {
    if (!c.present[i]) continue;
    auto v = static_cast<int64_t>(std::nearbyint(c.values[i] * kPow10[d]));
    if (first) {
      out.first = v;
      first = false;
    } else {
      out.zz.push_back(ZigZag(v - prev));
    }
    prev = v;
  }
  return out;
}

// Appends bit fields LSB first, in little-endian 64-bit words; the last word
// only as far as its bytes hold bits.
class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}
  void Put(uint64_t low, int w) {
    for (int written = 0; written < w;) {
      int take = std::min(w - written, 64 - acc_bits_);
      uint64_t part = (low >> written) & (take == 64 ? ~uint64_t{0} : ((uint64_t{1} << take) - 1));
      acc_ |= part << acc_bits_;
      acc_bits_ += take;
      written += take;
      if (acc_bits_ == 64) {
        for (int k = 0; k < 8; ++k) out_.push_back(static_cast<char>((acc_ >> (8 * k)) & 0xFF));
        acc_ = 0;
        acc_bits_ = 0;
      }
    }
  }
  void Flush() {
    for (int k = 0; k * 8 < acc_bits_; ++k)
      out_.push_back(static_cast<char>((acc_ >> (8 * k)) & 0xFF));
  }

 private:
  std::string& out_;
  uint64_t acc_ = 0;
  int acc_bits_ = 0;
};

// Low w bits of every delta, LSB first.
void PutPackedLowBits(std::string& out, const std::vector<uint64_t>& zz, int w) {
  const uint64_t mask = w == 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1;
  BitWriter bits(out);
  for (uint64_t v : zz) bits.Put(v & mask, w);
  bits.Flush();
}

// The deltas wider than w: their count, then (gap from the previous one, high bits).
void PutExceptions(std::string& out, const std::vector<uint64_t>& zz, int w, size_t n_exc) {
  PutVarint(out, n_exc);
  uint64_t last_index = 0;
  for (size_t i = 0; i < zz.size(); ++i) {
    if (w < 64 && (zz[i] >> w) != 0) {
      PutVarint(out, i - last_index);  // gap from the previous exception
      last_index = i;
      PutVarint(out, zz[i] >> w);
    }
  }
}

void PutScaledValues(std::string& out, const Chunk& c, int d, int n) {
  out.push_back(static_cast<char>(d));
  const ScaledDeltas deltas = ScaleAndDelta(c, d, n);
  PutVarint(out, ZigZag(deltas.first));
  size_t n_exc = 0;
  const int w = deltas.zz.empty() ? 0 : BestWidth(deltas.zz, n_exc);
  out.push_back(static_cast<char>(w));
  PutPackedLowBits(out, deltas.zz, w);
  PutExceptions(out, deltas.zz, w, n_exc);
}

Error Corrupt(const char* what) {
  return {ErrorKind::kInternal, std::string("corrupt reading chunk: ") + what};
}

// Reads one encoded chunk section by section, in the order EncodeChunk writes them.
class ChunkDecoder {
 public:
  explicit ChunkDecoder(std::string_view bytes) : r_(bytes) {}

  Result<Chunk> Decode() {
    if (auto s = ReadCounts(); !s.ok()) return s.error();
    if (auto s = ReadPresence(); !s.ok()) return s.error();
    IndexPresent();
    if (auto s = ReadBatchRuns(); !s.ok()) return s.error();
    if (n_ == 0) {
      if (!r_.done()) return Corrupt("trailing bytes");
      return std::move(c_);
    }
    uint8_t d = 0;
    if (!r_.Byte(d)) return Corrupt("scale");
    auto s = d == kRawDoubles ? ReadRawValues() : ReadScaledValues(d);
    if (!s.ok()) return s.error();
    return std::move(c_);
  }

 private:
  Status ReadCounts() {
    uint8_t format = 0;
    if (!r_.Byte(format) || format != kFormat) return Corrupt("unknown format");
    if (!r_.Varint(slots_) || slots_ > 100000) return Corrupt("slot count");
    if (!r_.Varint(n_) || n_ > slots_) return Corrupt("reading count");
    c_ = Chunk(static_cast<int>(slots_));
    return Ok{};
  }

  Status ReadPresence() {
    if (n_ == slots_) {
      std::fill(c_.present.begin(), c_.present.end(), 1);
      return Ok{};
    }
    if (n_ == 0) return Ok{};
    std::string_view bitmap;
    if (!r_.Bytes((slots_ + 7) / 8, bitmap)) return Corrupt("bitmap");
    uint64_t seen = 0;
    for (uint64_t i = 0; i < slots_; ++i) {
      c_.present[i] = (static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1;
      seen += c_.present[i];
    }
    if (seen != n_) return Corrupt("bitmap count");
    return Ok{};
  }

  void IndexPresent() {
    idx_.reserve(n_);
    for (uint64_t i = 0; i < slots_; ++i)
      if (c_.present[i]) idx_.push_back(static_cast<int>(i));
  }

  Status ReadBatchRuns() {
    uint64_t nruns = 0;
    if (!r_.Varint(nruns) || nruns > n_) return Corrupt("batch runs");
    uint64_t pos = 0;
    for (uint64_t k = 0; k < nruns; ++k) {
      uint64_t b = 0;
      uint64_t len = 0;
      if (!r_.Varint(b) || !r_.Varint(len) || len > n_ - pos) return Corrupt("batch run");
      for (uint64_t j = 0; j < len; ++j) c_.batch[idx_[pos + j]] = static_cast<int64_t>(b);
      pos += len;
    }
    if (pos != n_) return Corrupt("batch runs do not cover the readings");
    return Ok{};
  }

  Status ReadRawValues() {
    for (uint64_t i = 0; i < n_; ++i) {
      std::string_view raw;
      if (!r_.Bytes(8, raw)) return Corrupt("raw value");
      std::memcpy(&c_.values[idx_[i]], raw.data(), 8);
    }
    if (!r_.done()) return Corrupt("trailing bytes");
    return Ok{};
  }

  Status ReadScaledValues(uint8_t d) {
    if (d > kMaxDecimals) return Corrupt("scale");
    uint64_t first = 0;
    if (!r_.Varint(first)) return Corrupt("first value");
    uint8_t w = 0;
    if (!r_.Byte(w) || w > 64) return Corrupt("width");
    std::vector<uint64_t> zz(n_ - 1, 0);
    if (auto s = ReadPackedLowBits(w, zz); !s.ok()) return s;
    if (auto s = ReadExceptions(w, zz); !s.ok()) return s;
    if (!r_.done()) return Corrupt("trailing bytes");
    Undelta(first, d, zz);
    return Ok{};
  }

  Status ReadPackedLowBits(uint8_t w, std::vector<uint64_t>& zz) {
    const uint64_t m = zz.size();
    std::string_view packed;
    if (!r_.Bytes((m * w + 7) / 8, packed)) return Corrupt("packed deltas");
    uint64_t bitpos = 0;
    for (uint64_t i = 0; i < m; ++i) {
      uint64_t v = 0;
      for (int b = 0; b < w; ++b, ++bitpos) {
        if ((static_cast<uint8_t>(packed[bitpos / 8]) >> (bitpos % 8)) & 1) v |= uint64_t{1} << b;
      }
      zz[i] = v;
    }
    return Ok{};
  }

  Status ReadExceptions(uint8_t w, std::vector<uint64_t>& zz) {
    const uint64_t m = zz.size();
    uint64_t n_exc = 0;
    if (!r_.Varint(n_exc) || n_exc > m) return Corrupt("exception count");
    uint64_t at = 0;
    for (uint64_t k = 0; k < n_exc; ++k) {
      uint64_t gap = 0;
      uint64_t high = 0;
      if (!r_.Varint(gap) || !r_.Varint(high)) return Corrupt("exception");
      at += gap;
      if (at >= m || w >= 64) return Corrupt("exception index");
      zz[at] |= high << w;
    }
    return Ok{};
  }

  void Undelta(uint64_t first, uint8_t d, const std::vector<uint64_t>& zz) {
    // Unsigned sums wrap instead of overflowing on corrupt input.
    auto v = static_cast<uint64_t>(UnZigZag(first));
    c_.values[idx_[0]] = static_cast<double>(static_cast<int64_t>(v)) / kPow10[d];
    for (uint64_t i = 0; i < zz.size(); ++i) {
      v += static_cast<uint64_t>(UnZigZag(zz[i]));
      c_.values[idx_[i + 1]] = static_cast<double>(static_cast<int64_t>(v)) / kPow10[d];
    }
  }

  Reader r_;
  uint64_t slots_ = 0;
  uint64_t n_ = 0;
  Chunk c_;
  std::vector<int> idx_;  // the present slots, in order
};

}  // namespace

int Chunk::count() const {
  int n = 0;
  for (uint8_t p : present) n += p;
  return n;
}

std::string EncodeChunk(const Chunk& c) {
  std::string out;
  out.reserve(16 + static_cast<size_t>(c.slots()) * 2);
  out.push_back(static_cast<char>(kFormat));
  PutVarint(out, static_cast<uint64_t>(c.slots()));
  const int n = c.count();
  PutVarint(out, static_cast<uint64_t>(n));
  PutPresence(out, c, n);
  PutBatchRuns(out, c);
  if (n == 0) return out;
  const int d = Decimals(c);
  if (d < 0) {
    PutRawValues(out, c);
  } else {
    PutScaledValues(out, c, d, n);
  }
  return out;
}

Result<Chunk> DecodeChunk(std::string_view bytes) { return ChunkDecoder(bytes).Decode(); }

}  // namespace cl
