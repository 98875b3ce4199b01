// Counters for /metrics in the Prometheus text format: requests by route and
// status class, a latency histogram per route, readings ingested and rows
// rejected. Lock-free: handlers on many threads add to atomics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cl {

class Metrics {
 public:
  // Upper bounds of the latency buckets, seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    5};
  // One series per route (by operation name); "other" collects the rest.
  void SetRoutes(const std::vector<std::string>& operations);
  void Observe(int route, int status, double seconds);
  void AddIngest(int64_t readings, int64_t rejected) {
    readings_.fetch_add(readings, std::memory_order_relaxed);
    rejects_.fetch_add(rejected, std::memory_order_relaxed);
  }
  void SetInFlight(int64_t delta) { in_flight_.fetch_add(delta, std::memory_order_relaxed); }
  std::string Render() const;

 private:
  struct Series {
    std::string operation;
    std::array<std::atomic<uint64_t>, 5> by_class{};  // 1xx..5xx
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> micros{0};
  };
  std::vector<std::unique_ptr<Series>> series_;
  std::atomic<int64_t> readings_{0};
  std::atomic<int64_t> rejects_{0};
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace cl
