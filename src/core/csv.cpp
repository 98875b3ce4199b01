#include "core/csv.h"

#include <algorithm>

#include "core/text_stream.h"

namespace cl {
namespace {

bool IsBlank(const CsvRecord& r) {
  return std::ranges::all_of(r.fields, [](const std::string& f) { return f.empty(); });
}

class CsvParser {
 public:
  CsvParser(std::string_view text, const std::string& source, int first_line = 1)
      : text_(text), source_(source), line_(first_line) {}

  CsvTable Run() {
    while (pos_ < text_.size()) ReadRecord();
    return std::move(table_);
  }
  // The line after the text read (the next record's, without its own break).
  int line() const { return line_; }

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

size_t CsvStream::RecordEnd() const {
  constexpr size_t kMore = std::string::npos;
  bool quoted = false;
  bool field_start = true;
  for (size_t i = pos_; i < buf_.size(); ++i) {
    const char c = buf_[i];
    if (quoted) {
      if (c != '"') continue;
      if (i + 1 >= buf_.size()) return eof_ ? buf_.size() : kMore;  // "" or the closing quote?
      if (buf_[i + 1] == '"') {
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    if (c == '\n') return i;
    if (c == '\r') return (i + 1 < buf_.size() || eof_) ? i : kMore;  // \r\n or a lone \r?
    if (c == '"' && field_start) quoted = true;
    field_start = c == ',';
  }
  if (eof_) return buf_.size();
  if (quoted && buf_.size() - pos_ > kLongestRecord) {
    // A broken record, not a field: it ends at its first line break.
    size_t nl = buf_.find_first_of("\r\n", pos_);
    if (nl != std::string::npos && nl + 1 < buf_.size()) return nl;
  }
  return kMore;
}

Result<bool> CsvStream::Next(CsvRecord& record, ErrorList& errors) {
  for (;;) {
    const size_t end = (pos_ < buf_.size() || !eof_) ? RecordEnd() : std::string::npos;
    if (end == std::string::npos) {
      if (eof_) return false;
      buf_.erase(0, pos_);
      pos_ = 0;
      auto more = text_.ReadInto(buf_);
      if (!more.ok()) return more.error();
      eof_ = !*more;
      continue;
    }
    CsvParser parser(std::string_view{buf_}.substr(pos_, end - pos_), source_, line_);
    CsvTable one = parser.Run();
    line_ = parser.line() + (end < buf_.size() ? 1 : 0);
    pos_ = end;
    if (pos_ < buf_.size() && buf_[pos_] == '\r' && pos_ + 1 < buf_.size() &&
        buf_[pos_ + 1] == '\n')
      ++pos_;
    if (pos_ < buf_.size()) ++pos_;
    errors.Append(one.errors);
    if (one.records.empty()) continue;  // a blank line
    record = std::move(one.records.front());
    return true;
  }
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
