#include "formats/series_reader.h"

#include <charconv>
#include <cmath>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/gzip.h"

namespace cl {
namespace {

struct Columns {
  int time = -1;
  int value = -1;
  bool celsius = false;
};

std::optional<double> Number(const std::string& s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Decodes (gzip, encoding) and tokenizes; header errors end the read.
std::optional<CsvTable> Table(std::string_view bytes, const std::string& source,
                              ErrorList& errors) {
  Result<std::string> raw = MaybeGunzip(std::string(bytes), source);
  if (!raw.ok()) {
    errors.Add(raw.error());
    return std::nullopt;
  }
  Result<DecodedText> text = DecodeText(*raw, source);
  if (!text.ok()) {
    errors.Add(text.error());
    return std::nullopt;
  }
  CsvTable t = ParseCsv(text->utf8, source);
  errors.Append(t.errors);
  if (t.records.empty()) {
    errors.Add(Error::InvalidInput("file is empty: a header row is required", {source, 1, 0, ""}));
    return std::nullopt;
  }
  return t;
}

// The field at `col` (0-based), empty when the row is short.
std::string Cell(const CsvRecord& r, int col) {
  return static_cast<size_t>(col) < r.fields.size() ? r.fields[static_cast<size_t>(col)] : "";
}

Columns FindColumns(const CsvRecord& header, std::initializer_list<std::string_view> time_names,
                    std::initializer_list<std::string_view> value_names,
                    std::initializer_list<std::string_view> celsius_names) {
  Columns c;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& h = header.fields[i];
    for (std::string_view n : time_names) {
      if (h == n) c.time = static_cast<int>(i);
    }
    for (std::string_view n : value_names) {
      if (h == n) c.value = static_cast<int>(i);
    }
    for (std::string_view n : celsius_names) {
      if (h == n) {
        c.value = static_cast<int>(i);
        c.celsius = true;
      }
    }
  }
  return c;
}

}  // namespace

Checked<mv::UsageSeries> ReadUsageSeries(std::string_view bytes, const std::string& source,
                                         std::chrono::minutes default_offset) {
  ErrorList errors;
  std::optional<CsvTable> t = Table(bytes, source, errors);
  if (!t) return errors;
  Columns c = FindColumns(t->records[0], {"start", "开始时间"}, {"value", "用量"}, {});
  if (c.time < 0 || c.value < 0) {
    errors.Add(Error::InvalidInput("header must name 'start' and 'value' (开始时间, 用量)",
                                   {source, t->records[0].line, 0, ""}));
    return errors;
  }
  mv::UsageSeries s;
  for (size_t i = 1; i < t->records.size(); ++i) {
    const CsvRecord& r = t->records[i];
    auto cell = [&](int col) { return Cell(r, col); };
    Result<Instant> when = ParseInstant(cell(c.time), default_offset);
    if (!when.ok()) {
      errors.Add(
          Error::InvalidInput(when.error().message(), {source, r.line, c.time + 1, "start"}));
      continue;
    }
    if (!s.start.empty() && *when <= s.start.back()) {
      errors.Add(Error::InvalidInput("period starts must increase (this one is not after line " +
                                         std::to_string(t->records[i - 1].line) + ")",
                                     {source, r.line, c.time + 1, "start"}));
      continue;
    }
    std::optional<double> v;
    // Empty, "nan" or "NaN" (as pandas writes a missing value) = missing.
    if (!cell(c.value).empty() && cell(c.value) != "nan" && cell(c.value) != "NaN") {
      v = Number(cell(c.value));
      if (!v) {
        errors.Add(Error::InvalidInput("'" + cell(c.value) + "' is not a number",
                                       {source, r.line, c.value + 1, "value"}));
        continue;
      }
    }
    s.start.push_back(*when);
    s.value.push_back(v);
  }
  if (!errors.empty()) return errors;
  return s;
}

Checked<mv::ProductionSeries> ReadProductionSeries(std::string_view bytes,
                                                   const std::string& source,
                                                   std::chrono::minutes default_offset) {
  ErrorList errors;
  std::optional<CsvTable> t = Table(bytes, source, errors);
  if (!t) return errors;
  const CsvRecord& header = t->records[0];
  if (header.fields.size() < 2 || (header.fields[0] != "start" && header.fields[0] != "开始时间")) {
    errors.Add(Error::InvalidInput(
        "header must be start,<product>,… (开始时间, then one column per product)",
        {source, header.line, 1, ""}));
    return errors;
  }
  mv::ProductionSeries s;
  s.products.assign(header.fields.begin() + 1, header.fields.end());
  s.values.resize(s.products.size());
  for (size_t i = 1; i < t->records.size(); ++i) {
    const CsvRecord& r = t->records[i];
    if (r.fields.size() != header.fields.size()) {
      errors.Add(
          Error::InvalidInput("expected " + std::to_string(header.fields.size()) + " columns",
                              {source, r.line, 0, ""}));
      continue;
    }
    Result<Instant> when = ParseInstant(r.fields[0], default_offset);
    if (!when.ok()) {
      errors.Add(Error::InvalidInput(when.error().message(), {source, r.line, 1, "start"}));
      continue;
    }
    if (!s.start.empty() && *when <= s.start.back()) {
      errors.Add(Error::InvalidInput("starts must increase", {source, r.line, 1, "start"}));
      continue;
    }
    bool ok = true;
    std::vector<double> row;
    for (size_t k = 1; k < r.fields.size(); ++k) {
      std::optional<double> v = Number(r.fields[k]);
      if (!v || *v < 0) {
        errors.Add(
            Error::InvalidInput("'" + r.fields[k] + "' is not a production quantity >= 0",
                                {source, r.line, static_cast<int>(k) + 1, s.products[k - 1]}));
        ok = false;
      }
      row.push_back(v.value_or(0));
    }
    if (!ok) continue;
    s.start.push_back(*when);
    for (size_t k = 0; k < row.size(); ++k) s.values[k].push_back(row[k]);
  }
  if (!errors.empty()) return errors;
  return s;
}

Checked<mv::TemperatureSeries> ReadTemperatureSeries(std::string_view bytes,
                                                     const std::string& source,
                                                     std::chrono::minutes default_offset) {
  ErrorList errors;
  std::optional<CsvTable> t = Table(bytes, source, errors);
  if (!t) return errors;
  Columns c = FindColumns(t->records[0], {"dt", "time", "时间"}, {"tempF", "温度F"},
                          {"tempC", "温度C", "温度"});
  if (c.time < 0 || c.value < 0) {
    errors.Add(
        Error::InvalidInput("header must name 'dt' and 'tempF' or 'tempC' (时间, 温度F or 温度C)",
                            {source, t->records[0].line, 0, ""}));
    return errors;
  }
  mv::TemperatureSeries s;
  for (size_t i = 1; i < t->records.size(); ++i) {
    const CsvRecord& r = t->records[i];
    auto cell = [&](int col) { return Cell(r, col); };
    Result<Instant> when = ParseInstant(cell(c.time), default_offset);
    if (!when.ok()) {
      errors.Add(Error::InvalidInput(when.error().message(), {source, r.line, c.time + 1, "dt"}));
      continue;
    }
    if (cell(c.value).empty() || cell(c.value) == "nan" || cell(c.value) == "NaN") {
      continue;  // a missing hour is a gap, not an error
    }
    std::optional<double> v = Number(cell(c.value));
    if (!v) {
      errors.Add(Error::InvalidInput("'" + cell(c.value) + "' is not a number",
                                     {source, r.line, c.value + 1, "temperature"}));
      continue;
    }
    if (!s.time.empty() && *when <= s.time.back()) {
      errors.Add(Error::InvalidInput("times must increase", {source, r.line, c.time + 1, "dt"}));
      continue;
    }
    s.time.push_back(*when);
    // °C to °F is a unit definition (F = C × 9/5 + 32), not a domain factor.
    s.fahrenheit.push_back(c.celsius ? *v * 9.0 / 5.0 + 32.0 : *v);
  }
  if (!errors.empty()) return errors;
  return s;
}

}  // namespace cl
