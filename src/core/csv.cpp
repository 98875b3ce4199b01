#include "core/csv.h"

#include <algorithm>

namespace cl {
namespace {

bool IsBlank(const CsvRecord& r) {
  return std::ranges::all_of(r.fields, [](const std::string& f) { return f.empty(); });
}

class CsvParser {
 public:
  CsvParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  CsvTable Run() {
    while (pos_ < text_.size()) ReadRecord();
    return std::move(table_);
  }

 private:
  void ReadRecord() {
    CsvRecord record;
    record.line = line_;
    for (;;) {
      record.fields.push_back(ReadField(static_cast<int>(record.fields.size()) + 1));
      if (pos_ >= text_.size()) break;
      char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        continue;
      }
      ConsumeLineBreak();
      break;
    }
    if (!IsBlank(record)) table_.records.push_back(std::move(record));
  }

  // Called at '\r' or '\n'.
  void ConsumeLineBreak() {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  std::string ReadField(int column) {
    if (pos_ < text_.size() && text_[pos_] == '"') return ReadQuoted(column);
    size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ',' || c == '\n' || c == '\r') break;
      if (c == '"') {
        table_.errors.Add(Error::InvalidInput(
            "quote inside an unquoted field; enclose the field in quotes and double the quote",
            {source_, line_, column, ""}));
      }
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  std::string ReadQuoted(int column) {
    const int start_line = line_;
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          out += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;  // closing quote
        SkipAfterClosingQuote(column);
        return out;
      }
      if (c == '\n' || (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'))) {
        ++line_;
      }
      out += c;
      ++pos_;
    }
    table_.errors.Add(Error::InvalidInput("quoted field is never closed (opened here)",
                                          {source_, start_line, column, ""}));
    return out;
  }

  // After a closing quote only a separator or line break may follow.
  void SkipAfterClosingQuote(int column) {
    if (pos_ >= text_.size()) return;
    char c = text_[pos_];
    if (c == ',' || c == '\n' || c == '\r') return;
    table_.errors.Add(Error::InvalidInput("text after the closing quote of a field",
                                          {source_, line_, column, ""}));
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
           text_[pos_] != '\r') {
      ++pos_;
    }
  }

  std::string_view text_;
  const std::string& source_;
  size_t pos_ = 0;
  int line_ = 1;
  CsvTable table_;
};

}  // namespace

CsvTable ParseCsv(std::string_view text, const std::string& source) {
  return CsvParser(text, source).Run();
}

std::string CsvEscape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace cl
