#include "ingest/activities_import.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/timezone.h"
#include "formats/templates.h"
#include "formats/text_util.h"
#include "metering/calendar.h"
#include "metering/register_steps.h"
#include "store/chunk.h"
#include "store/store.h"

namespace cl {

using namespace metering;  // NOLINT(google-build-using-namespace): the calendar helpers

namespace {

// The registered units as the template reader's reporting units, limited to
// `only_units` when set.
std::vector<ReportingUnit> ReportingUnitsOf(
    const std::vector<UnitRecord>& units,
    const std::optional<std::vector<std::string>>& only_units) {
  std::vector<ReportingUnit> reporting;
  for (const auto& u : units) {
    if (only_units && std::find(only_units->begin(), only_units->end(), u.id) == only_units->end())
      continue;
    ReportingUnit r;
    r.id = u.id;
    r.credit_code = u.credit_code;
    r.name_zh = u.name_zh;
    r.name_en = u.name_en;
    r.province = u.province;
    r.city = u.city;
    r.district = u.district;
    r.industry_code = u.industry_code;
    reporting.push_back(std::move(r));
  }
  return reporting;
}

// One file's records and rejects, before anything is stored.
struct ParsedActivities {
  std::vector<ActivityRecord> records;
  std::vector<RejectRecord> rejects;
  int64_t rows = 0;
  std::string encoding;
  bool file_error = false;
};

class ActivitiesParser {
 public:
  ActivitiesParser(std::string source, const std::vector<ReportingUnit>& reporting,
                   const ActivityCatalog& catalog)
      : source_(std::move(source)), reporting_(reporting), catalog_(catalog) {}

  ParsedActivities Parse(const std::string& bytes) {
    auto text = DecodeText(bytes, source_);
    if (!text.ok()) {
      out_.file_error = true;
      Reject(text.error(), "bad_encoding");
      return std::move(out_);
    }
    out_.encoding = text->encoding;
    CsvTable csv = ParseCsv(text->utf8, source_);
    for (const auto& e : csv.errors.errors()) Reject(e, "bad_csv");
    out_.rows = csv.records.empty() ? 0 : static_cast<int64_t>(csv.records.size()) - 1;
    if (!csv.errors.empty() || csv.records.empty()) return std::move(out_);
    auto first = ParseActivitiesFile(text->utf8, source_, reporting_, catalog_, 0);
    if (first.ok()) {
      out_.records = std::move(first.value());
    } else {
      KeepGoodRows(csv, first.errors());
    }
    return std::move(out_);
  }

 private:
  void Reject(const Error& e, const std::string& kind) {
    out_.rejects.push_back(
        {0, source_, e.where().line, e.where().column, e.where().field, kind, e.message()});
  }

  // Keep the good rows: parse again without the rows that had errors,
  // mapping line numbers back to the file's.
  void KeepGoodRows(const CsvTable& csv, const ErrorList& errors) {
    std::set<int> bad;
    for (const auto& e : errors.errors()) {
      bool file_level = e.where().line <= csv.records.front().line;
      Reject(e, file_level ? "missing_column"
                           : "invalid_" +
                                 (e.where().field.empty() ? std::string("row") : e.where().field));
      if (e.where().line > 0) bad.insert(e.where().line);
    }
    if (bad.count(csv.records.front().line)) return;
    std::string kept;
    std::vector<int> line_of;
    for (const auto& r : csv.records) {
      if (bad.count(r.line)) continue;
      std::string row_text;
      for (size_t i = 0; i < r.fields.size(); ++i)
        row_text += (i ? "," : "") + CsvEscape(r.fields[i]);
      kept += row_text + "\n";
      // One entry per physical line: a quoted field may hold line breaks.
      auto lines = 1 + std::count(row_text.begin(), row_text.end(), '\n');
      for (long k = 0; k < lines; ++k) line_of.push_back(r.line);
    }
    auto second = ParseActivitiesFile(kept, source_, reporting_, catalog_, 0);
    if (!second.ok()) return;
    out_.records = std::move(second.value());
    for (auto& rec : out_.records)
      if (rec.line >= 1 && static_cast<size_t>(rec.line) <= line_of.size())
        rec.line = line_of[static_cast<size_t>(rec.line - 1)];
  }

  const std::string source_;
  const std::vector<ReportingUnit>& reporting_;
  const ActivityCatalog& catalog_;
  ParsedActivities out_;
};

ActivityRow RowOf(const ActivityRecord& rec, const std::string& unit_id, const std::string& source,
                  int64_t batch_id) {
  ActivityRow row;
  row.unit_id = unit_id;
  row.site_id = rec.site_id == "main" ? "" : rec.site_id;
  row.meter_id = rec.meter_id;
  row.activity = rec.cells.activity;
  row.quantity = rec.quantity.value;
  row.unit_of_measure = rec.cells.unit_of_measure;
  row.period_start = FormatDate(rec.period.start);
  row.period_end = FormatDate(rec.period.end);
  row.data_source = rec.cells.data_source;
  row.instrument = rec.cells.instrument;
  row.instrument_ids = rec.cells.instrument_ids;
  if (rec.factor) row.factor = rec.factor->value;
  row.factor_unit = rec.cells.factor_unit;
  row.note = rec.note;
  row.source_file = source;
  row.line = rec.line;
  row.batch_id = batch_id;
  return row;
}

// Stores the parsed records of one file, with its rejects, as one batch inside
// a transaction begun by the caller. A record naming a meter that is not one
// of its unit's becomes a reject.
Status StoreActivities(Store& store, const std::vector<MeterRecord>& meters,
                       const std::vector<ReportingUnit>& reporting, ParsedActivities& parsed,
                       BatchRecord& batch, const Actor& by) {
  std::unordered_map<std::string, const MeterRecord*> meter_by_id;
  for (const auto& m : meters) meter_by_id[m.id] = &m;
  for (const auto& rec : parsed.records) {
    const std::string& unit_id = reporting[static_cast<size_t>(rec.unit_index)].id;
    if (!rec.meter_id.empty()) {
      auto it = meter_by_id.find(rec.meter_id);
      if (it == meter_by_id.end() || it->second->unit_id != unit_id) {
        parsed.rejects.push_back(
            {0, batch.source, rec.line, 0, "meter_id", "unknown_meter",
             "meter '" + rec.meter_id + "' is not a registered meter of unit '" + unit_id + "'"});
        continue;
      }
    }
    auto o = store.Activities().PutActivity(RowOf(rec, unit_id, batch.source, batch.id), by);
    if (!o.ok()) return o.error();
    if (*o == WriteOutcome::kInserted) ++batch.accepted;
    if (*o == WriteOutcome::kUnchanged) ++batch.unchanged;
    if (*o == WriteOutcome::kUpdated) ++batch.revised;
  }
  for (auto& r : parsed.rejects) r.batch_id = batch.id;
  std::set<int64_t> reject_lines;
  for (const auto& r : parsed.rejects) reject_lines.insert(r.line);
  batch.rejected = static_cast<int64_t>(reject_lines.size());
  if (auto st = store.Imports().AddRejects(parsed.rejects); !st.ok()) return st;
  return store.Imports().FinishBatch(batch, by);
}

}  // namespace

Result<ImportResult> ImportActivities(Store& store, const ReferenceData& data,
                                      const std::string& path, const Actor& by,
                                      const std::optional<std::vector<std::string>>& only_units) {
  const std::string source = FileName(path);
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.error();
  auto units = store.Registry().ListUnits();
  if (!units.ok()) return units.error();
  auto meters = store.Registry().ListMeters();
  if (!meters.ok()) return meters.error();
  const std::vector<ReportingUnit> reporting = ReportingUnitsOf(*units, only_units);
  ParsedActivities parsed = ActivitiesParser(source, reporting, data.catalog).Parse(*bytes);

  if (auto st = store.Begin(); !st.ok()) return st.error();
  BatchRecord batch;
  batch.kind = BatchKind::kActivities;
  batch.source = source;
  batch.created_at = NowUtc();
  batch.created_by = by.user;
  auto id = store.Imports().CreateBatch(batch, by);
  if (!id.ok()) {
    store.Rollback();
    return id.error();
  }
  batch.id = *id;
  batch.rows = parsed.rows;
  if (auto st = StoreActivities(store, *meters, reporting, parsed, batch, by); !st.ok()) {
    store.Rollback();
    return st.error();
  }
  if (auto st = store.Commit(); !st.ok()) return st.error();
  ImportResult result;
  result.batch = batch;
  result.encoding = parsed.encoding;
  result.file_error = parsed.file_error;
  return result;
}

}  // namespace cl
