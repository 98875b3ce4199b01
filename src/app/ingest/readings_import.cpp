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
#include "meter_chunks.h"
#include "metering/register_steps.h"
#include "readings_records.h"
#include "store/chunk.h"
#include "store/store.h"

namespace cl {
namespace {

using meter_chunks::ChunkOf;
using meter_chunks::CompletenessFlags;
using meter_chunks::Iso;
using meter_chunks::kNoTime;
using meter_chunks::MeterState;
using meter_chunks::SlotOf;
using meter_chunks::SlotTime;
using meter_chunks::Slotting;
using meter_chunks::SpikeFlags;
using readings_file::ParsedTime;
using readings_file::ParseTime;
using readings_file::ValidUtf8;
using std::chrono::seconds;
using std::chrono::sys_days;

// --- the importer -------------------------------------------------------------

class Importer : public readings_file::RowSink {
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
      st->bound = meter_chunks::ReadingBound(rec, opt_.vee);
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

  void Reject(int64_t line, int column, std::string field, std::string kind,
              std::string message) override {
    ++batch_.rejected;
    if (kept_rejects_ >= opt_.max_rejects_kept) return;  // counted, not kept
    ++kept_rejects_;
    pending_rejects_.push_back(
        {batch_.id, file_, line, column, ValidUtf8(field), std::move(kind), ValidUtf8(message)});
  }

  // One data row. Columns are 1-based positions for the rejects.
  Status Row(int64_t line, std::string_view meter_text, int meter_col, std::string_view time_text,
             int time_col, std::string_view value_text, int value_col) override {
    ++batch_.rows;
    auto m = MeterOf(line, meter_text, meter_col);
    if (!m.ok()) return m.error();
    if (!*m) return Flush();
    std::optional<Reading> reading =
        ParseReading(**m, line, time_text, time_col, value_text, value_col);
    if (!reading) return Flush();
    CL_RETURN_IF_ERROR(Place(**m, line, *reading, time_col));
    return Flush();
  }

  Status Finish() {
    for (auto& [id, m] : meters_) {
      auto st = CloseChunk(*m);
      if (!st.ok()) return st;
    }
    CL_RETURN_IF_ERROR(RecountMonths());
    auto st = store_.Imports().AddRejects(pending_rejects_);
    pending_rejects_.clear();
    return st;
  }

  BatchRecord& batch() { return batch_; }

 private:
  // A row's time (UTC seconds) and value, checked.
  struct Reading {
    int64_t utc;
    double value;
  };

  // The row's meter, loaded from the store when the file first names it;
  // nullptr after rejecting a row of an unknown meter.
  Result<MeterState*> MeterOf(int64_t line, std::string_view meter_text, int meter_col) {
    MeterState* m = last_meter_;
    if (m && m->rec.id == meter_text) return m;
    auto it = meters_.find(std::string(meter_text));
    if (it == meters_.end()) {
      Reject(line, meter_col, "meter", meter_text.empty() ? "missing_value" : "unknown_meter",
             meter_text.empty() ? "meter is empty"
                                : "meter '" + std::string(meter_text) +
                                      "' is not registered; register it (the meter register "
                                      "import, or the unit's meter page) first");
      return nullptr;
    }
    m = it->second.get();
    if (!m->loaded) {
      CL_RETURN_IF_ERROR(Load(*m));
    }
    last_meter_ = m;
    return m;
  }

  // The row's time and value, or nullopt after rejecting the row.
  std::optional<Reading> ParseReading(MeterState& m, int64_t line, std::string_view time_text,
                                      int time_col, std::string_view value_text, int value_col) {
    ParsedTime pt;
    if (!ParseTime(time_text, pt)) {
      Reject(line, time_col, "timestamp", time_text.empty() ? "missing_value" : "bad_timestamp",
             time_text.empty() ? "timestamp is empty"
                               : "'" + std::string(time_text) +
                                     "' is not an ISO 8601 date-time such as "
                                     "2025-01-01T00:15:00+08:00 (whole seconds)");
      return std::nullopt;
    }
    int64_t utc = pt.has_offset ? pt.wall - pt.offset_s : Local(m, pt.wall);
    if (timestamps_end_ && m.interval_s > 0) utc -= m.interval_s;
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
      return std::nullopt;
    }
    if (utc > opt_.now.time_since_epoch().count() + opt_.vee.future_tolerance.count()) {
      Reject(line, time_col, "timestamp", "future_timestamp",
             Iso(utc) + " is in the future (now " + FormatInstant(opt_.now) + ")");
      return std::nullopt;
    }
    if (value < 0) {
      Reject(line, value_col, "value", "negative_value",
             m.rec.kind == MeterKind::kInterval
                 ? "negative consumption " + std::string(v) + " for an interval meter"
                 : "negative register reading " + std::string(v));
      return std::nullopt;
    }
    if (m.bound && !(std::fabs(value * m.rec.multiplier) <= m.bound->limit)) {
      Reject(line, value_col, "value", "out_of_bounds", OutOfBounds(m, value));
      return std::nullopt;
    }
    return Reading{utc, value};
  }

  static std::string OutOfBounds(const MeterState& m, double value) {
    const MeterRecord& r = m.rec;
    return ShortestNumber(value) + " " + r.unit_of_measure +
           (r.multiplier == 1 ? "" : " (× multiplier " + ShortestNumber(r.multiplier) + ")") +
           " is beyond the physical bound of " + ShortestNumber(m.bound->limit) + " " +
           r.unit_of_measure + " for a " +
           (r.kind == MeterKind::kRegister ? "register" : MeterIntervalName(r.interval)) +
           " reading of meter '" + r.id + "': " + m.bound->rule;
  }

  // Puts the reading into its slot of the meter's open chunk (opening the
  // chunk it belongs to), or rejects it as off the grid or a duplicate.
  Status Place(MeterState& m, int64_t line, const Reading& reading, int time_col) {
    const int64_t utc = reading.utc;
    if (utc < m.start || utc >= m.end) {
      auto st = OpenChunk(m, utc);
      if (!st.ok()) return st;
    }
    int slot = SlotOf(m, utc);
    if (slot < 0 || slot >= m.chunk.slots()) {
      Reject(line, time_col, "timestamp", "off_grid",
             Iso(utc) + " is not on the " + MeterIntervalName(m.rec.interval) + " grid of meter '" +
                 m.rec.id + "' (" + m.rec.time_zone + ")");
      return Ok{};
    }
    if (m.chunk.present[slot]) {
      bool same = m.chunk.values[slot] == reading.value;
      Reject(line, time_col, "timestamp", same ? "duplicate" : "conflicting_duplicate",
             "meter '" + m.rec.id + "' at " + Iso(utc) + " already appears on line " +
                 std::to_string(m.lines[slot]) +
                 (same ? " with the same value" : " with another value"));
      return Ok{};
    }
    if (m.last_ts != kNoTime && utc < m.last_ts) ++m.out_of_order;
    m.last_ts = utc;
    m.chunk.present[slot] = 1;
    m.chunk.values[slot] = reading.value;
    m.chunk.batch[slot] = batch_.id;
    m.lines[slot] = line;
    return Ok{};
  }

  static int64_t Local(MeterState& m, int64_t wall) {
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
    CL_RETURN_IF_ERROR(MissingDays(m, s.day));
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

  // One merge of an open chunk into the stored one: what was stored, the
  // merged chunk, and what the merge found.
  struct Merging {
    std::optional<StoredChunk> stored;
    Chunk merged;
    Chunk before;  // the merged chunk before this file's readings
    std::vector<RevisionRecord> revisions;
    std::vector<FlagRecord> chunk_flags;
    int64_t accepted = 0, unchanged = 0;
    double total = 0;
    bool changed = false;
  };

  Status Merge(MeterState& m) {
    Merging g;
    CL_RETURN_IF_ERROR(LoadStored(m, g));
    g.before = g.merged;
    MergeSlots(m, g);
    CL_RETURN_IF_ERROR(TotalAndFlags(m, g));
    if (!std::isfinite(g.total)) RefusePoisonedDay(m, g);
    batch_.accepted += g.accepted;
    batch_.unchanged += g.unchanged;
    batch_.revised += static_cast<int64_t>(g.revisions.size());
    const MeterRecord& r = m.rec;
    std::vector<FlagRecord> row_flags;
    if (m.out_of_order > 0)
      row_flags.push_back(
          {r.meter_no, r.unit_no, m.day, -1, "out_of_order",
           std::to_string(m.out_of_order) + " readings came after a later reading of this meter",
           batch_.id});
    if (!g.changed) {
      if (!row_flags.empty()) {
        batch_.flagged += static_cast<int64_t>(row_flags.size());
        return store_.Readings().AddFlags(row_flags);
      }
      return Ok{};
    }
    CompletenessFlags(m, g.merged, opt_.vee, opt_.now, batch_.id, g.chunk_flags);
    return WriteMerged(m, g, row_flags);
  }

  // The stored chunk of the open chunk's day, if any, decoded into g.merged
  // (else g.merged is empty).
  Status LoadStored(const MeterState& m, Merging& g) {
    const MeterRecord& r = m.rec;
    const bool may_exist = m.stored && m.day >= m.stored->first && m.day <= m.stored->second;
    auto stored = may_exist ? store_.Readings().GetChunk(r.unit_no, r.meter_no, m.day)
                            : Result<std::optional<StoredChunk>>(std::optional<StoredChunk>());
    if (!stored.ok()) return stored.error();
    g.stored = std::move(*stored);
    g.merged = Chunk(m.chunk.slots());
    if (!g.stored) return Ok{};
    auto d = DecodeChunk(g.stored->data);
    if (!d.ok()) return d.error();
    if (d->slots() != g.merged.slots())
      return Error::Internal("stored chunk of meter '" + r.id + "' has " +
                             std::to_string(d->slots()) + " slots, expected " +
                             std::to_string(g.merged.slots()));
    g.merged = std::move(*d);
    return Ok{};
  }

  // This file's readings into g.merged slot by slot: new, unchanged, revised,
  // or a repeat of an earlier pass of the chunk (rejected).
  void MergeSlots(MeterState& m, Merging& g) {
    const MeterRecord& r = m.rec;
    Chunk& merged = g.merged;
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
          ++g.unchanged;
          continue;
        }
        g.revisions.push_back({r.meter_no, r.unit_no, SlotTime(m, m.day, m.start, s),
                               merged.values[s], merged.batch[s], v, batch_.id, NowUtc(),
                               opt_.actor.user});
      } else {
        ++g.accepted;
      }
      merged.present[s] = 1;
      merged.values[s] = v;
      merged.batch[s] = batch_.id;
      g.changed = true;
    }
    if (g.unchanged > 0) {
      std::vector<bool>& bits = seen_[seen_key];
      bits.resize(static_cast<size_t>(merged.slots()), false);
      for (int s = 0; s < merged.slots(); ++s)
        if (m.chunk.present[s]) bits[static_cast<size_t>(s)] = true;
    }
  }

  // The merged chunk's total and its register or spike flags.
  Status TotalAndFlags(MeterState& m, Merging& g) {
    const MeterRecord& r = m.rec;
    Chunk& merged = g.merged;
    if (r.kind == MeterKind::kRegister) {
      auto st = RegisterPass(m, g.before, merged, g.revisions, g.accepted, g.chunk_flags, g.total);
      if (!st.ok()) return st;
      g.changed = false;
      for (int s = 0; s < merged.slots() && !g.changed; ++s)
        g.changed = merged.present[s] != g.before.present[s] ||
                    (merged.present[s] && merged.values[s] != g.before.values[s]);
      return Ok{};
    }
    g.total = 0;
    for (int s = 0; s < merged.slots(); ++s)
      if (merged.present[s]) g.total += merged.values[s];
    g.total *= r.multiplier;
    SpikeFlags(m, merged, merged.values, opt_.vee, batch_.id, g.chunk_flags);
    return Ok{};
  }

  // A day that would total no finite number even with this file's readings
  // holds a stored reading beyond bounds (from before they were checked):
  // this file's readings of the day are rejected, naming that reading, and
  // the day stays as stored until a file corrects it.
  void RefusePoisonedDay(MeterState& m, Merging& g) {
    std::string culprit;
    for (int s = 0; s < g.merged.slots() && culprit.empty(); ++s)
      if (g.merged.present[s] && m.bound &&
          !(std::fabs(g.merged.values[s] * m.rec.multiplier) <= m.bound->limit))
        culprit = " (" + ShortestNumber(g.merged.values[s]) + " at " +
                  Iso(SlotTime(m, m.day, m.start, s)) + ")";
    for (int s = 0; s < m.chunk.slots(); ++s)
      if (m.chunk.present[s])
        Reject(m.lines[s], 0, "value", "out_of_bounds",
               "the day of meter '" + m.rec.id + "' would total no finite number: a stored " +
                   "reading is beyond physical bounds" + culprit +
                   "; send its corrected value in the same file");
    g.accepted = g.unchanged = 0;
    g.revisions.clear();
    g.chunk_flags.clear();
    g.changed = false;
  }

  // Writes the changed chunk, its month-total delta, revisions and flags
  // (the chunk's, then the rows').
  Status WriteMerged(MeterState& m, Merging& g, const std::vector<FlagRecord>& row_flags) {
    const MeterRecord& r = m.rec;
    StoredChunk out{r.unit_no, r.meter_no,           m.day, g.merged.count(), g.total,
                    batch_.id, EncodeChunk(g.merged)};
    AddMonthDelta(m, m.day);
    CL_RETURN_IF_ERROR(store_.Readings().PutChunk(out));
    m.stored = m.stored
                   ? std::pair{std::min(m.stored->first, m.day), std::max(m.stored->second, m.day)}
                   : std::pair{m.day, m.day};
    if (!g.revisions.empty()) CL_RETURN_IF_ERROR(store_.Readings().AddRevisions(g.revisions));
    for (const auto& f : row_flags) g.chunk_flags.push_back(f);
    batch_.flagged += static_cast<int64_t>(g.chunk_flags.size());
    // A chunk that did not exist has no findings to replace, unless its day
    // was flagged missing.
    const bool was_missing = m.missing_days.erase(m.day) > 0;
    auto st = g.stored || was_missing
                  ? store_.Readings().ReplaceChunkFlags(
                        r.meter_no, m.day,
                        {"gap", "incomplete_day", "spike", "register_reset", "register_rollover",
                         "register_decrease", "missing_day"},
                        g.chunk_flags)
                  : store_.Readings().AddFlags(g.chunk_flags);
    if (!st.ok()) return st;
    if (r.kind == MeterKind::kRegister) return RefreshNextRegisterTotal(m, g.merged);
    return Ok{};
  }

  // Month totals change with every chunk total (not for monthly meters,
  // whose chunk is a year): the months touched are recounted at the end.
  void AddMonthDelta(const MeterState& m, int32_t day) {
    if (m.rec.interval == MeterInterval::kMonthly) return;
    std::chrono::year_month_day ymd{sys_days(std::chrono::days(day))};
    int32_t month = static_cast<int32_t>(ymd.year()) * 12 +
                    static_cast<int32_t>(static_cast<unsigned>(ymd.month())) - 1;
    touched_months_.try_emplace({m.rec.meter_no, month}, m.rec.unit_no);
  }

  // Every touched month's total, summed again from its chunks rather than
  // adjusted by a delta, so that a total poisoned by a number beyond bounds
  // (from an older store) is made right once its chunks are. A month whose
  // chunks still sum to no finite number keeps its stored total.
  Status RecountMonths() {
    std::vector<MonthTotal> totals;
    for (const auto& [key, unit_no] : touched_months_) {
      const auto [meter_no, month] = key;
      const std::chrono::year_month first{
          std::chrono::year(month / 12), std::chrono::month(static_cast<unsigned>(month % 12 + 1))};
      const auto from = sys_days{first / 1}.time_since_epoch().count();
      const auto to = sys_days{first / std::chrono::last}.time_since_epoch().count();
      MonthTotal t{unit_no, meter_no, month, 0, 0.0};
      CL_RETURN_IF_ERROR(store_.Readings().ScanChunks(unit_no, meter_no, static_cast<int32_t>(from),
                                                      static_cast<int32_t>(to),
                                                      [&](const StoredChunk& c) {
                                                        t.count += c.count;
                                                        t.total += c.total;
                                                      }));
      if (std::isfinite(t.total)) totals.push_back(t);
    }
    return store_.Readings().SetMonthTotals(totals);
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
      if (m.missing_days.contains(d)) continue;
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
    AddMonthDelta(m, next->chunk_day);
    next->total = total * m.rec.multiplier;
    return store_.Readings().PutChunk(*next);
  }

  Store& store_;
  const ImportOptions& opt_;
  std::string file_;
  BatchRecord batch_;
  std::unordered_map<std::string, std::unique_ptr<MeterState>> meters_;
  MeterState* last_meter_ = nullptr;
  std::vector<RejectRecord> pending_rejects_;
  int64_t kept_rejects_ = 0;  // of this batch, stored or pending
  bool timestamps_end_;
  std::map<std::pair<int64_t, int32_t>, int64_t> touched_months_;  // (meter, month) -> unit
  std::unordered_map<uint64_t, std::vector<bool>> seen_;  // (meter, day) -> slots left unchanged
};

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
    return Error::InvalidInput(std::string("corrupt mapping profile: ") + e.what())
        .WithCode("import.bad_profile");
  }
}

Result<ImportResult> ImportReadings(Store& store, const std::string& path,
                                    const ReadingsMapping& mapping, const ImportOptions& options) {
  auto text = TextStream::Open(path);
  if (!text.ok()) return text.error();
  CL_RETURN_IF_ERROR(store.Begin());
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
  if (auto st = readings_file::ReadRecords(imp, **text, path, mapping, options, result.file_error);
      !st.ok())
    return fail(st.error());
  if (auto st = imp.Finish(); !st.ok()) return fail(st.error());
  imp.batch().created_by = options.actor.user;
  if (auto st = store.Imports().FinishBatch(imp.batch(), options.actor); !st.ok())
    return fail(st.error());
  CL_RETURN_IF_ERROR(store.Commit());
  if (options.progress) options.progress((*text)->bytes_read(), (*text)->file_size());
  result.batch = imp.batch();
  result.batch.source = FileName(path);
  result.batch.created_at = b.created_at;  // the answer says what the store keeps
  result.encoding = (*text)->encoding();
  return result;
}

}  // namespace cl
