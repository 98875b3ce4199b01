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
    cost += 8 * VarintBytes(n_exc);
    if (cost < best_cost) {
      best_cost = cost;
      best = w;
      exceptions = n_exc;
    }
  }
  return best;
}

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
  if (n != 0 && n != c.slots()) {
    std::string bitmap(static_cast<size_t>((c.slots() + 7) / 8), '\0');
    for (int i = 0; i < c.slots(); ++i)
      if (c.present[i]) bitmap[i / 8] = static_cast<char>(bitmap[i / 8] | (1 << (i % 8)));
    out += bitmap;
  }
  // Batch runs over present slots.
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
  if (n == 0) return out;

  const int d = Decimals(c);
  if (d < 0) {
    out.push_back(static_cast<char>(kRawDoubles));
    for (int i = 0; i < c.slots(); ++i) {
      if (!c.present[i]) continue;
      char buf[8];
      std::memcpy(buf, &c.values[i], 8);
      out.append(buf, 8);
    }
    return out;
  }
  out.push_back(static_cast<char>(d));
  std::vector<uint64_t> zz;
  zz.reserve(static_cast<size_t>(n));
  int64_t prev = 0;
  bool first = true;
  for (int i = 0; i < c.slots(); ++i) {
    if (!c.present[i]) continue;
    auto v = static_cast<int64_t>(std::nearbyint(c.values[i] * kPow10[d]));
    if (first) {
      PutVarint(out, ZigZag(v));
      first = false;
    } else {
      zz.push_back(ZigZag(v - prev));
    }
    prev = v;
  }
  size_t n_exc = 0;
  const int w = zz.empty() ? 0 : BestWidth(zz, n_exc);
  out.push_back(static_cast<char>(w));
  // Low w bits of every delta, LSB first.
  const uint64_t mask = w == 64 ? ~uint64_t{0} : (uint64_t{1} << w) - 1;
  uint64_t acc = 0;
  int acc_bits = 0;
  for (uint64_t v : zz) {
    uint64_t low = v & mask;
    for (int written = 0; written < w;) {
      int take = std::min(w - written, 64 - acc_bits);
      uint64_t part = (low >> written) & (take == 64 ? ~uint64_t{0} : ((uint64_t{1} << take) - 1));
      acc |= part << acc_bits;
      acc_bits += take;
      written += take;
      if (acc_bits == 64) {
        for (int k = 0; k < 8; ++k) out.push_back(static_cast<char>((acc >> (8 * k)) & 0xFF));
        acc = 0;
        acc_bits = 0;
      }
    }
  }
  for (int k = 0; k * 8 < acc_bits; ++k) out.push_back(static_cast<char>((acc >> (8 * k)) & 0xFF));
  PutVarint(out, n_exc);
  uint64_t last_index = 0;
  for (size_t i = 0; i < zz.size(); ++i) {
    if (w < 64 && (zz[i] >> w) != 0) {
      PutVarint(out, i - last_index);  // gap from the previous exception
      last_index = i;
      PutVarint(out, zz[i] >> w);
    }
  }
  return out;
}

Result<Chunk> DecodeChunk(std::string_view bytes) {
  auto corrupt = [](const char* what) {
    return Error::Internal(std::string("corrupt reading chunk: ") + what);
  };
  Reader r(bytes);
  uint8_t format = 0;
  if (!r.Byte(format) || format != kFormat) return corrupt("unknown format");
  uint64_t slots = 0, n = 0;
  if (!r.Varint(slots) || slots > 100000) return corrupt("slot count");
  if (!r.Varint(n) || n > slots) return corrupt("reading count");
  Chunk c(static_cast<int>(slots));
  if (n == slots) {
    std::fill(c.present.begin(), c.present.end(), 1);
  } else if (n != 0) {
    std::string_view bitmap;
    if (!r.Bytes((slots + 7) / 8, bitmap)) return corrupt("bitmap");
    uint64_t seen = 0;
    for (uint64_t i = 0; i < slots; ++i) {
      c.present[i] = (static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1;
      seen += c.present[i];
    }
    if (seen != n) return corrupt("bitmap count");
  }
  std::vector<int> idx;
  idx.reserve(n);
  for (uint64_t i = 0; i < slots; ++i)
    if (c.present[i]) idx.push_back(static_cast<int>(i));
  uint64_t nruns = 0;
  if (!r.Varint(nruns) || nruns > n) return corrupt("batch runs");
  uint64_t pos = 0;
  for (uint64_t k = 0; k < nruns; ++k) {
    uint64_t b = 0, len = 0;
    if (!r.Varint(b) || !r.Varint(len) || len > n - pos) return corrupt("batch run");
    for (uint64_t j = 0; j < len; ++j) c.batch[idx[pos + j]] = static_cast<int64_t>(b);
    pos += len;
  }
  if (pos != n) return corrupt("batch runs do not cover the readings");
  if (n == 0) {
    if (!r.done()) return corrupt("trailing bytes");
    return c;
  }
  uint8_t d = 0;
  if (!r.Byte(d)) return corrupt("scale");
  if (d == kRawDoubles) {
    for (uint64_t i = 0; i < n; ++i) {
      std::string_view raw;
      if (!r.Bytes(8, raw)) return corrupt("raw value");
      std::memcpy(&c.values[idx[i]], raw.data(), 8);
    }
    if (!r.done()) return corrupt("trailing bytes");
    return c;
  }
  if (d > kMaxDecimals) return corrupt("scale");
  uint64_t first = 0;
  if (!r.Varint(first)) return corrupt("first value");
  uint8_t w = 0;
  if (!r.Byte(w) || w > 64) return corrupt("width");
  const uint64_t m = n - 1;
  std::string_view packed;
  if (!r.Bytes((m * w + 7) / 8, packed)) return corrupt("packed deltas");
  std::vector<uint64_t> zz(m, 0);
  uint64_t bitpos = 0;
  for (uint64_t i = 0; i < m; ++i) {
    uint64_t v = 0;
    for (int b = 0; b < w; ++b, ++bitpos) {
      if ((static_cast<uint8_t>(packed[bitpos / 8]) >> (bitpos % 8)) & 1) v |= uint64_t{1} << b;
    }
    zz[i] = v;
  }
  uint64_t n_exc = 0;
  if (!r.Varint(n_exc) || n_exc > m) return corrupt("exception count");
  uint64_t at = 0;
  for (uint64_t k = 0; k < n_exc; ++k) {
    uint64_t gap = 0, high = 0;
    if (!r.Varint(gap) || !r.Varint(high)) return corrupt("exception");
    at += gap;
    if (at >= m || w >= 64) return corrupt("exception index");
    zz[at] |= high << w;
  }
  if (!r.done()) return corrupt("trailing bytes");
  // Unsigned sums wrap instead of overflowing on corrupt input.
  auto v = static_cast<uint64_t>(UnZigZag(first));
  c.values[idx[0]] = static_cast<double>(static_cast<int64_t>(v)) / kPow10[d];
  for (uint64_t i = 0; i < m; ++i) {
    v += static_cast<uint64_t>(UnZigZag(zz[i]));
    c.values[idx[i + 1]] = static_cast<double>(static_cast<int64_t>(v)) / kPow10[d];
  }
  return c;
}

}  // namespace cl
