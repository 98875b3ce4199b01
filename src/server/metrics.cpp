#include "server/metrics.h"

#include <fmt/format.h>

namespace cl {

void Metrics::SetRoutes(const std::vector<std::string>& operations) {
  series_.clear();
  for (const auto& op : operations) {
    series_.push_back(std::make_unique<Series>());
    series_.back()->operation = op;
  }
  series_.push_back(std::make_unique<Series>());
  series_.back()->operation = "other";
}

void Metrics::Observe(int route, int status, double seconds) {
  if (series_.empty()) return;
  size_t i = route >= 0 && static_cast<size_t>(route) < series_.size() - 1
                 ? static_cast<size_t>(route)
                 : series_.size() - 1;
  Series& s = *series_[i];
  int cls = status / 100 - 1;
  if (cls >= 0 && cls < 5)
    s.by_class[static_cast<size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.micros.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  out +=
      "# HELP carbonledger_http_requests_total HTTP requests by route and status class.\n"
      "# TYPE carbonledger_http_requests_total counter\n";
  static const char* kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  for (const auto& s : series_)
    for (size_t c = 0; c < 5; ++c) {
      uint64_t n = s->by_class[c].load(std::memory_order_relaxed);
      if (n)
        out += fmt::format("carbonledger_http_requests_total{{route=\"{}\",code=\"{}\"}} {}\n",
                           s->operation, kClasses[c], n);
    }
  out +=
      "# HELP carbonledger_http_request_duration_seconds Time to answer a request.\n"
      "# TYPE carbonledger_http_request_duration_seconds histogram\n";
  for (const auto& s : series_) {
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) cumulative += s->buckets[b].load();
    if (cumulative == 0) continue;
    uint64_t running = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      running += s->buckets[b].load(std::memory_order_relaxed);
      out += fmt::format(
          "carbonledger_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
          s->operation, kBuckets[b], running);
    }
    out += fmt::format(
        "carbonledger_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
        s->operation, cumulative);
    out += fmt::format("carbonledger_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                       s->operation, static_cast<double>(s->micros.load()) / 1e6);
    out += fmt::format("carbonledger_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                       s->operation, cumulative);
  }
  out += fmt::format(
      "# HELP carbonledger_ingest_readings_total Readings accepted through the API.\n"
      "# TYPE carbonledger_ingest_readings_total counter\n"
      "carbonledger_ingest_readings_total {}\n"
      "# HELP carbonledger_ingest_rejects_total Rows rejected by API imports.\n"
      "# TYPE carbonledger_ingest_rejects_total counter\n"
      "carbonledger_ingest_rejects_total {}\n"
      "# HELP carbonledger_http_requests_in_flight Requests being answered.\n"
      "# TYPE carbonledger_http_requests_in_flight gauge\n"
      "carbonledger_http_requests_in_flight {}\n",
      readings_.load(), rejects_.load(), in_flight_.load());
  return out;
}

}  // namespace cl
