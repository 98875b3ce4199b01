// Reading a readings file (docs/ingest.md): its records streamed from a
// TextStream (CSV or JSON Lines), the meter, timestamp and value of each row
// found by header name or mapping, and handed to a RowSink one by one. Private
// to the ingest library; readings_import.cpp is its one user.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/text_stream.h"
#include "ingest/ingest.h"

namespace cl::readings_file {

// Where the rows of a file go. Row's failure is a store failure and stops the
// reading; Reject records a row (or the file) as rejected and never fails.
class RowSink {
 public:
  virtual ~RowSink() = default;
  // One data row. Columns are 1-based positions for the rejects (0: none).
  virtual Status Row(int64_t line, std::string_view meter_text, int meter_col,
                     std::string_view time_text, int time_col, std::string_view value_text,
                     int value_col) = 0;
  virtual void Reject(int64_t line, int column, std::string field, std::string kind,
                      std::string message) = 0;
};

// Reads every record of the file into `sink`. File-level problems become
// rejects and set `file_error`; only the sink's (store) failures are errors.
Status ReadRecords(RowSink& sink, TextStream& text, const std::string& path,
                   const ReadingsMapping& mapping, const ImportOptions& opt, bool& file_error);

// Text quoted from a file into a message: bytes that are not UTF-8 become
// \xNN, so that a reject can always be stored (PostgreSQL checks UTF-8).
std::string ValidUtf8(std::string s);

// "YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|+HH:MM|+HHMM|+HH]" or "YYYY-MM-DD". Seconds since the
// epoch of the wall-clock time, and the offset when the text has one.
struct ParsedTime {
  int64_t wall = 0;
  bool has_offset = false;
  int offset_s = 0;
};
// False when `s` is not such a time.
bool ParseTime(std::string_view s, ParsedTime& t);

}  // namespace cl::readings_file
