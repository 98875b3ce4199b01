#include "store/chunk.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace cl {
namespace {

void ExpectRoundTrip(const Chunk& c) {
  auto d = DecodeChunk(EncodeChunk(c));
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  ASSERT_EQ(d->slots(), c.slots());
  for (int i = 0; i < c.slots(); ++i) {
    ASSERT_EQ(d->present[i], c.present[i]) << i;
    if (!c.present[i]) continue;
    ASSERT_EQ(d->values[i], c.values[i]) << i;  // exact, never rounded
    ASSERT_EQ(d->batch[i], c.batch[i]) << i;
  }
}

TEST(ChunkTest, RoundTripsExactlyWithGapsBatchesAndRawDoubles) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0, 500);
  for (int trial = 0; trial < 300; ++trial) {
    int slots = 1 + static_cast<int>(rng() % 100);
    Chunk c(slots);
    int decimals = static_cast<int>(rng() % 9);  // 7 and 8 force raw doubles
    for (int i = 0; i < slots; ++i) {
      c.present[i] = (rng() % 5) != 0;
      double scale = std::pow(10.0, decimals);
      c.values[i] = std::round(u(rng) * scale) / scale * ((rng() % 7) == 0 ? -1 : 1);
      c.batch[i] = 1 + static_cast<int64_t>(rng() % 3);
    }
    ExpectRoundTrip(c);
  }
  Chunk empty(96);
  ExpectRoundTrip(empty);
  Chunk huge(3);
  huge.present = {1, 1, 1};
  huge.values = {1e300, -1e-300, 0.1 + 0.2};
  ExpectRoundTrip(huge);
}

// A realistic 15-minute day: an office meter at 0.01 kWh resolution with
// a daytime plateau and noise takes well under 2 bytes a reading.
TEST(ChunkTest, RealisticDayIsCompact) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 0.6);
  Chunk c(96);
  for (int i = 0; i < 96; ++i) {
    double base = (i >= 32 && i < 76) ? 42.0 : 9.0;
    c.values[i] = std::round((base + noise(rng)) * 100) / 100;
    c.present[i] = 1;
    c.batch[i] = 12345;
  }
  std::string bytes = EncodeChunk(c);
  EXPECT_LT(bytes.size(), 96u * 1.5) << bytes.size();
  ExpectRoundTrip(c);
}

TEST(ChunkTest, RejectsCorruptBytesWithoutCrashing) {
  Chunk c(4);
  c.present = {1, 1, 0, 1};
  c.values = {1, 2, 0, 3};
  c.batch = {1, 1, 0, 1};
  std::string ok = EncodeChunk(c);
  for (size_t cut = 0; cut < ok.size(); ++cut) EXPECT_FALSE(DecodeChunk(ok.substr(0, cut)).ok());
  EXPECT_FALSE(DecodeChunk(ok + "x").ok());
  EXPECT_FALSE(DecodeChunk("\x02").ok());
}

}  // namespace
}  // namespace cl
