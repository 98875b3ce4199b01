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

// Quotes a field for output when it holds a comma, quote or line break.
std::string CsvEscape(std::string_view field);

}  // namespace cl
