// A deterministic synthetic city for tests, benchmarks and the demo.
//
// GenerateDemoCity writes the registry files, interval readings, monthly bills
// and fuel activities of fictitious Shanghai reporting units (factories, a
// fab, data centres, offices, malls, hospitals, parks), with load shapes driven
// by a synthetic climate and Chinese public holidays, and a documented set of
// injected meter faults for the VEE checks. Nothing in it refers to a real
// enterprise; the credit codes are well formed but belong to no one.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace cl {

struct DemoOptions {
  int units = 40;          // reporting units (enterprises), 1..9999
  int years = 1;           // years of readings, ending with `last_year`, 1..30
  int last_year = 2025;    // the years covered must lie within 2000..2100
  uint64_t seed = 1;       // any value; the same options give the same files
  int faulty_percent = 5;  // share of meters with injected faults, 0..100
};

struct DemoSummary {
  int units = 0, sites = 0, meters = 0;
  int64_t readings = 0;  // rows written to readings files
  int64_t bills = 0;     // rows written to activities.csv
  int64_t faults = 0;    // faults injected (gaps, spikes, resets, duplicates)
  std::string dir;
};

// Writes into `dir` (created if missing): units.csv, sites.csv, meters.csv,
// activities.csv, readings/<unit_id>.csv (one file per unit), and
// README.md describing what was generated and which meters are faulty and how.
// Same options => byte-identical files.
//
// Existing files of those names are overwritten; other files in `dir` are
// left alone (a smaller city does not remove the readings files of a larger
// one). Fails with kInvalidInput, naming the option, when an option is out of
// its range (nothing is written), and with kIo when a directory or file cannot
// be created or written (files written before the failure stay).
Result<DemoSummary> GenerateDemoCity(const std::string& dir, const DemoOptions& options);

}  // namespace cl
