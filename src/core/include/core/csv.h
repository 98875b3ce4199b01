// RFC 4180 CSV, with the position of every field.
//
// ParseCsv never fails on content it can represent: it returns every record it
// read and, for text it cannot (a quote left open at the end of the input, a
// stray quote inside a quoted field), an error naming line and column. Lines
// are physical lines (a quoted field may span several); columns are 1-based
// field indexes. Empty lines, and lines whose fields are all empty (",,,"), are skipped. Input must
// be UTF-8 (see encoding.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cl {

class TextStream;

struct CsvRecord {
  int line = 0;  // physical line where the record starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<CsvRecord> records;
  ErrorList errors;
};

// `source` names the file in error locations.
CsvTable ParseCsv(std::string_view text, const std::string& source);

// The records of a TextStream one at a time, read as ParseCsv reads them
// (the same fields, lines, skipped blank lines and syntax errors), in bounded
// memory: a quote left open for more than kLongestRecord bytes ends its
// record at that record's first line break (an error), so that one stray
// quote cannot swallow the file.
class CsvStream {
 public:
  // `text` must outlive the stream; `source` names the file in errors.
  CsvStream(TextStream& text, std::string source) : text_(text), source_(std::move(source)) {}

  // The next non-blank record into `record`, with its syntax errors (if any)
  // appended to `errors`; false at the end of the text. An error is the
  // TextStream's (undecodable bytes: the rest of the file is not read).
  Result<bool> Next(CsvRecord& record, ErrorList& errors);

  static constexpr size_t kLongestRecord = size_t{1} << 20;

 private:
  // Where the record at pos_ ends (its line break, or the end of the text), or
  // npos when more text is needed to tell.
  size_t RecordEnd() const;

  TextStream& text_;
  std::string source_;
  std::string buf_;
  size_t pos_ = 0;
  int line_ = 1;
  bool eof_ = false;
};

// Quotes a field for output when it holds a comma, quote or line break.
std::string CsvEscape(std::string_view field);

}  // namespace cl
