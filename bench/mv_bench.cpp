// CalTRACK daily baseline fits: N meters × 2 years of daily usage against one
// hourly temperature series, full pipeline (data preparation, 2 014 candidate
// models, selection, metrics). Baseline: the same candidates fitted the
// obvious way, one QR least-squares solve per candidate on the design matrix.
//
//   build/release/bench/mv_bench --benchmark_filter=10000
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <thread>

#include "mv/least_squares.h"
#include "mv_runs/mv_service.h"

namespace cl {
namespace {

using std::chrono::hours;

const Instant kStart(std::chrono::sys_days(std::chrono::year(2022) / 1 / 1));
const Instant kEnd = kStart + hours(24 * 365);

const MvSettings& Settings() {
  static MvSettings s = [] {
    Result<MvSettings> r = LoadMvSettings(CL_SOURCE_DATA_DIR);
    if (!r.ok()) {
      fprintf(stderr, "%s\n", r.error().ToString().c_str());
      std::abort();
    }
    return *r;
  }();
  return s;
}

const mv::TemperatureSeries& Temperatures() {
  static mv::TemperatureSeries t = [] {
    mv::TemperatureSeries s;
    std::mt19937 rng(1);
    std::normal_distribution<double> noise(0, 3);
    for (int h = 0; h < 24 * 731; ++h) {
      s.time.push_back(kStart + hours(h));
      s.fahrenheit.push_back(57 - 25 * std::cos(2 * M_PI * h / (24 * 365.0)) +
                             6 * std::sin(2 * M_PI * h / 24.0) + noise(rng));
    }
    return s;
  }();
  return t;
}

// Meters with heating and cooling loads of varied sizes and balance points.
const mv::HourlyTemperature& Grid() {
  static const mv::HourlyTemperature grid(Temperatures());
  return grid;
}

const std::vector<mv::UsageSeries>& Meters(int n) {
  static std::map<int, std::vector<mv::UsageSeries>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  std::vector<mv::UsageSeries> meters;
  std::mt19937 rng(static_cast<unsigned>(n));
  std::uniform_real_distribution<double> u(0, 1);
  const auto& t = Temperatures();
  for (int m = 0; m < n; ++m) {
    double base = 10 + 40 * u(rng), bh = 0.5 + 2 * u(rng), bc = 0.5 + 3 * u(rng);
    double hb = 50 + 10 * u(rng), cb = 62 + 10 * u(rng);
    mv::UsageSeries s;
    for (int d = 0; d <= 730; ++d) {
      s.start.push_back(kStart + hours(24 * d));
      if (d == 730) {
        s.value.emplace_back();
        continue;
      }
      double mean = 0;
      for (int h = 0; h < 24; ++h) mean += t.fahrenheit[static_cast<size_t>(24 * d + h)];
      mean /= 24;
      double v = base + bh * std::max(hb - mean, 0.0) + bc * std::max(mean - cb, 0.0);
      s.value.emplace_back(v * (0.9 + 0.2 * u(rng)));
    }
    meters.push_back(std::move(s));
  }
  return cache.emplace(n, std::move(meters)).first->second;
}

// meters/s and its inverse, from the meters fitted per iteration.
void SetRates(benchmark::State& state, size_t meters) {
  double fitted = static_cast<double>(meters) * static_cast<double>(state.iterations());
  state.counters["meters/s"] = benchmark::Counter(fitted, benchmark::Counter::kIsRate);
  state.counters["ms/meter"] =
      benchmark::Counter(fitted, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_CaltrackDaily(benchmark::State& state) {
  const auto& meters = Meters(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    for (const auto& m : meters) {
      mv::CaltrackModel model = mv::FitCaltrack(m, Grid(), kEnd, mv::Method::kDaily,
                                                mv::Fuel::kElectricity, Settings().caltrack);
      benchmark::DoNotOptimize(model);
    }
  }
  SetRates(state, meters.size());
}

// Both cores, as `carbonledger mv fit` runs many meters.
void BM_CaltrackDailyAllCores(benchmark::State& state) {
  const auto& meters = Meters(static_cast<int>(state.range(0)));
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (auto _ : state) {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (size_t i = t; i < meters.size(); i += threads) {
          mv::CaltrackModel model = mv::FitCaltrack(meters[i], Grid(), kEnd, mv::Method::kDaily,
                                                    mv::Fuel::kElectricity, Settings().caltrack);
          benchmark::DoNotOptimize(model);
        }
      });
    }
    for (auto& th : pool) th.join();
  }
  state.counters["meters/s"] = benchmark::Counter(
      static_cast<double>(meters.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  Grid();
}

// The obvious way: every candidate solved by QR on its columns (same design,
// same candidates, same selection rule).
void BM_NaivePerCandidateQr(benchmark::State& state) {
  const auto& meters = Meters(static_cast<int>(state.range(0)));
  const auto& s = Settings().caltrack;
  for (auto _ : state) {
    for (const auto& m : meters) {
      // Daily means per day, then degree-day columns, then one QR per candidate.
      const auto& t = Temperatures();
      std::vector<double> y, mean;
      for (size_t d = 0; d < 365; ++d) {
        double sum = 0;
        for (size_t h = 0; h < 24; ++h) sum += t.fahrenheit[24 * d + h];
        mean.push_back(sum / 24);
        y.push_back(*m.value[d]);
      }
      std::vector<double> ones(y.size(), 1.0);
      double best = -1e300;
      auto col = [&](int bp, bool heating) {
        std::vector<double> c;
        for (double v : mean) c.push_back(heating ? std::max(bp - v, 0.0) : std::max(v - bp, 0.0));
        return c;
      };
      for (int c = s.balance_point_min_f; c <= s.balance_point_max_f; ++c) {
        for (int h = s.balance_point_min_f; h <= c; ++h) {
          mv::LeastSquaresFit f = mv::FitLeastSquares(y, {ones, col(c, false), col(h, true)});
          best = std::max(best, -f.ss_res);
        }
      }
      benchmark::DoNotOptimize(best);
    }
  }
  SetRates(state, meters.size());
}

BENCHMARK(BM_CaltrackDaily)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_CaltrackDailyAllCores)
    ->Arg(100)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK(BM_NaivePerCandidateQr)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace cl

BENCHMARK_MAIN();
