#include "ingest/activities_import.h"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "core/text_stream.h"
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

// Stores each good row of one file as it is read, inside the transaction
// begun by the caller, and keeps the first rejects (all are counted). A
// record naming a meter that is not one of its unit's becomes a reject.
class ActivityImporter : public ActivitySink {
 public:
  ActivityImporter(Store& store, const ImportOptions& options,
                   const std::vector<MeterRecord>& meters,
                   const std::vector<ReportingUnit>& reporting, BatchRecord& batch,
                   const TextStream& text)
      : store_(store), opt_(options), reporting_(reporting), batch_(batch), text_(text) {
    for (const auto& m : meters) meter_by_id_[m.id] = &m;
  }

  Status Accept(ActivityRecord rec) override {
    Progress();
    const std::string& unit_id = reporting_[static_cast<size_t>(rec.unit_index)].id;
    if (!rec.meter_id.empty()) {
      auto it = meter_by_id_.find(rec.meter_id);
      if (it == meter_by_id_.end() || it->second->unit_id != unit_id) {
        ++batch_.rejected;
        Keep({batch_.id, batch_.source, rec.line, 0, "meter_id", "unknown_meter",
              "meter '" + rec.meter_id + "' is not a registered meter of unit '" + unit_id + "'"});
        return Ok{};
      }
    }
    auto o =
        store_.Activities().PutActivity(RowOf(rec, unit_id, batch_.source, batch_.id), opt_.actor);
    if (!o.ok()) return o.error();
    if (*o == WriteOutcome::kInserted) ++batch_.accepted;
    if (*o == WriteOutcome::kUnchanged) ++batch_.unchanged;
    if (*o == WriteOutcome::kUpdated) ++batch_.revised;
    return Ok{};
  }

  void Refuse(ActivityRows::FileProblem problem, const ErrorList& errors) override {
    Progress();
    ++batch_.rejected;  // one row (or the file), however many errors
    for (const Error& e : errors.errors())
      Keep({batch_.id, batch_.source, e.where().line, e.where().column, e.where().field,
            RejectKind(problem, e), e.message()});
  }

  // Writes the kept rejects and the batch's counts.
  Status Finish() {
    CL_RETURN_IF_ERROR(store_.Imports().AddRejects(pending_));
    pending_.clear();
    return store_.Imports().FinishBatch(batch_, opt_.actor);
  }

 private:
  // As for readings: the first ones kept (written at the end, at most
  // max_rejects_kept of them in memory), all counted.
  void Keep(RejectRecord r) {
    if (static_cast<int64_t>(pending_.size()) >= opt_.max_rejects_kept) return;
    pending_.push_back(std::move(r));
  }
  void Progress() {
    constexpr int64_t kEveryRows = 0xFFFF;
    if ((++seen_ & kEveryRows) == 0 && opt_.progress)
      opt_.progress(text_.bytes_read(), text_.file_size());
  }

  Store& store_;
  const ImportOptions& opt_;
  const std::vector<ReportingUnit>& reporting_;
  BatchRecord& batch_;
  const TextStream& text_;
  std::unordered_map<std::string, const MeterRecord*> meter_by_id_;
  std::vector<RejectRecord> pending_;
  int64_t seen_ = 0;
};

// Reads and stores the file as one batch inside the transaction begun by the caller.
Result<ImportResult> StoreActivities(Store& store, const ReferenceData& data, TextStream& text,
                                     const std::string& source, const ImportOptions& options,
                                     const std::vector<MeterRecord>& meters,
                                     const std::vector<ReportingUnit>& reporting) {
  BatchRecord batch;
  batch.kind = BatchKind::kActivities;
  batch.source = source;
  batch.created_at = NowUtc();
  batch.created_by = options.actor.user;
  auto id = store.Imports().CreateBatch(batch, options.actor);
  if (!id.ok()) return id.error();
  batch.id = *id;
  ActivityImporter importer(store, options, meters, reporting, batch, text);
  auto read = StreamActivityRows(text, source, reporting, data.catalog, 0, importer);
  if (!read.ok()) return read.error();
  batch.rows = read->rows;
  CL_RETURN_IF_ERROR(importer.Finish());
  ImportResult result;
  result.batch = batch;
  result.encoding = text.encoding();
  result.file_error = read->problem == ActivityRows::FileProblem::kEncoding;
  return result;
}

}  // namespace

Result<ImportResult> ImportActivities(Store& store, const ReferenceData& data,
                                      const std::string& path, const ImportOptions& options) {
  const std::string source = FileName(path);
  auto text = TextStream::Open(path);
  if (!text.ok()) return text.error();
  auto units = store.Registry().ListUnits();
  if (!units.ok()) return units.error();
  auto meters = store.Registry().ListMeters();
  if (!meters.ok()) return meters.error();
  const std::vector<ReportingUnit> reporting = ReportingUnitsOf(*units, options.units);

  CL_RETURN_IF_ERROR(store.Begin());
  auto result = StoreActivities(store, data, **text, source, options, *meters, reporting);
  if (!result.ok()) {
    store.Rollback();
    return result.error();
  }
  CL_RETURN_IF_ERROR(store.Commit());
  if (options.progress) options.progress((*text)->bytes_read(), (*text)->file_size());
  return result;
}

Result<ImportResult> ImportActivities(Store& store, const ReferenceData& data,
                                      const std::string& path, const Actor& by,
                                      const std::optional<std::vector<std::string>>& only_units) {
  ImportOptions options;
  options.actor = by;
  options.units = only_units;
  return ImportActivities(store, data, path, options);
}

}  // namespace cl
