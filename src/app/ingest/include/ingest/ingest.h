// Importing meter readings and activity records into the store
// (docs/ingest.md): CSV or JSON Lines, UTF-8 or GBK, English or Chinese
// headers, a saved column mapping; validation, estimation-free editing rules
// (VEE) and rejects with file, line, column, kind and reason.
//
// One file is one batch and one transaction: its accepted rows are stored
// together with its rejects and flags, or nothing is. Sending the same
// readings again changes nothing; a different value for a stored timestamp is
// a revision whose earlier value stays in the history.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accounting/catalog.h"
#include "core/error.h"
#include "core/region.h"
#include "core/timestamp.h"
#include "formats/vee_settings.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h: the use cases below take a connection

// Which columns (CSV header names or JSON keys) hold what. Empty names use
// the built-in English and Chinese aliases (docs/ingest.md).
struct ReadingsMapping {
  std::string meter;
  std::string timestamp;
  std::string value;
  bool timestamps_mark_end = false;  // a reading's time is its interval's end
  std::string format;                // "csv", "jsonl"; empty = from the file name
  std::string ToJson() const;
  static Result<ReadingsMapping> FromJson(const std::string& text);
};

// How many rejects a batch keeps by default (ImportOptions::max_rejects_kept).
inline constexpr int64_t kMaxRejectsKept = 10000;

struct ImportOptions {
  Actor actor;
  VeeSettings vee;
  Instant now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  // When set, only meters of these units are known (possibly none): rows for
  // any other meter are rejected as unknown_meter (an API caller's tenants).
  std::optional<std::vector<std::string>> units;
  // Called now and then with raw bytes read and the file size.
  std::function<void(uint64_t done, uint64_t total)> progress;
  // Rejects stored per batch: the first ones, with their places and reasons;
  // the rest are counted in the batch's `rejected` only, so that a file of a
  // million bad rows costs neither the disk nor the reader of its rejects.
  int64_t max_rejects_kept = kMaxRejectsKept;
};

struct ImportResult {
  BatchRecord batch;
  std::string encoding;
  bool file_error = false;  // the file could not be read at all (see rejects)
};

Result<ImportResult> ImportReadings(Store& store, const std::string& path,
                                    const ReadingsMapping& mapping, const ImportOptions& options);

// Registry files (docs/ingest.md): units.csv (the inventory template),
// sites.csv, meters.csv. All rows or none: a file with any error stores
// nothing and returns every error.
struct RegistryResult {
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
};
Checked<RegistryResult> ImportUnits(Store& store, const std::string& path,
                                    const RegionTable& regions, const Actor& by);
Checked<RegistryResult> ImportSites(Store& store, const std::string& path, const Actor& by);
// The checks a meter passes before it is stored, whatever its source: the
// carrier is an activity code (a Chinese name becomes the code) whose
// quantity the meter's unit measures; the time zone exists; a rollover only
// for register meters. Each error names its field.
ErrorList CheckMeter(const ActivityCatalog& catalog, MeterRecord& m);
// A meter's carrier must be an activity code whose quantity its unit can measure.
Checked<RegistryResult> ImportMeters(Store& store, const std::string& path,
                                     const ActivityCatalog& catalog, const Actor& by);

}  // namespace cl
