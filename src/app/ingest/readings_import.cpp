// The readings importer: one streaming pass over the file, one open chunk per
// meter, merged into the store when the meter's readings move to another
// chunk. Memory stays bounded by the number of meters, not the file's size.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/encoding.h"
#include "core/period.h"
#include "core/text_stream.h"
#include "core/timezone.h"
#include "formats/text_util.h"
#include "ingest/ingest.h"
#include "metering/register_steps.h"
#include "store/chunk.h"
#include "store/store.h"

namespace cl {
namespace {

using std::chrono::seconds;
using std::chrono::sys_days;

constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

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

// Text quoted from a file into a message: bytes that are not UTF-8 become
// \xNN, so that a reject can always be stored (PostgreSQL checks UTF-8).
std::string ValidUtf8(std::string s) {
  if (IsValidUtf8(s)) return s;
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n > 0 && i + n <= s.size() && IsValidUtf8(std::string_view(s).substr(i, n))) {
      out.append(s, i, n);
      i += n;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
    }
  }
  return out;
}

// --- timestamps -------------------------------------------------------------

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

// "YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|+HH:MM|+HHMM|+HH]" or "YYYY-MM-DD". Seconds since the
// epoch of the wall-clock time, and the offset when the text has one.
struct ParsedTime {
  int64_t wall = 0;
  bool has_offset = false;
  int offset_s = 0;
};
bool ParseTime(std::string_view s, ParsedTime& t) {
  int y, mo, d, h, mi, sec = 0;
  if (s.size() == 10 && Digits(s, 0, 4, y) && s[4] == '-' && Digits(s, 5, 2, mo) && s[7] == '-' &&
      Digits(s, 8, 2, d)) {  // a date alone: local midnight (daily and monthly meters)
    std::chrono::year_month_day ymd{std::chrono::year(y),
                                    std::chrono::month(static_cast<unsigned>(mo)),
                                    std::chrono::day(static_cast<unsigned>(d))};
    if (!ymd.ok()) return false;
    t.wall = sys_days(ymd).time_since_epoch().count() * 86400;
    t.has_offset = false;
    return true;
  }
  if (s.size() < 16 || !Digits(s, 0, 4, y) || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi))
    return false;
  size_t p = 16;
  if (p < s.size() && s[p] == ':') {
    if (!Digits(s, p + 1, 2, sec)) return false;
    p += 3;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
      ++p;
      size_t start = p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
      if (p == start) return false;
      for (size_t i = start; i < p; ++i)
        if (s[i] != '0') return false;  // sub-second readings are not on any meter's grid
    }
  }
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59) return false;
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(mo)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return false;
  t.wall = sys_days(ymd).time_since_epoch().count() * 86400 + h * 3600 + mi * 60 + sec;
  t.has_offset = false;
  if (p == s.size()) return true;
  if (s[p] == 'Z' && p + 1 == s.size()) {
    t.has_offset = true;
    t.offset_s = 0;
    return true;
  }
  if (s[p] != '+' && s[p] != '-') return false;
  int sign = s[p] == '-' ? -1 : 1;
  int oh, om = 0;
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

std::string Iso(int64_t utc) { return FormatInstant(Instant(seconds(utc))); }

// --- per-meter state ----------------------------------------------------------

struct MeterState {
  MeterRecord rec;
  std::optional<TimeZone> tz;
  int interval_s = 0;  // 0 for daily and monthly meters
  // The open chunk.
  int32_t day = std::numeric_limits<int32_t>::min();  // chunk_day of the open chunk
  int64_t start = 0, end = 0;                         // its [start, end) in UTC seconds
  Chunk chunk;
  std::vector<int64_t> lines;  // source line per slot
  int out_of_order = 0;
  int64_t last_ts = kNoTime;  // the previous row's time in file order
  // Local-time cache: the local day [wall_start, wall_end) has a fixed offset.
  int64_t wall_start = 1, wall_end = 0, wall_offset = 0;
  // First and last stored chunk_day: chunks outside cannot exist yet.
  std::optional<std::pair<int32_t, int32_t>> stored;
  int32_t last_closed = std::numeric_limits<int32_t>::min();  // in file order
  std::set<int32_t> missing_days;  // days flagged missing_day in the store
  bool loaded = false;             // stored and missing_days read (Load)
};

// The chunk of an instant: a local day (sub-daily meters), month (daily
// meters) or year (monthly meters), and the slot within it.
struct Slotting {
  int32_t day;
  int64_t start, end;
  int slots;
};

Slotting ChunkOf(const MeterState& m, int64_t utc) {
  const TimeZone& tz = *m.tz;
  sys_days local = tz.DayOf(Instant(seconds(utc)));
  sys_days first = local, next = local + std::chrono::days(1);
  if (m.rec.interval == MeterInterval::kDaily || m.rec.interval == MeterInterval::kMonthly) {
    std::chrono::year_month_day ymd(local);
    if (m.rec.interval == MeterInterval::kDaily) {
      first = sys_days(ymd.year() / ymd.month() / 1);
      next = sys_days((ymd.year() / ymd.month() + std::chrono::months(1)) / 1);
    } else {
      first = sys_days(ymd.year() / 1 / 1);
      next = sys_days((ymd.year() + std::chrono::years(1)) / 1 / 1);
    }
  }
  int64_t start = tz.StartOf(first).time_since_epoch().count();
  int64_t end = tz.StartOf(next).time_since_epoch().count();
  int slots = 0;
  switch (m.rec.interval) {
    case MeterInterval::kDaily:
      slots = static_cast<int>((next - first).count());
      break;
    case MeterInterval::kMonthly:
      slots = 12;
      break;
    default:
      slots = static_cast<int>((end - start + m.interval_s - 1) / m.interval_s);
  }
  return {static_cast<int32_t>(first.time_since_epoch().count()), start, end, slots};
}

// The slot of `utc` in the chunk, or -1 when it is off the meter's grid.
int SlotOf(const MeterState& m, int64_t utc) {
  if (m.interval_s > 0) {
    int64_t off = utc - m.start;
    return off % m.interval_s == 0 ? static_cast<int>(off / m.interval_s) : -1;
  }
  const TimeZone& tz = *m.tz;
  sys_days local = tz.DayOf(Instant(seconds(utc)));
  if (tz.StartOf(local).time_since_epoch().count() != utc) return -1;  // not local midnight
  std::chrono::year_month_day ymd(local);
  if (m.rec.interval == MeterInterval::kDaily) return static_cast<int>(unsigned(ymd.day())) - 1;
  if (unsigned(ymd.day()) != 1) return -1;
  return static_cast<int>(unsigned(ymd.month())) - 1;
}

// The UTC instant of slot `s` of the chunk starting at local day `day`.
int64_t SlotTime(const MeterState& m, int32_t day, int64_t start, int s) {
  if (m.interval_s > 0) return start + int64_t{s} * m.interval_s;
  sys_days first{std::chrono::days(day)};
  if (m.rec.interval == MeterInterval::kDaily)
    return m.tz->StartOf(first + std::chrono::days(s)).time_since_epoch().count();
  std::chrono::year_month_day ymd(first);
  return m.tz->StartOf(sys_days(ymd.year() / std::chrono::month(static_cast<unsigned>(s + 1)) / 1))
      .time_since_epoch()
      .count();
}

// --- the importer -------------------------------------------------------------

class Importer {
 public:
  Importer(Store& store, const ImportOptions& options, std::string file, bool timestamps_end)
      : store_(store), opt_(options), file_(std::move(file)), timestamps_end_(timestamps_end) {}

  Status Start(int64_t batch_id) {
    batch_.id = batch_id;
    batch_.source = file_;
    auto meters = store_.Registry().ListMeters();
    if (!meters.ok()) return meters.error();
    for (auto& rec : *meters) {
      // A caller limited to some units does not know the others' meters.
      if (opt_.units &&
          std::find(opt_.units->begin(), opt_.units->end(), rec.unit_id) == opt_.units->end())
        continue;
      auto tz = TimeZone::Find(rec.time_zone);
      if (!tz.ok()) return tz.error();
      auto st = std::make_unique<MeterState>();
      st->rec = rec;
      st->tz = *tz;
      st->interval_s = IntervalSeconds(rec.interval);
      meters_.emplace(rec.id, std::move(st));
    }
    return Ok{};
  }

  // What the store holds of a meter, read when the file first names it (a
  // file usually names a few of the registry's meters).
  Status Load(MeterState& st) {
    st.loaded = true;
    auto range = store_.Readings().ChunkRange(st.rec.unit_no, st.rec.meter_no);
    if (!range.ok()) return range.error();
    st.stored = *range;
    if (st.interval_s > 0 && st.stored) {
      auto days = store_.Readings().FlagDays(st.rec.meter_no, "missing_day");
      if (!days.ok()) return days.error();
      st.missing_days.insert(days->begin(), days->end());
    }
    return Ok{};
  }

  void Reject(int64_t line, int column, std::string field, std::string kind, std::string message) {
    ++batch_.rejected;
    pending_rejects_.push_back(
        {batch_.id, file_, line, column, ValidUtf8(field), std::move(kind), ValidUtf8(message)});
  }

  // One data row. Columns are 1-based positions for the rejects.
  Status Row(int64_t line, std::string_view meter_text, int meter_col, std::string_view time_text,
             int time_col, std::string_view value_text, int value_col) {
    ++batch_.rows;
    MeterState* m = last_meter_;
    if (!m || m->rec.id != meter_text) {
      auto it = meters_.find(std::string(meter_text));
      if (it == meters_.end()) {
        Reject(line, meter_col, "meter", meter_text.empty() ? "missing_value" : "unknown_meter",
               meter_text.empty() ? "meter is empty"
                                  : "meter '" + std::string(meter_text) +
                                        "' is not registered; import it with 'carbonledger "
                                        "import meters' first");
        return Flush();
      }
      m = it->second.get();
      if (!m->loaded) {
        if (auto st = Load(*m); !st.ok()) return st;
      }
      last_meter_ = m;
    }
    ParsedTime pt;
    if (!ParseTime(time_text, pt)) {
      Reject(line, time_col, "timestamp", time_text.empty() ? "missing_value" : "bad_timestamp",
             time_text.empty() ? "timestamp is empty"
                               : "'" + std::string(time_text) +
                                     "' is not an ISO 8601 date-time such as "
                                     "2025-01-01T00:15:00+08:00 (whole seconds)");
      return Flush();
    }
    int64_t utc = pt.has_offset ? pt.wall - pt.offset_s : Local(*m, pt.wall);
    if (timestamps_end_ && m->interval_s > 0) utc -= m->interval_s;
    double value = 0;
    std::string_view v = value_text;
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.remove_suffix(1);
    if (!v.empty() && v.front() == '+') v.remove_prefix(1);
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(value)) {
      Reject(line, value_col, "value", v.empty() ? "missing_value" : "bad_number",
             v.empty()
                 ? "value is empty"
                 : "'" + std::string(value_text) + "' is not a number (use '.' for decimals)");
      return Flush();
    }
    if (utc > opt_.now.time_since_epoch().count() + opt_.vee.future_tolerance.count()) {
      Reject(line, time_col, "timestamp", "future_timestamp",
             Iso(utc) + " is in the future (now " + FormatInstant(opt_.now) + ")");
      return Flush();
    }
    if (value < 0) {
      Reject(line, value_col, "value", "negative_value",
             m->rec.kind == MeterKind::kInterval
                 ? "negative consumption " + std::string(v) + " for an interval meter"
                 : "negative register reading " + std::string(v));
      return Flush();
    }
    if (utc < m->start || utc >= m->end) {
      auto st = OpenChunk(*m, utc);
      if (!st.ok()) return st;
    }
    int slot = SlotOf(*m, utc);
    if (slot < 0 || slot >= m->chunk.slots()) {
      Reject(line, time_col, "timestamp", "off_grid",
             Iso(utc) + " is not on the " + MeterIntervalName(m->rec.interval) +
                 " grid of meter '" + m->rec.id + "' (" + m->rec.time_zone + ")");
      return Flush();
    }
    if (m->chunk.present[slot]) {
      bool same = m->chunk.values[slot] == value;
      Reject(line, time_col, "timestamp", same ? "duplicate" : "conflicting_duplicate",
             "meter '" + m->rec.id + "' at " + Iso(utc) + " already appears on line " +
                 std::to_string(m->lines[slot]) +
                 (same ? " with the same value" : " with another value"));
      return Flush();
    }
    if (m->last_ts != kNoTime && utc < m->last_ts) ++m->out_of_order;
    m->last_ts = utc;
    m->chunk.present[slot] = 1;
    m->chunk.values[slot] = value;
    m->chunk.batch[slot] = batch_.id;
    m->lines[slot] = line;
    return Flush();
  }

  Status Finish() {
    for (auto& [id, m] : meters_) {
      auto st = CloseChunk(*m);
      if (!st.ok()) return st;
    }
    std::vector<MonthTotal> deltas;
    for (const auto& [key, d] : month_deltas_) deltas.push_back(d);
    if (auto st = store_.Readings().AddMonthTotals(deltas); !st.ok()) return st;
    auto st = store_.Imports().AddRejects(pending_rejects_);
    pending_rejects_.clear();
    return st;
  }

  BatchRecord& batch() { return batch_; }

 private:
  int64_t Local(MeterState& m, int64_t wall) {
    if (wall >= m.wall_start && wall < m.wall_end) return wall - m.wall_offset;
    int64_t day_wall = wall - (((wall % 86400) + 86400) % 86400);
    int64_t a =
        m.tz->FromLocal(std::chrono::local_seconds(seconds(day_wall))).time_since_epoch().count();
    int64_t b = m.tz->FromLocal(std::chrono::local_seconds(seconds(day_wall + 86400)))
                    .time_since_epoch()
                    .count();
    int64_t off = day_wall - a;
    if (b - a == 86400) {  // no offset change that day: cache it
      m.wall_start = day_wall;
      m.wall_end = day_wall + 86400;
      m.wall_offset = off;
      return wall - off;
    }
    return m.tz->FromLocal(std::chrono::local_seconds(seconds(wall))).time_since_epoch().count();
  }

  Status Flush() {
    if (pending_rejects_.size() < 4096) return Ok{};
    auto st = store_.Imports().AddRejects(pending_rejects_);
    pending_rejects_.clear();
    return st;
  }

  Status OpenChunk(MeterState& m, int64_t utc) {
    auto st = CloseChunk(m);
    if (!st.ok()) return st;
    Slotting s = ChunkOf(m, utc);
    if (auto gap = MissingDays(m, s.day); !gap.ok()) return gap;
    m.day = s.day;
    m.start = s.start;
    m.end = s.end;
    if (m.chunk.slots() != s.slots) {
      m.chunk = Chunk(s.slots);
      m.lines.assign(static_cast<size_t>(s.slots), 0);
    }
    return Ok{};
  }

  // Merges the open chunk into the stored one.
  Status CloseChunk(MeterState& m) {
    if (m.day == std::numeric_limits<int32_t>::min()) return Ok{};
    Chunk& in = m.chunk;
    bool any = std::find(in.present.begin(), in.present.end(), 1) != in.present.end();
    Status result = Ok{};
    if (any) result = Merge(m);
    std::fill(in.present.begin(), in.present.end(), 0);
    std::fill(in.values.begin(), in.values.end(), 0.0);
    std::fill(in.batch.begin(), in.batch.end(), 0);
    m.out_of_order = 0;
    m.last_closed = m.day;
    m.day = std::numeric_limits<int32_t>::min();
    m.start = m.end = 0;
    return result;
  }

  Status Merge(MeterState& m) {
    const MeterRecord& r = m.rec;
    const bool may_exist = m.stored && m.day >= m.stored->first && m.day <= m.stored->second;
    auto stored = may_exist ? store_.Readings().GetChunk(r.unit_no, r.meter_no, m.day)
                            : Result<std::optional<StoredChunk>>(std::optional<StoredChunk>());
    if (!stored.ok()) return stored.error();
    Chunk merged(m.chunk.slots());
    if (stored->has_value()) {
      auto d = DecodeChunk((*stored)->data);
      if (!d.ok()) return d.error();
      if (d->slots() != merged.slots())
        return Error(ErrorKind::kInternal, "stored chunk of meter '" + r.id + "' has " +
                                               std::to_string(d->slots()) + " slots, expected " +
                                               std::to_string(merged.slots()));
      merged = std::move(*d);
    }
    const Chunk before = merged;
    std::vector<RevisionRecord> revisions;
    bool changed = false;
    int64_t accepted = 0, unchanged = 0;
    // Slots an earlier pass of this chunk in this file left unchanged keep
    // their old batch, so they are remembered here to catch repeats.
    const uint64_t seen_key =
        (static_cast<uint64_t>(r.meter_no) << 32) | static_cast<uint32_t>(m.day);
    auto seen = seen_.find(seen_key);
    for (int s = 0; s < merged.slots(); ++s) {
      if (!m.chunk.present[s]) continue;
      double v = m.chunk.values[s];
      const bool earlier =
          merged.present[s] && (merged.batch[s] == batch_.id ||
                                (seen != seen_.end() && seen->second[static_cast<size_t>(s)]));
      if (earlier) {  // this file, in an earlier pass of the chunk
        Reject(m.lines[s], 0, "timestamp",
               merged.values[s] == v ? "duplicate" : "conflicting_duplicate",
               "meter '" + r.id + "' at " + Iso(SlotTime(m, m.day, m.start, s)) +
                   " already appears earlier in this file");
        m.chunk.present[s] = 0;
        continue;
      }
      if (merged.present[s]) {
        if (merged.values[s] == v) {
          ++unchanged;
          continue;
        }
        revisions.push_back({r.meter_no, r.unit_no, SlotTime(m, m.day, m.start, s),
                             merged.values[s], merged.batch[s], v, batch_.id, NowUtc(),
                             opt_.actor.user});
      } else {
        ++accepted;
      }
      merged.present[s] = 1;
      merged.values[s] = v;
      merged.batch[s] = batch_.id;
      changed = true;
    }
    if (unchanged > 0) {
      std::vector<bool>& bits = seen_[seen_key];
      bits.resize(static_cast<size_t>(merged.slots()), false);
      for (int s = 0; s < merged.slots(); ++s)
        if (m.chunk.present[s]) bits[static_cast<size_t>(s)] = true;
    }
    std::vector<FlagRecord> chunk_flags;
    double total = 0;
    if (r.kind == MeterKind::kRegister) {
      auto st = RegisterPass(m, before, merged, revisions, accepted, chunk_flags, total);
      if (!st.ok()) return st;
      changed = false;
      for (int s = 0; s < merged.slots() && !changed; ++s)
        changed = merged.present[s] != before.present[s] ||
                  (merged.present[s] && merged.values[s] != before.values[s]);
    } else {
      for (int s = 0; s < merged.slots(); ++s)
        if (merged.present[s]) total += merged.values[s];
      total *= r.multiplier;
      SpikeFlags(m, merged, merged.values, chunk_flags);
    }
    batch_.accepted += accepted;
    batch_.unchanged += unchanged;
    batch_.revised += static_cast<int64_t>(revisions.size());
    std::vector<FlagRecord> row_flags;
    if (m.out_of_order > 0)
      row_flags.push_back(
          {r.meter_no, r.unit_no, m.day, -1, "out_of_order",
           std::to_string(m.out_of_order) + " readings came after a later reading of this meter",
           batch_.id});
    if (!changed) {
      if (!row_flags.empty()) {
        batch_.flagged += static_cast<int64_t>(row_flags.size());
        return store_.Readings().AddFlags(row_flags);
      }
      return Ok{};
    }
    CompletenessFlags(m, merged, chunk_flags);
    StoredChunk out{r.unit_no, r.meter_no,         m.day, merged.count(), total,
                    batch_.id, EncodeChunk(merged)};
    AddMonthDelta(m, m.day, out.count - (stored->has_value() ? (*stored)->count : 0),
                  out.total - (stored->has_value() ? (*stored)->total : 0.0));
    if (auto st = store_.Readings().PutChunk(out); !st.ok()) return st;
    m.stored = m.stored
                   ? std::pair{std::min(m.stored->first, m.day), std::max(m.stored->second, m.day)}
                   : std::pair{m.day, m.day};
    if (!revisions.empty())
      if (auto st = store_.Readings().AddRevisions(revisions); !st.ok()) return st;
    for (auto& f : row_flags) chunk_flags.push_back(f);
    batch_.flagged += static_cast<int64_t>(chunk_flags.size());
    // A chunk that did not exist has no findings to replace, unless its day
    // was flagged missing.
    const bool was_missing = m.missing_days.erase(m.day) > 0;
    auto st = stored->has_value() || was_missing
                  ? store_.Readings().ReplaceChunkFlags(
                        r.meter_no, m.day,
                        {"gap", "incomplete_day", "spike", "register_reset", "register_rollover",
                         "register_decrease", "missing_day"},
                        chunk_flags)
                  : store_.Readings().AddFlags(chunk_flags);
    if (!st.ok()) return st;
    if (r.kind == MeterKind::kRegister) return RefreshNextRegisterTotal(m, merged);
    return Ok{};
  }

  // Month totals change with every chunk total (not for monthly meters,
  // whose chunk is a year).
  void AddMonthDelta(const MeterState& m, int32_t day, int64_t count, double total) {
    if (m.rec.interval == MeterInterval::kMonthly || (count == 0 && total == 0)) return;
    std::chrono::year_month_day ymd{sys_days(std::chrono::days(day))};
    int32_t month =
        static_cast<int32_t>(ymd.year()) * 12 + static_cast<int32_t>(unsigned(ymd.month())) - 1;
    MonthTotal& d = month_deltas_[{m.rec.meter_no, month}];
    d.unit_no = m.rec.unit_no;
    d.meter_no = m.rec.meter_no;
    d.month = month;
    d.count += count;
    d.total += total;
  }

  // Whole days without a reading between two days of one meter in this file
  // (sub-daily meters): flagged missing_day, since no chunk will carry them.
  Status MissingDays(MeterState& m, int32_t next_day) {
    if (m.interval_s == 0 || m.last_closed == std::numeric_limits<int32_t>::min() ||
        next_day <= m.last_closed + 1)
      return Ok{};
    std::vector<FlagRecord> flags;
    const int64_t now_day = opt_.now.time_since_epoch().count() / 86400;
    for (int32_t d = m.last_closed + 1; d < next_day && d < now_day; ++d) {
      if (m.missing_days.count(d)) continue;
      if (m.stored && d >= m.stored->first && d <= m.stored->second) {
        auto c = store_.Readings().GetChunk(m.rec.unit_no, m.rec.meter_no, d);
        if (!c.ok()) return c.error();
        if (c->has_value()) continue;
      }
      if (flags.size() >= 366) break;  // a year of flags says enough
      flags.push_back({m.rec.meter_no, m.rec.unit_no, d, -1, "missing_day",
                       "no readings on " +
                           FormatDate(std::chrono::year_month_day(sys_days(std::chrono::days(d)))),
                       batch_.id});
      m.missing_days.insert(d);
    }
    batch_.flagged += static_cast<int64_t>(flags.size());
    return flags.empty() ? Status(Ok{}) : store_.Readings().AddFlags(flags);
  }

  // The last reading before this chunk (for a register's first interval).
  Result<std::optional<double>> PreviousRegister(const MeterState& m) {
    std::optional<double> prev;
    auto st = store_.Readings().ScanChunks(m.rec.unit_no, m.rec.meter_no, m.day - 400, m.day - 1,
                                           [&](const StoredChunk& c) {
                                             auto d = DecodeChunk(c.data);
                                             if (!d.ok()) return;
                                             for (int s = d->slots() - 1; s >= 0; --s)
                                               if (d->present[s]) {
                                                 prev = d->values[s];
                                                 return;
                                               }
                                           });
    if (!st.ok()) return st.error();
    return prev;
  }

  using Step = RegisterStep;
  Step Classify(const MeterRecord& r, double a, double b) const {
    return ClassifyStep(r, opt_.vee, a, b);
  }
  static double Consumption(const MeterRecord& r, double a, double b, Step s) {
    return StepConsumption(r, a, b, s);
  }

  // Register meters: a decrease that is neither a rollover nor a reset
  // rejects the new reading; consumption is the sum of the steps.
  Status RegisterPass(MeterState& m, const Chunk& before, Chunk& merged,
                      std::vector<RevisionRecord>& revisions, int64_t& accepted,
                      std::vector<FlagRecord>& flags, double& total) {
    const MeterRecord& r = m.rec;
    auto prev_r = PreviousRegister(m);
    if (!prev_r.ok()) return prev_r.error();
    std::optional<double> prev = *prev_r;
    total = 0;
    for (int s = 0; s < merged.slots(); ++s) {
      if (!merged.present[s]) continue;
      double v = merged.values[s];
      if (prev) {
        Step step = Classify(r, *prev, v);
        bool new_here = merged.batch[s] == batch_.id && (m.chunk.present[s] != 0);
        if (step == Step::kDecrease && new_here) {
          Reject(m.lines[s], 0, "value", "register_decrease",
                 "register of meter '" + r.id + "' falls from " + ShortestNumber(*prev) + " to " +
                     ShortestNumber(v) + " at " + Iso(SlotTime(m, m.day, m.start, s)) +
                     " without a rollover or reset");
          // Undo this slot: back to what was stored, or absent.
          if (before.present[s]) {
            merged.values[s] = before.values[s];
            merged.batch[s] = before.batch[s];
            std::erase_if(revisions, [&](const RevisionRecord& x) {
              return x.ts == SlotTime(m, m.day, m.start, s);
            });
          } else {
            merged.present[s] = 0;
            merged.values[s] = 0;
            merged.batch[s] = 0;
            --accepted;
            continue;
          }
          v = merged.values[s];
          step = Classify(r, *prev, v);
        }
        if (step == Step::kRollover || step == Step::kReset)
          flags.push_back({r.meter_no, r.unit_no, m.day, s,
                           step == Step::kRollover ? "register_rollover" : "register_reset",
                           ShortestNumber(*prev) + " -> " + ShortestNumber(v), batch_.id});
        if (step == Step::kDecrease)
          flags.push_back({r.meter_no, r.unit_no, m.day, s, "register_decrease",
                           ShortestNumber(*prev) + " -> " + ShortestNumber(v) + " (stored earlier)",
                           batch_.id});
        total += Consumption(r, *prev, v, step);
      }
      prev = v;
    }
    total *= r.multiplier;
    return Ok{};
  }

  // After a register chunk changes, the next stored chunk's first step does too.
  Status RefreshNextRegisterTotal(const MeterState& m, const Chunk& merged) {
    std::optional<double> last;
    for (int s = merged.slots() - 1; s >= 0 && !last; --s)
      if (merged.present[s]) last = merged.values[s];
    std::optional<StoredChunk> next;
    auto st = store_.Readings().ScanChunks(m.rec.unit_no, m.rec.meter_no, m.day + 1, m.day + 400,
                                           [&](const StoredChunk& c) {
                                             if (!next) next = c;
                                           });
    if (!st.ok() || !next || !last) return st;
    auto d = DecodeChunk(next->data);
    if (!d.ok()) return d.error();
    std::optional<double> prev = last;
    double total = 0;
    for (int s = 0; s < d->slots(); ++s) {
      if (!d->present[s]) continue;
      if (prev)
        total += Consumption(m.rec, *prev, d->values[s], Classify(m.rec, *prev, d->values[s]));
      prev = d->values[s];
    }
    AddMonthDelta(m, next->chunk_day, 0, total * m.rec.multiplier - next->total);
    next->total = total * m.rec.multiplier;
    return store_.Readings().PutChunk(*next);
  }

  // A reading above spike_factor x the mean of the chunk's other readings.
  // The mean, not the median: a canteen's gas meter peaks at meal times
  // over a base near zero, which is a shape, not a spike.
  void SpikeFlags(const MeterState& m, const Chunk& c, const std::vector<double>& use,
                  std::vector<FlagRecord>& flags) {
    double sum = 0;
    int n = 0;
    for (int s = 0; s < c.slots(); ++s)
      if (c.present[s]) {
        sum += use[s];
        ++n;
      }
    if (n < 4) return;
    for (int s = 0; s < c.slots(); ++s) {
      if (!c.present[s]) continue;
      double others = (sum - use[s]) / (n - 1);
      if (others > 0 && use[s] > opt_.vee.spike_factor * others)
        flags.push_back(
            {m.rec.meter_no, m.rec.unit_no, m.day, s, "spike",
             ShortestNumber(use[s]) + " is more than " + ShortestNumber(opt_.vee.spike_factor) +
                 " x the mean of the chunk's other readings (" + ShortestNumber(others) + ")",
             batch_.id});
    }
  }

  // Gaps inside the chunk, and days under the completeness threshold; only
  // the part of the chunk that is already past counts.
  void CompletenessFlags(const MeterState& m, const Chunk& c, std::vector<FlagRecord>& flags) {
    const int64_t now = opt_.now.time_since_epoch().count();
    int due = 0, present = 0;
    int run_start = -1;
    auto close_run = [&](int s) {
      if (run_start < 0) return;
      flags.push_back({m.rec.meter_no, m.rec.unit_no, m.day, run_start, "gap",
                       std::to_string(s - run_start) + " readings missing from " +
                           Iso(SlotTime(m, m.day, m.start, run_start)),
                       batch_.id});
      run_start = -1;
    };
    for (int s = 0; s < c.slots(); ++s) {
      if (SlotTime(m, m.day, m.start, s) >= now) {
        close_run(s);
        break;
      }
      ++due;
      if (c.present[s]) {
        ++present;
        close_run(s);
      } else if (run_start < 0) {
        run_start = s;
      }
    }
    if (run_start >= 0) close_run(due);
    if (m.interval_s > 0 && m.end <= now && due > 0 &&
        present < opt_.vee.minimum_daily_completeness * due)
      flags.push_back({m.rec.meter_no, m.rec.unit_no, m.day, -1, "incomplete_day",
                       std::to_string(present) + " of " + std::to_string(due) + " readings (" +
                           ShortestNumber(100.0 * present / due) + " %, under " +
                           ShortestNumber(100 * opt_.vee.minimum_daily_completeness) + " %)",
                       batch_.id});
  }

  Store& store_;
  const ImportOptions& opt_;
  std::string file_;
  BatchRecord batch_;
  std::unordered_map<std::string, std::unique_ptr<MeterState>> meters_;
  MeterState* last_meter_ = nullptr;
  std::vector<RejectRecord> pending_rejects_;
  bool timestamps_end_;
  std::map<std::pair<int64_t, int32_t>, MonthTotal> month_deltas_;
  std::unordered_map<uint64_t, std::vector<bool>> seen_;  // (meter, day) -> slots left unchanged
};

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
        record = std::string_view(buf_).substr(pos_, end - pos_);
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
        record = std::string_view(buf_).substr(pos_);
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
    bool in = false, field_start = true;
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

// Splits one CSV record into fields (views into `record`, or into `scratch`
// for quoted fields).
bool SplitCsv(std::string_view record, bool quoted, std::vector<std::string_view>& fields,
              std::vector<std::string>& scratch) {
  fields.clear();
  if (!quoted) {
    size_t start = 0;
    for (;;) {
      size_t comma = record.find(',', start);
      if (comma == std::string_view::npos) {
        fields.push_back(record.substr(start));
        return true;
      }
      fields.push_back(record.substr(start, comma - start));
      start = comma + 1;
    }
  }
  scratch.clear();
  scratch.reserve(record.size() + 1);  // views stay valid: no reallocation
  size_t i = 0;
  for (;;) {
    std::string field;
    if (i < record.size() && record[i] == '"') {
      ++i;
      for (;;) {
        if (i >= record.size()) return false;  // unterminated quote
        if (record[i] == '"') {
          if (i + 1 < record.size() && record[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += record[i++];
      }
      if (i < record.size() && record[i] != ',') return false;  // text after a closing quote
    } else {
      size_t comma = record.find(',', i);
      size_t stop = comma == std::string_view::npos ? record.size() : comma;
      field.assign(record.substr(i, stop - i));
      if (field.find('"') != std::string::npos) return false;  // a quote inside a bare field
      i = stop;
    }
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
  for (const char* ext : {".jsonl", ".ndjson", ".json"})
    if (path.size() >= std::strlen(ext) &&
        path.compare(path.size() - std::strlen(ext), std::string::npos, ext) == 0)
      return true;
  return false;
}

// Reads every record of the file into the importer. File-level problems
// become rejects; only store failures are errors.
Status ReadFileInto(Importer& imp, TextStream& text, const std::string& path,
                    const ReadingsMapping& mapping, const ImportOptions& opt, bool& file_error) {
  const bool jsonl = IsJsonLines(path, mapping.format);
  RecordSource src(text, jsonl);
  std::string_view rec;
  bool quoted = false;
  int64_t line = 0;
  int meter_col = -1, time_col = -1, value_col = -1;
  std::vector<std::string_view> fields;
  std::vector<std::string> scratch;
  uint64_t rows = 0;
  auto file_reject = [&](int64_t at, std::string field, std::string kind, std::string msg) {
    imp.Reject(at, 0, std::move(field), std::move(kind), std::move(msg));
    file_error = true;
  };
  for (;;) {
    auto more = src.Next(rec, quoted, line);
    if (!more.ok()) {
      const Error& e = more.error();
      if (e.kind() != ErrorKind::kInvalidInput) return e;
      file_reject(e.where().line, "", "bad_encoding",
                  e.message() + "; the rest of the file was not read");
      return Ok{};
    }
    if (!*more) break;
    if ((++rows & 0xFFFF) == 0 && opt.progress) opt.progress(text.bytes_read(), text.file_size());
    if (jsonl) {
      std::string_view t = rec;
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
      if (t.empty()) continue;
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(rec);
      } catch (const nlohmann::json::out_of_range& e) {
        imp.Reject(line, 0, "value", "bad_number", "a number out of range (e.g. 1e400)");
        continue;
      } catch (const nlohmann::json::exception& e) {
        int at = 0;
        if (const auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e))
          at = static_cast<int>(pe->byte);
        imp.Reject(line, at, "", "bad_json",
                   "not a JSON object (syntax error near character " + std::to_string(at) + ")");
        continue;
      }
      if (!j.is_object()) {
        imp.Reject(line, 1, "", "bad_json", "a line must be one JSON object");
        continue;
      }
      auto get = [&](const std::string& wanted, const std::vector<std::string>& aliases,
                     std::string& out, std::string& key) {
        for (auto it = j.begin(); it != j.end(); ++it) {
          bool match =
              wanted.empty()
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
      };
      std::string m, t2, v, km, kt, kv;
      bool hm = get(mapping.meter, kMeterNames, m, km),
           ht = get(mapping.timestamp, kTimeNames, t2, kt),
           hv = get(mapping.value, kValueNames, v, kv);
      if (!hm || !ht || !hv) {
        imp.Reject(line, 0,
                   !hm   ? "meter"
                   : !ht ? "timestamp"
                         : "value",
                   "missing_column",
                   std::string("the object has no ") +
                       (!hm   ? "meter"
                        : !ht ? "timestamp"
                              : "value") +
                       " key");
        continue;
      }
      auto st = imp.Row(line, m, 0, t2, 0, v, 0);
      if (!st.ok()) return st;
      continue;
    }
    if (meter_col < 0) {  // the header
      std::vector<std::string> header;
      if (!SplitCsv(rec, quoted, fields, scratch)) {
        file_reject(line, "", "bad_csv", "the header row is not valid CSV");
        return Ok{};
      }
      for (auto f : fields) header.push_back(Trim(f));
      meter_col = FindColumn(header, mapping.meter, kMeterNames);
      time_col = FindColumn(header, mapping.timestamp, kTimeNames);
      value_col = FindColumn(header, mapping.value, kValueNames);
      std::string found;
      for (const auto& h : header) found += (found.empty() ? "" : ", ") + h;
      for (auto [col, name, wanted] : {std::tuple{meter_col, "meter", &mapping.meter},
                                       std::tuple{time_col, "timestamp", &mapping.timestamp},
                                       std::tuple{value_col, "value", &mapping.value}}) {
        if (col >= 0) continue;
        file_reject(line, name, "missing_column",
                    std::string("no ") + name + " column" +
                        (wanted->empty() ? "" : " named '" + *wanted + "'") + " in the header (" +
                        found + "); map one with --map " + name + "=COLUMN");
      }
      if (file_error) return Ok{};
      continue;
    }
    if (rec.empty()) continue;
    if (!SplitCsv(rec, quoted, fields, scratch)) {
      imp.Reject(line, 0, "", "bad_csv", "unbalanced or misplaced quotes");
      continue;
    }
    int need = std::max({meter_col, time_col, value_col});
    if (static_cast<int>(fields.size()) <= need) {
      imp.Reject(line, static_cast<int>(fields.size()) + 1, "", "missing_field",
                 "the row has " + std::to_string(fields.size()) + " fields; expected at least " +
                     std::to_string(need + 1));
      continue;
    }
    auto st = imp.Row(line, fields[static_cast<size_t>(meter_col)], meter_col + 1,
                      fields[static_cast<size_t>(time_col)], time_col + 1,
                      fields[static_cast<size_t>(value_col)], value_col + 1);
    if (!st.ok()) return st;
  }
  if (!jsonl && meter_col < 0 && !file_error)
    file_reject(1, "", "empty_file", "the file has no header row");
  return Ok{};
}

}  // namespace

std::string ReadingsMapping::ToJson() const {
  return nlohmann::json{{"meter", meter},
                        {"timestamp", timestamp},
                        {"value", value},
                        {"timestamps_mark_end", timestamps_mark_end},
                        {"format", format}}
      .dump();
}

Result<ReadingsMapping> ReadingsMapping::FromJson(const std::string& text) {
  try {
    auto j = nlohmann::json::parse(text);
    ReadingsMapping m;
    m.meter = j.value("meter", "");
    m.timestamp = j.value("timestamp", "");
    m.value = j.value("value", "");
    m.timestamps_mark_end = j.value("timestamps_mark_end", false);
    m.format = j.value("format", "");
    return m;
  } catch (const std::exception& e) {
    return Error::InvalidInput(std::string("corrupt mapping profile: ") + e.what());
  }
}

Result<ImportResult> ImportReadings(Store& store, const std::string& path,
                                    const ReadingsMapping& mapping, const ImportOptions& options) {
  auto text = TextStream::Open(path);
  if (!text.ok()) return text.error();
  if (auto st = store.Begin(); !st.ok()) return st.error();
  auto fail = [&](const Error& e) -> Result<ImportResult> {
    store.Rollback();
    return e;
  };
  BatchRecord b;
  b.kind = BatchKind::kReadings;
  b.source = FileName(path);
  b.created_at = NowUtc();
  auto id = store.Imports().CreateBatch(b, options.actor);
  if (!id.ok()) return fail(id.error());
  Importer imp(store, options, FileName(path), mapping.timestamps_mark_end);
  if (auto st = imp.Start(*id); !st.ok()) return fail(st.error());
  ImportResult result;
  if (auto st = ReadFileInto(imp, **text, path, mapping, options, result.file_error); !st.ok())
    return fail(st.error());
  if (auto st = imp.Finish(); !st.ok()) return fail(st.error());
  imp.batch().created_by = options.actor.user;
  if (auto st = store.Imports().FinishBatch(imp.batch(), options.actor); !st.ok())
    return fail(st.error());
  if (auto st = store.Commit(); !st.ok()) return st.error();
  if (options.progress) options.progress((*text)->bytes_read(), (*text)->file_size());
  result.batch = imp.batch();
  result.batch.source = FileName(path);
  result.batch.created_at = b.created_at;  // the answer says what the store keeps
  result.encoding = (*text)->encoding();
  return result;
}

}  // namespace cl
