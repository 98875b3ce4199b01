// Storage and ingest at city scale (issue 3), each against a baseline doing
// the same work the obvious way:
//   (a) import of 15-minute readings from one CSV file into SQLite, validated
//       and durable (CarbonLedger's importer: chunks, VEE, one transaction,
//       synchronous=FULL) against a row-per-reading SQLite INSERT of the same
//       file in one transaction (std::getline + split + strtod + the same
//       timestamp parser), also synchronous=FULL;
//   (b) a monthly roll-up per meter over all readings against the same
//       GROUP BY in SQL on the row table;
//   (c) bytes per reading on disk, both ways;
//   (d) peak resident memory of the import (a child process; ru_maxrss).
// Both monthly results are compared: the benchmark fails if they differ.
//
//   ingest_bench --readings N [--baseline-readings M] [--meters K] [--dir D] [--keep]
// The data: K meters of plausible 15-minute loads (two-shift factories,
// offices, flat data centres) at 0.01 kWh resolution, sorted by meter then
// time, timestamps with +08:00, as a meter-data export looks.
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "ingest/ingest.h"
#include "metering/metering.h"
#include "refdata/reference_store.h"
#include "store/store.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Writes `readings` readings over `meters` meters, from 2024-01-01 local.
int64_t WriteCsv(const fs::path& path, int64_t readings, int meters) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::string buf = "meter_id,timestamp,value\n";
  const int64_t per_meter = (readings + meters - 1) / meters;
  int64_t written = 0;
  const int64_t t0 = 1704038400;  // 2024-01-01T00:00:00+08:00
  for (int m = 0; m < meters && written < readings; ++m) {
    const int kind = m % 3;
    const double scale = 20 + static_cast<double>(Mix(static_cast<uint64_t>(m)) % 2000) / 10.0;
    char id[32];
    std::snprintf(id, sizeof id, "B-%05d/E1", m);
    for (int64_t i = 0; i < per_meter && written < readings; ++i, ++written) {
      int64_t t = t0 + i * 900;
      int64_t local = t + 8 * 3600;
      int slot = static_cast<int>((local % 86400) / 900);
      int weekday = static_cast<int>(((local / 86400) + 4) % 7);  // 0 = Sunday
      double shape = kind == 0   ? (slot >= 32 && slot < 88 && weekday != 0 ? 1.0 : 0.35)
                     : kind == 1 ? (slot >= 32 && slot < 76 && weekday % 6 != 0 ? 1.0 : 0.2)
                                 : 0.9;
      double noise =
          1 + (static_cast<double>(Mix(static_cast<uint64_t>(written)) % 1000) - 500) / 16000.0;
      double v = std::round(scale * shape * noise * 100) / 100;
      std::time_t tt = static_cast<std::time_t>(local);
      std::tm tm{};
      gmtime_r(&tt, &tm);
      char line[96];
      int n = std::snprintf(line, sizeof line, "%s,%04d-%02d-%02dT%02d:%02d:00+08:00,%.2f\n", id,
                            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, v);
      buf.append(line, static_cast<size_t>(n));
      if (buf.size() > (1 << 22)) {
        std::fwrite(buf.data(), 1, buf.size(), f);
        buf.clear();
      }
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  std::fclose(f);
  return written;
}

void WriteRegistry(const fs::path& dir, int meters) {
  std::ofstream(dir / "units.csv")
      << "unit_id,credit_code,name_zh,province\nB,9131011513572468XU,基准,310000\n";
  std::ofstream(dir / "sites.csv") << "unit_id,site_id\nB,S1\n";
  std::ofstream m(dir / "meters.csv");
  m << "meter_id,unit_id,site_id,carrier,unit_of_measure,interval\n";
  for (int i = 0; i < meters; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "B-%05d/E1", i);
    m << id << ",B,S1,electricity,kWh,15min\n";
  }
}

uint64_t DiskBytes(const fs::path& db) {
  uint64_t n = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::path p = db.string() + suffix;
    if (fs::exists(p)) n += fs::file_size(p);
  }
  return n;
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(1);
  }
}

// The obvious way: one row per reading.
struct Baseline {
  double import_s = 0, rollup_s = 0;
  int64_t rows = 0;
  uint64_t bytes = 0;
  std::map<std::pair<std::string, std::string>, double> months;
};
Baseline RunBaseline(const fs::path& csv, const fs::path& db_path, int64_t limit) {
  Baseline b;
  fs::remove(db_path);
  sqlite3* db = nullptr;
  sqlite3_open(db_path.c_str(), &db);
  Check(sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE readings (meter TEXT NOT NULL, ts INTEGER NOT NULL, value REAL "
                     "NOT NULL, PRIMARY KEY (meter, ts)) WITHOUT ROWID;",
                     nullptr, nullptr, nullptr),
        db, "create");
  auto t = Clock::now();
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO readings VALUES (?,?,?)", -1, &ins, nullptr);
  Check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  while (b.rows < limit && std::getline(in, line)) {
    size_t c1 = line.find(','), c2 = line.find(',', c1 + 1);
    std::string meter = line.substr(0, c1);
    auto when = cl::ParseInstant(line.substr(c1 + 1, c2 - c1 - 1));
    double v = std::strtod(line.c_str() + c2 + 1, nullptr);
    if (!when.ok() || v < 0) continue;  // the same validity rules, minimally
    sqlite3_bind_text(ins, 1, meter.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 2, when->time_since_epoch().count());
    sqlite3_bind_double(ins, 3, v);
    Check(sqlite3_step(ins), db, "insert");
    sqlite3_reset(ins);
    ++b.rows;
  }
  Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_finalize(ins);
  b.import_s = Seconds(t);
  t = Clock::now();
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT meter, strftime('%Y-%m', ts + 28800, 'unixepoch'), SUM(value) FROM "
                     "readings GROUP BY 1, 2",
                     -1, &q, nullptr);
  while (sqlite3_step(q) == SQLITE_ROW)
    b.months[{reinterpret_cast<const char*>(sqlite3_column_text(q, 0)),
              reinterpret_cast<const char*>(sqlite3_column_text(q, 1))}] =
        sqlite3_column_double(q, 2);
  sqlite3_finalize(q);
  b.rollup_s = Seconds(t);
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  b.bytes = DiskBytes(db_path);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t readings = 1'000'000, baseline_readings = -1;
  int meters = 0;
  fs::path dir = fs::temp_directory_path() / "cl_ingest_bench";
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--readings")
      readings = std::stoll(next());
    else if (a == "--baseline-readings")
      baseline_readings = std::stoll(next());
    else if (a == "--meters")
      meters = std::stoi(next());
    else if (a == "--dir")
      dir = next();
    else if (a == "--keep")
      keep = true;
    else {
      std::cerr << "usage: ingest_bench --readings N [--baseline-readings M] [--meters K] [--dir "
                   "D] [--keep]\n";
      return 2;
    }
  }
  if (meters == 0)
    meters = static_cast<int>(std::max<int64_t>(1, readings / 35040));  // a year each
  if (baseline_readings < 0) baseline_readings = readings;
  fs::create_directories(dir);
  const fs::path csv = dir / "readings.csv", db = dir / "carbonledger.db";
  auto t = Clock::now();
  int64_t n = WriteCsv(csv, readings, meters);
  std::printf("data: %lld readings of %d meters, %.2f GB CSV (written in %.1f s)\n",
              static_cast<long long>(n), meters, static_cast<double>(fs::file_size(csv)) / 1e9,
              Seconds(t));
  WriteRegistry(dir, meters);
  for (const char* s : {"", "-wal", "-shm"}) fs::remove(db.string() + s);

  auto data = cl::LoadReferenceData(CL_SOURCE_DATA_DIR);
  auto vee = cl::LoadVeeSettings(CL_SOURCE_DATA_DIR);
  if (!data.ok() || !vee.ok()) return 1;
  {
    auto store = cl::OpenStore(db.string());
    cl::Actor a;
    if (!store.ok() ||
        !cl::ImportUnits(**store, (dir / "units.csv").string(), data.value()->regions, a).ok() ||
        !cl::ImportSites(**store, (dir / "sites.csv").string(), a).ok() ||
        !cl::ImportMeters(**store, (dir / "meters.csv").string(), data.value()->catalog, a).ok()) {
      std::cerr << "registry import failed\n";
      return 1;
    }
  }
  // (a) and (d): the import in a child process, for its peak memory alone.
  t = Clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    auto store = cl::OpenStore(db.string());
    cl::ImportOptions opt;
    opt.vee = *vee;
    auto r = cl::ImportReadings(**store, csv.string(), {}, opt);
    if (!r.ok() || r->batch.accepted != n) {
      std::cerr << "import failed: "
                << (r.ok() ? std::to_string(r->batch.accepted) : r.error().ToString()) << "\n";
      _exit(1);
    }
    _exit(0);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  double import_s = Seconds(t);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  double peak_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;

  // (b): monthly roll-up per meter.
  auto store = cl::OpenStore(db.string());
  t = Clock::now();
  auto rows = cl::Rollup(**store, *vee, cl::RollupGrain::kMonth, cl::RollupBy::kMeter,
                         *cl::ParseDate("2000-01-01"), *cl::ParseDate("2100-12-31"));
  double rollup_s = Seconds(t);
  if (!rows.ok()) return 1;
  // The same readings by day: every day chunk is scanned (no month totals).
  t = Clock::now();
  auto days = cl::Rollup(**store, *vee, cl::RollupGrain::kDay, cl::RollupBy::kMeter,
                         *cl::ParseDate("2000-01-01"), *cl::ParseDate("2100-12-31"));
  double day_rollup_s = Seconds(t);
  if (!days.ok()) return 1;
  store->reset();
  {
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(h);
  }
  uint64_t bytes = DiskBytes(db);

  std::printf(
      "\nCarbonLedger: import %.2f s = %.2f M readings/s (peak RSS %.0f MB); monthly roll-up "
      "%.3f s (%zu meter-months; a daily roll-up scanning every chunk takes %.3f s, %zu "
      "meter-days); %.3f bytes/reading on disk\n",
      import_s, static_cast<double>(n) / import_s / 1e6, peak_mb, rollup_s, rows->size(),
      day_rollup_s, days->size(), static_cast<double>(bytes) / static_cast<double>(n));
  std::fflush(stdout);
  Baseline b = RunBaseline(csv, dir / "baseline.db", baseline_readings);
  std::printf(
      "baseline (row per reading, %lld rows): import %.2f s = %.2f M readings/s; GROUP BY "
      "%.3f s; %.2f bytes/reading\n",
      static_cast<long long>(b.rows), b.import_s, static_cast<double>(b.rows) / b.import_s / 1e6,
      b.rollup_s, static_cast<double>(b.bytes) / static_cast<double>(b.rows));
  double our_rate = static_cast<double>(n) / import_s,
         base_rate = static_cast<double>(b.rows) / b.import_s;
  std::printf(
      "ratios: import %.1fx faster; roll-up %.1fx faster (per reading); %.1fx smaller on disk\n",
      our_rate / base_rate,
      (b.rollup_s / static_cast<double>(b.rows)) / (rollup_s / static_cast<double>(n)),
      (static_cast<double>(b.bytes) / static_cast<double>(b.rows)) /
          (static_cast<double>(bytes) / static_cast<double>(n)));
  if (b.rows == n) {
    size_t compared = 0;
    for (const auto& r : *rows) {
      auto it = b.months.find({r.key, r.period});
      if (it == b.months.end() ||
          std::fabs(it->second - r.quantity) > 1e-6 * std::max(1.0, r.quantity)) {
        std::fprintf(stderr, "MISMATCH %s %s: %.6f vs %.6f\n", r.key.c_str(), r.period.c_str(),
                     r.quantity, it == b.months.end() ? -1.0 : it->second);
        return 1;
      }
      ++compared;
    }
    if (compared != b.months.size()) return 1;
    std::printf("monthly totals agree with the baseline for all %zu meter-months\n", compared);
  }
  if (!keep) fs::remove_all(dir);
  return 0;
}
