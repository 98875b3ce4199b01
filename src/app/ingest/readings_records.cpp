// Reading a readings file: records, fields, header columns and timestamps
// (declared in readings_records.h).
#include "readings_records.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>
#include <tuple>
#include <vector>

#include "core/encoding.h"

namespace cl::readings_file {
namespace {

using std::chrono::sys_days;

// Header aliases (docs/ingest.md).
const std::vector<std::string> kMeterNames = {"meter_id", "meter",        "表计编号",
                                              "表计",     "计量器具编号", "表号"};
const std::vector<std::string> kTimeNames = {"timestamp", "time",     "datetime", "时间",
                                             "时间戳",    "采集时间", "抄表时间"};
const std::vector<std::string> kValueNames = {"value", "reading", "consumption", "读数",
                                              "数值",  "用量",    "值"};
std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}
bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// The index of the column named `wanted` (or one of the aliases), or -1.
int FindColumn(const std::vector<std::string>& header, const std::string& wanted,
               const std::vector<std::string>& aliases) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (!wanted.empty()) {
      if (header[i] == wanted) return static_cast<int>(i);
      continue;
    }
    for (const auto& a : aliases)
      if (SameName(header[i], a)) return static_cast<int>(i);
  }
  return -1;
}

// Streams a file's records: CSV (RFC 4180: quotes, doubled quotes, quoted
// line breaks) or JSON Lines, from a TextStream in bounded memory.
class RecordSource {
 public:
  RecordSource(TextStream& text, bool lines_only) : text_(text), lines_only_(lines_only) {}

  // The next physical record [begin, end) without its line break; false at
  // the end. `quoted` says whether it contains a quote (slow path).
  Result<bool> Next(std::string_view& record, bool& quoted, int64_t& line) {
    for (;;) {
      size_t end;
      bool q = false;
      if (Scan(end, q)) {
        record = std::string_view{buf_}.substr(pos_, end - pos_);
        if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
        line = line_;
        for (size_t i = pos_; i < end; ++i) line_ += buf_[i] == '\n';
        ++line_;
        pos_ = end + 1;
        quoted = q;
        return true;
      }
      if (eof_) {
        if (pos_ >= buf_.size()) return false;
        record = std::string_view{buf_}.substr(pos_);
        if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
        line = line_;
        quoted = record.find('"') != std::string_view::npos;
        pos_ = buf_.size();
        return true;
      }
      buf_.erase(0, pos_);
      pos_ = 0;
      auto more = text_.ReadInto(buf_);
      if (!more.ok()) return more.error();
      if (!*more) eof_ = true;
    }
  }
  int64_t line() const { return line_; }

 private:
  // Finds the end of the record at pos_ (a line break outside quotes).
  bool Scan(size_t& end, bool& quoted) {
    size_t nl = buf_.find('\n', pos_);
    if (nl == std::string::npos) return false;
    const void* q = lines_only_ ? nullptr : std::memchr(buf_.data() + pos_, '"', nl - pos_);
    if (!q) {
      end = nl;
      return true;
    }
    quoted = true;
    // A quote opens a quoted field only at the start of a field, and a quoted
    // field ends at a quote not doubled; so one stray quote spoils its own
    // record, not every line after it.
    bool in = false;
    bool field_start = true;
    for (size_t i = pos_; i < buf_.size(); ++i) {
      char c = buf_[i];
      if (in) {
        if (c == '"') {
          if (i + 1 >= buf_.size()) return false;  // need the next byte to decide
          if (buf_[i + 1] == '"') {
            ++i;
          } else {
            in = false;
          }
        }
        continue;
      }
      if (c == '\n') {
        end = i;
        return true;
      }
      if (c == '"' && field_start) in = true;
      field_start = c == ',';
    }
    // A quote left open for more than kLongestRecord bytes is a broken
    // record, not a field: end it at its first line break (bad_csv) and go on,
    // so that one stray quote cannot swallow the file or the memory.
    if (buf_.size() - pos_ > kLongestRecord || eof_) {
      end = nl;
      return true;
    }
    return false;
  }

  static constexpr size_t kLongestRecord = size_t{1} << 20;
  TextStream& text_;
  bool lines_only_;  // JSON Lines: a record is a line, quotes or not
  std::string buf_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  bool eof_ = false;
};

// Splits a record without quotes at its commas (views into `record`).
void SplitPlain(std::string_view record, std::vector<std::string_view>& fields) {
  size_t start = 0;
  for (;;) {
    size_t comma = record.find(',', start);
    if (comma == std::string_view::npos) {
      fields.push_back(record.substr(start));
      return;
    }
    fields.push_back(record.substr(start, comma - start));
    start = comma + 1;
  }
}

// Reads the field that starts at record[i] into `field`, leaving i at the
// comma after it or the end; false for an unterminated quote, text after a
// closing quote, or a quote inside a bare field.
bool ReadField(std::string_view record, size_t& i, std::string& field) {
  if (i >= record.size() || record[i] != '"') {
    size_t comma = record.find(',', i);
    size_t stop = comma == std::string_view::npos ? record.size() : comma;
    field.assign(record.substr(i, stop - i));
    i = stop;
    return field.find('"') == std::string::npos;
  }
  ++i;
  for (;;) {
    if (i >= record.size()) return false;
    if (record[i] != '"') {
      field += record[i++];
    } else if (i + 1 < record.size() && record[i + 1] == '"') {
      field += '"';
      i += 2;
    } else {
      ++i;
      break;
    }
  }
  return i >= record.size() || record[i] == ',';
}

// Splits one CSV record into fields (views into `record`, or into `scratch`
// for quoted fields).
bool SplitCsv(std::string_view record, bool quoted, std::vector<std::string_view>& fields,
              std::vector<std::string>& scratch) {
  fields.clear();
  if (!quoted) {
    SplitPlain(record, fields);
    return true;
  }
  scratch.clear();
  scratch.reserve(record.size() + 1);  // views stay valid: no reallocation
  size_t i = 0;
  for (;;) {
    std::string field;
    if (!ReadField(record, i, field)) return false;
    scratch.push_back(std::move(field));
    fields.push_back(scratch.back());
    if (i >= record.size()) return true;
    ++i;  // the comma
    if (i == record.size()) {
      scratch.emplace_back();
      fields.push_back(scratch.back());
      return true;
    }
  }
}

bool IsJsonLines(const std::string& path, const std::string& format) {
  if (!format.empty()) return format == "jsonl" || format == "ndjson" || format == "json";
  return path.ends_with(".jsonl") || path.ends_with(".ndjson") || path.ends_with(".json");
}
// The value of the object's first key named `wanted` (or one of the
// aliases) as text: a string as is, a number as written, null as empty, any
// other type as "\x01" (reported as a bad value). False when there is none.
bool FindKey(const nlohmann::json& j, const std::string& wanted,
             const std::vector<std::string>& aliases, std::string& out, std::string& key) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool match = wanted.empty()
                     ? std::any_of(aliases.begin(), aliases.end(),
                                   [&](const std::string& a) { return SameName(it.key(), a); })
                     : it.key() == wanted;
    if (!match) continue;
    key = it.key();
    if (it->is_string()) {
      out = it->get<std::string>();
    } else if (it->is_number()) {
      out = it->dump();
    } else if (!it->is_null()) {
      out = "\x01";  // a type that is neither: reported as a bad value
    }
    return true;
  }
  return false;
}

// One file's reading: the header's columns once found, and the scratch space
// of the row in hand.
class RecordReader {
 public:
  RecordReader(RowSink& sink, const ReadingsMapping& mapping, bool& file_error)
      : sink_(sink), mapping_(mapping), file_error_(file_error) {}

  Status Run(TextStream& text, const std::string& path, const ImportOptions& opt) {
    const bool jsonl = IsJsonLines(path, mapping_.format);
    RecordSource src(text, jsonl);
    std::string_view rec;
    bool quoted = false;
    int64_t line = 0;
    uint64_t rows = 0;
    for (;;) {
      auto more = src.Next(rec, quoted, line);
      if (!more.ok()) {
        const Error& e = more.error();
        if (e.kind() != ErrorKind::kInvalidInput) return e;
        FileReject(e.where().line, "", "bad_encoding",
                   e.message() + "; the rest of the file was not read");
        return Ok{};
      }
      if (!*more) break;
      if ((++rows & 0xFFFF) == 0 && opt.progress) opt.progress(text.bytes_read(), text.file_size());
      if (jsonl) {
        CL_RETURN_IF_ERROR(JsonLine(line, rec));
      } else if (meter_col_ < 0) {
        if (!Header(line, rec, quoted)) return Ok{};
      } else if (auto st = CsvRow(line, rec, quoted); !st.ok()) {
        return st;
      }
    }
    if (!jsonl && meter_col_ < 0 && !file_error_)
      FileReject(1, "", "empty_file", "the file has no header row");
    return Ok{};
  }

 private:
  void FileReject(int64_t at, std::string field, std::string kind, std::string msg) {
    sink_.Reject(at, 0, std::move(field), std::move(kind), std::move(msg));
    file_error_ = true;
  }

  // A line of JSON Lines as an object, or false after rejecting it.
  bool ParseObject(int64_t line, std::string_view rec, nlohmann::json& j) {
    try {
      j = nlohmann::json::parse(rec);
    } catch (const nlohmann::json::out_of_range& e) {
      sink_.Reject(line, 0, "value", "bad_number", "a number out of range (e.g. 1e400)");
      return false;
    } catch (const nlohmann::json::exception& e) {
      int at = 0;
      if (const auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e))
        at = static_cast<int>(pe->byte);
      sink_.Reject(line, at, "", "bad_json",
                   "not a JSON object (syntax error near character " + std::to_string(at) + ")");
      return false;
    }
    if (!j.is_object()) {
      sink_.Reject(line, 1, "", "bad_json", "a line must be one JSON object");
      return false;
    }
    return true;
  }

  Status JsonLine(int64_t line, std::string_view rec) {
    std::string_view t = rec;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    if (t.empty()) return Ok{};
    nlohmann::json j;
    if (!ParseObject(line, rec, j)) return Ok{};
    std::string m;
    std::string t2;
    std::string v;
    std::string km;
    std::string kt;
    std::string kv;
    bool hm = FindKey(j, mapping_.meter, kMeterNames, m, km);
    bool ht = FindKey(j, mapping_.timestamp, kTimeNames, t2, kt);
    bool hv = FindKey(j, mapping_.value, kValueNames, v, kv);
    if (!hm || !ht || !hv) {
      const char* missing = !hm ? "meter" : !ht ? "timestamp" : "value";
      sink_.Reject(line, 0, missing, "missing_column",
                   std::string("the object has no ") + missing + " key");
      return Ok{};
    }
    return sink_.Row(line, m, 0, t2, 0, v, 0);
  }

  // The header row: finds the three columns. False (the file rejected) when
  // one is missing or the row is not CSV.
  bool Header(int64_t line, std::string_view rec, bool quoted) {
    std::vector<std::string> header;
    if (!SplitCsv(rec, quoted, fields_, scratch_)) {
      FileReject(line, "", "bad_csv", "the header row is not valid CSV");
      return false;
    }
    for (auto f : fields_) header.push_back(Trim(f));
    meter_col_ = FindColumn(header, mapping_.meter, kMeterNames);
    time_col_ = FindColumn(header, mapping_.timestamp, kTimeNames);
    value_col_ = FindColumn(header, mapping_.value, kValueNames);
    std::string found;
    for (const auto& h : header) found += (found.empty() ? "" : ", ") + h;
    for (auto [col, name, wanted] : {std::tuple{meter_col_, "meter", &mapping_.meter},
                                     std::tuple{time_col_, "timestamp", &mapping_.timestamp},
                                     std::tuple{value_col_, "value", &mapping_.value}}) {
      if (col >= 0) continue;
      FileReject(line, name, "missing_column",
                 std::string("no ") + name + " column" +
                     (wanted->empty() ? "" : " named '" + *wanted + "'") + " in the header (" +
                     found + "); rename the column, or map another column to " + name);
    }
    return !file_error_;
  }

  Status CsvRow(int64_t line, std::string_view rec, bool quoted) {
    if (rec.empty()) return Ok{};
    if (!SplitCsv(rec, quoted, fields_, scratch_)) {
      sink_.Reject(line, 0, "", "bad_csv", "unbalanced or misplaced quotes");
      return Ok{};
    }
    int need = std::max({meter_col_, time_col_, value_col_});
    if (static_cast<int>(fields_.size()) <= need) {
      sink_.Reject(line, static_cast<int>(fields_.size()) + 1, "", "missing_field",
                   "the row has " + std::to_string(fields_.size()) + " fields; expected at least " +
                       std::to_string(need + 1));
      return Ok{};
    }
    return sink_.Row(line, fields_[static_cast<size_t>(meter_col_)], meter_col_ + 1,
                     fields_[static_cast<size_t>(time_col_)], time_col_ + 1,
                     fields_[static_cast<size_t>(value_col_)], value_col_ + 1);
  }

  RowSink& sink_;
  const ReadingsMapping& mapping_;
  bool& file_error_;
  int meter_col_ = -1, time_col_ = -1, value_col_ = -1;
  std::vector<std::string_view> fields_;
  std::vector<std::string> scratch_;
};
}  // namespace

std::string ValidUtf8(std::string s) {
  if (IsValidUtf8(s)) return s;
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n > 0 && i + n <= s.size() && IsValidUtf8(std::string_view{s}.substr(i, n))) {
      out.append(s, i, n);
      i += n;
    } else {
      char buf[8];
      (void)std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
    }
  }
  return out;
}
// Days since 1970-01-01 of a valid calendar date.
std::optional<int64_t> DayNumber(int y, int mo, int d) {
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(mo)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd}.time_since_epoch().count();
}

// ":SS" and an optional zero fraction (".000") from s[p]; false when bad.
bool ParseSeconds(std::string_view s, size_t& p, int& sec) {
  if (p >= s.size() || s[p] != ':') return true;
  if (!Digits(s, p + 1, 2, sec)) return false;
  p += 3;
  if (p >= s.size() || (s[p] != '.' && s[p] != ',')) return true;
  ++p;
  const size_t start = p;
  while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
  if (p == start) return false;
  for (size_t i = start; i < p; ++i)
    if (s[i] != '0') return false;  // sub-second readings are not on any meter's grid
  return true;
}

// "Z", "+08", "+08:00" or "+0800" from s[p] to the end.
bool ParseOffset(std::string_view s, size_t p, ParsedTime& t) {
  if (s[p] == 'Z' && p + 1 == s.size()) {
    t.has_offset = true;
    t.offset_s = 0;
    return true;
  }
  if (s[p] != '+' && s[p] != '-') return false;
  const int sign = s[p] == '-' ? -1 : 1;
  int oh = 0;
  int om = 0;
  if (!Digits(s, p + 1, 2, oh)) return false;
  size_t q = p + 3;
  if (q < s.size()) {
    if (s[q] == ':') ++q;
    if (!Digits(s, q, 2, om)) return false;
    q += 2;
  }
  if (q != s.size() || oh > 14 || om > 59) return false;
  t.has_offset = true;
  t.offset_s = sign * (oh * 3600 + om * 60);
  return true;
}

bool ParseTime(std::string_view s, ParsedTime& t) {
  constexpr int64_t kDay = 86400;
  int y = 0;
  int mo = 0;
  int d = 0;
  int h = 0;
  int mi = 0;
  int sec = 0;
  t.has_offset = false;
  if (s.size() == 10 && Digits(s, 0, 4, y) && s[4] == '-' && Digits(s, 5, 2, mo) && s[7] == '-' &&
      Digits(s, 8, 2, d)) {  // a date alone: local midnight (daily and monthly meters)
    std::optional<int64_t> day = DayNumber(y, mo, d);
    if (!day) return false;
    t.wall = *day * kDay;
    return true;
  }
  if (s.size() < 16 || !Digits(s, 0, 4, y) || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi))
    return false;
  size_t p = 16;
  if (!ParseSeconds(s, p, sec)) return false;
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59) return false;
  std::optional<int64_t> day = DayNumber(y, mo, d);
  if (!day) return false;
  t.wall = *day * kDay + int64_t{h} * 3600 + int64_t{mi} * 60 + sec;
  if (p == s.size()) return true;
  return ParseOffset(s, p, t);
}

Status ReadRecords(RowSink& sink, TextStream& text, const std::string& path,
                   const ReadingsMapping& mapping, const ImportOptions& opt, bool& file_error) {
  return RecordReader(sink, mapping, file_error).Run(text, path, opt);
}
}  // namespace cl::readings_file
