// Shared by the template readers (not a public header): the header map,
// per-row error reporting and number parsing of docs/templates.md.
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/error.h"

namespace cl::template_table {

struct ColumnSpec {
  std::string_view en;
  std::string_view zh;
  bool required;
};

// Maps the file's header to the template's columns.
class Header {
 public:
  template <size_t N>
  Header(const std::array<ColumnSpec, N>& specs, const CsvRecord& header, const std::string& source,
         ErrorList& errors)
      : specs_(specs.begin(), specs.end()), index_(N, -1) {
    for (size_t col = 0; col < header.fields.size(); ++col) {
      std::string name = Trim(header.fields[col]);
      int spec = Find(name);
      int column = static_cast<int>(col) + 1;
      if (spec < 0) {
        errors.Add(Error::InvalidInput("unknown column '" + name + "'; expected one of: " + List(),
                                       {source, header.line, column, name})
                       .WithCode("import.unknown_column", {{"column", name}}));
      } else if (index_[static_cast<size_t>(spec)] >= 0) {
        errors.Add(Error::InvalidInput("column '" + name + "' appears twice",
                                       {source, header.line, column, name})
                       .WithCode("import.duplicate_column", {{"column", name}}));
      } else {
        index_[static_cast<size_t>(spec)] = static_cast<int>(col);
      }
    }
    for (size_t s = 0; s < specs_.size(); ++s) {
      if (specs_[s].required && index_[s] < 0) {
        errors.Add(
            Error::InvalidInput("missing column '" + std::string(specs_[s].en) + "' (" +
                                    std::string(specs_[s].zh) + ")",
                                {source, header.line, 0, std::string(specs_[s].en)})
                .WithCode("import.missing_column", {{"column", std::string(specs_[s].en)},
                                                    {"column_zh", std::string(specs_[s].zh)}}));
      }
    }
    width_ = header.fields.size();
  }

  // The cell of column `spec` (trimmed), empty when the column is absent.
  std::string Get(const CsvRecord& r, size_t spec) const {
    int i = index_[spec];
    if (i < 0 || static_cast<size_t>(i) >= r.fields.size()) return {};
    return Trim(r.fields[static_cast<size_t>(i)]);
  }
  // 1-based column number of `spec` in the file, 0 when absent.
  int Column(size_t spec) const { return index_[spec] + 1; }
  const char* Name(size_t spec) const { return specs_[spec].en.data(); }
  size_t width() const { return width_; }

  static std::string Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
  }

 private:
  int Find(const std::string& name) const {
    for (size_t s = 0; s < specs_.size(); ++s) {
      if (name == specs_[s].en || name == specs_[s].zh) return static_cast<int>(s);
    }
    return -1;
  }
  std::string List() const {
    std::string out;
    for (const ColumnSpec& s : specs_) out += (out.empty() ? "" : ", ") + std::string(s.en);
    return out;
  }

  std::vector<ColumnSpec> specs_;
  std::vector<int> index_;
  size_t width_ = 0;
};

// Decodes and tokenizes a template file; header problems end the read.
struct Table {
  CsvTable csv;
  std::string encoding;  // as DecodeText found it
  bool decoded = false;
  bool ok = false;
};

inline Table ReadTable(std::string_view bytes, const std::string& source, ErrorList& errors) {
  Table t;
  Result<DecodedText> text = DecodeText(bytes, source);
  if (!text.ok()) {
    errors.Add(text.error());
    return t;
  }
  t.decoded = true;
  t.encoding = text->encoding;
  t.csv = ParseCsv(text->utf8, source);
  errors.Append(t.csv.errors);
  if (t.csv.records.empty()) {
    errors.Add(Error::InvalidInput("file is empty: a header row is required", {source, 1, 0, ""})
                   .WithCode("import.empty_file"));
    return t;
  }
  t.ok = true;
  return t;
}

// Reports the cells of one row with the row's location.
class RowErrors {
 public:
  RowErrors(const std::string& source, const Header& header, const CsvRecord& record,
            ErrorList& errors)
      : source_(source), header_(header), record_(record), errors_(errors) {}

  void Add(size_t spec, std::string message) {
    errors_.Add(Error::InvalidInput(
        std::move(message), {source_, record_.line, header_.Column(spec), header_.Name(spec)}));
    ++count_;
  }
  bool any() const { return count_ > 0; }

 private:
  const std::string& source_;
  const Header& header_;
  const CsvRecord& record_;
  ErrorList& errors_;
  int count_ = 0;
};

inline bool CheckWidth(const Header& header, const CsvRecord& r, const std::string& source,
                       ErrorList& errors) {
  if (r.fields.size() == header.width()) return true;
  errors.Add(Error::InvalidInput("row has " + std::to_string(r.fields.size()) +
                                     " columns; the header has " + std::to_string(header.width()),
                                 {source, r.line, 0, ""})
                 .WithCode("import.row_columns", {{"found", std::to_string(r.fields.size())},
                                                  {"expected", std::to_string(header.width())}}));
  return false;
}

// "12345.6", "14,500,000" (grouped thousands), "1.2e3". Never locale-dependent.
inline std::optional<double> ParseNumber(std::string_view s) {
  std::string plain;
  size_t comma = s.find(',');
  if (comma != std::string_view::npos) {
    size_t dot = s.find('.');
    std::string_view integer = s.substr(0, dot);
    // Groups of three digits after the first comma, and nothing else.
    size_t first = integer.find(',');
    if (first == 0 || first > 3) return std::nullopt;
    for (size_t i = first; i < integer.size(); i += 4) {
      if (integer[i] != ',' || i + 4 > integer.size()) return std::nullopt;
    }
    for (char c : s) {
      if (c != ',') plain += c;
    }
    s = plain;
  }
  double v = 0.0;
  if (s.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace cl::template_table
