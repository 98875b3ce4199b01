#include "ingest/activities_import.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "core/encoding.h"
#include "formats/activity_rows.h"
#include "formats/templates.h"
#include "formats/text_util.h"
#include "store/store.h"

namespace cl {

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
    reporting.push_back(ReportingUnitOf(u));
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

// The reject kind of an error: the file's, or a row's field.
std::string RejectKind(ActivityRows::FileProblem problem, const Error& e) {
  using Problem = ActivityRows::FileProblem;
  switch (problem) {
    case Problem::kEncoding:
      return "bad_encoding";
    case Problem::kCsv:
      return "bad_csv";
    case Problem::kHeader:
      return "missing_column";
    case Problem::kNone:
    case Problem::kEmpty:
      break;
  }
  return "invalid_" + (e.where().field.empty() ? std::string("row") : e.where().field);
}

// Reads the file once: the good rows become records, every error a reject.
ParsedActivities ParseActivities(const std::string& bytes, const std::string& source,
                                 const std::vector<ReportingUnit>& reporting,
                                 const ActivityCatalog& catalog) {
  ActivityRows read = ReadActivityRows(bytes, source, reporting, catalog, 0);
  ParsedActivities out;
  out.encoding = read.encoding;
  out.rows = read.rows;
  out.file_error = read.problem == ActivityRows::FileProblem::kEncoding;
  if (read.problem == ActivityRows::FileProblem::kEmpty) return out;
  for (const auto& e : read.errors.errors())
    out.rejects.push_back({0, source, e.where().line, e.where().column, e.where().field,
                           RejectKind(read.problem, e), e.message()});
  out.records = std::move(read.records);
  return out;
}

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
  // As for readings: the first ones kept, all counted.
  if (parsed.rejects.size() > static_cast<size_t>(kMaxRejectsKept))
    parsed.rejects.resize(static_cast<size_t>(kMaxRejectsKept));
  CL_RETURN_IF_ERROR(store.Imports().AddRejects(parsed.rejects));
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
  ParsedActivities parsed = ParseActivities(*bytes, source, reporting, data.catalog);

  CL_RETURN_IF_ERROR(store.Begin());
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
  CL_RETURN_IF_ERROR(store.Commit());
  ImportResult result;
  result.batch = batch;
  result.encoding = parsed.encoding;
  result.file_error = parsed.file_error;
  return result;
}

}  // namespace cl
