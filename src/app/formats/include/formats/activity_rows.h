// Activity records one row at a time (docs/templates.md): a row of an
// activities file, or a record kept in the store, checked into the inventory
// engine's ActivityRecord. Each row is checked on its own, so a caller can
// keep a file's good rows and reject the others (an import), or refuse the
// whole file on any error (ParseActivitiesFile in templates.h), from one read.
//
// Not thread-safe: an ActivityChecker remembers the certificate serials of
// the rows it accepted; use one per file or per computation.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "accounting/catalog.h"
#include "accounting/model.h"
#include "core/error.h"
#include "core/period.h"

namespace cl {

class TextStream;

// The columns of activities.csv, in the template's order.
enum class ActivityField : size_t {
  kUnit,
  kSite,
  kActivity,
  kQuantity,
  kUom,
  kStart,
  kEnd,
  kSource,
  kInstrument,
  kIds,
  kFactor,
  kFactorUnit,
  kNote,
  kMeter
};
// The column's English name as in the template header ("unit_of_measure").
std::string_view ActivityFieldName(ActivityField f);

// A number as written in a cell ("14,500,000"; empty: none), or already typed
// (a record from the store).
using NumberCell = std::variant<std::string, double>;

// One activity's cells, trimmed.
struct ActivityFields {
  std::string unit_id, site_id, activity;
  NumberCell quantity;
  std::string unit_of_measure, period_start, period_end, data_source, instrument, instrument_ids;
  NumberCell factor;  // an empty string or no value: none
  std::string factor_unit, note, meter_id;
};

// Where a field of the row being checked is, for its error.
using FieldPlace = std::function<Location(ActivityField)>;

class ActivityChecker {
 public:
  // Records must name one of `units` and lie in `year` (0: any year).
  ActivityChecker(const std::vector<ReportingUnit>& units, const ActivityCatalog& catalog,
                  int year);

  // The record of one row (`id` "source:line"), or nothing, with each of the
  // row's errors added to `errors` at `place(field)`. A gec serial is taken
  // by the first accepted row that lists it; a later row listing it is refused.
  std::optional<ActivityRecord> Check(const ActivityFields& fields, const std::string& source,
                                      int line, const FieldPlace& place, ErrorList& errors);

 private:
  class Row;
  void ReadUnit(const ActivityFields& f, Row& row, ActivityRecord& rec) const;
  void ReadActivity(const ActivityFields& f, Row& row, ActivityRecord& rec) const;
  void CheckQualifier(Row& row, ActivityRecord& rec) const;
  static void ReadQuantity(const ActivityFields& f, Row& row, ActivityRecord& rec);
  void ReadPeriod(const ActivityFields& f, Row& row, ActivityRecord& rec) const;
  // The quantity within its carrier's physical bound over the period
  // (data/bounds.csv, through the catalog).
  void CheckBound(Row& row, const ActivityRecord& rec) const;
  static void ReadSource(const ActivityFields& f, Row& row, ActivityRecord& rec);
  static void ReadInstrument(const ActivityFields& f, Row& row, ActivityRecord& rec);
  void CheckSerials(Row& row, const ActivityRecord& rec, int line) const;
  static void ReadFactor(const ActivityFields& f, Row& row, ActivityRecord& rec);

  const ActivityCatalog& catalog_;
  Period year_;
  int year_number_;
  std::map<std::string, int> unit_index_;
  std::map<std::string, int> serials_;  // gec serial -> line of the accepted row that took it
};

// Every row of an activities file, read once: the good rows as records and
// every error (the file's, then each bad row's, with file:line:column).
struct ActivityRows {
  // What stopped the read before any row was checked.
  enum class FileProblem { kNone, kEncoding, kCsv, kEmpty, kHeader };
  std::vector<ActivityRecord> records;
  ErrorList errors;
  FileProblem problem = FileProblem::kNone;
  int64_t rows = 0;  // data rows in the file
  std::string encoding;
};
ActivityRows ReadActivityRows(std::string_view bytes, const std::string& source,
                              const std::vector<ReportingUnit>& units,
                              const ActivityCatalog& catalog, int year);

// Where the rows of a streamed activities file go, in the file's order.
class ActivitySink {
 public:
  virtual ~ActivitySink() = default;
  // A good row. A failure (the store's) stops the read and is returned.
  virtual Status Accept(ActivityRecord record) = 0;
  // Every error of one refused row, or of the file: kNone for a row's cells
  // (or its width), kCsv for a row's syntax, kEncoding for undecodable bytes
  // (the rest of the file is not read), kHeader for the header (no row is read).
  virtual void Refuse(ActivityRows::FileProblem problem, const ErrorList& errors) = 0;
};

// What a streamed read found, beyond its rows.
struct ActivityStreamSummary {
  ActivityRows::FileProblem problem = ActivityRows::FileProblem::kNone;
  int64_t rows = 0;  // data rows read
};

// Every row of an activities file read from `text` block by block, each
// checked on its own as ReadActivityRows checks it and handed to `sink` at
// once: memory stays bounded whatever the file's size. Unlike
// ReadActivityRows, a row with bad CSV syntax refuses that row only, and the
// rows before undecodable bytes are read. Only the sink's failure is an error.
Result<ActivityStreamSummary> StreamActivityRows(TextStream& text, const std::string& source,
                                                 const std::vector<ReportingUnit>& units,
                                                 const ActivityCatalog& catalog, int year,
                                                 ActivitySink& sink);

}  // namespace cl
