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

Result<ImportResult> ImportActivities(Store& store, const ReferenceData& data,
                                      const std::string& path, const Actor& by,
                                      const std::optional<std::vector<std::string>>& only_units) {
  const std::string source = FileName(path);
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.error();
  std::vector<RejectRecord> rejects;
  std::vector<ActivityRecord> records;
  std::string encoding;
  auto text = DecodeText(*bytes, source);
  auto units = store.Registry().ListUnits();
  if (!units.ok()) return units.error();
  auto meters = store.Registry().ListMeters();
  if (!meters.ok()) return meters.error();
  std::vector<ReportingUnit> reporting;
  for (const auto& u : *units) {
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
  auto reject = [&](const Error& e, const std::string& kind) {
    rejects.push_back(
        {0, source, e.where().line, e.where().column, e.where().field, kind, e.message()});
  };
  int64_t rows = 0;
  if (!text.ok()) {
    reject(text.error(), "bad_encoding");
  } else {
    encoding = text->encoding;
    CsvTable csv = ParseCsv(text->utf8, source);
    for (const auto& e : csv.errors.errors()) reject(e, "bad_csv");
    rows = csv.records.empty() ? 0 : static_cast<int64_t>(csv.records.size()) - 1;
    if (csv.errors.empty() && !csv.records.empty()) {
      auto first = ParseActivitiesFile(text->utf8, source, reporting, data.catalog, 0);
      if (first.ok()) {
        records = std::move(first.value());
      } else {
        // Keep the good rows: parse again without the rows that had errors,
        // mapping line numbers back to the file's.
        std::set<int> bad;
        for (const auto& e : first.errors().errors()) {
          bool file_level = e.where().line <= csv.records.front().line;
          reject(e, file_level ? "missing_column"
                               : "invalid_" + (e.where().field.empty() ? std::string("row")
                                                                       : e.where().field));
          if (e.where().line > 0) bad.insert(e.where().line);
        }
        if (!bad.count(csv.records.front().line)) {
          std::string kept;
          std::vector<int> line_of;
          auto add = [&](const CsvRecord& r) {
            std::string row_text;
            for (size_t i = 0; i < r.fields.size(); ++i)
              row_text += (i ? "," : "") + CsvEscape(r.fields[i]);
            kept += row_text + "\n";
            // One entry per physical line: a quoted field may hold line breaks.
            auto lines = 1 + std::count(row_text.begin(), row_text.end(), '\n');
            for (long k = 0; k < lines; ++k) line_of.push_back(r.line);
          };
          for (const auto& r : csv.records)
            if (!bad.count(r.line)) add(r);
          auto second = ParseActivitiesFile(kept, source, reporting, data.catalog, 0);
          if (second.ok()) {
            records = std::move(second.value());
            for (auto& rec : records)
              if (rec.line >= 1 && static_cast<size_t>(rec.line) <= line_of.size())
                rec.line = line_of[static_cast<size_t>(rec.line - 1)];
          }
        }
      }
    }
  }
  std::unordered_map<std::string, const MeterRecord*> meter_by_id;
  for (const auto& m : *meters) meter_by_id[m.id] = &m;

  if (auto st = store.Begin(); !st.ok()) return st.error();
  auto fail = [&](const Error& e) -> Result<ImportResult> {
    store.Rollback();
    return e;
  };
  BatchRecord batch;
  batch.kind = BatchKind::kActivities;
  batch.source = source;
  batch.created_at = NowUtc();
  batch.created_by = by.user;
  auto id = store.Imports().CreateBatch(batch, by);
  if (!id.ok()) return fail(id.error());
  batch.id = *id;
  batch.rows = rows;
  for (const auto& rec : records) {
    const std::string& unit_id = reporting[static_cast<size_t>(rec.unit_index)].id;
    if (!rec.meter_id.empty()) {
      auto it = meter_by_id.find(rec.meter_id);
      if (it == meter_by_id.end() || it->second->unit_id != unit_id) {
        rejects.push_back(
            {0, source, rec.line, 0, "meter_id", "unknown_meter",
             "meter '" + rec.meter_id + "' is not a registered meter of unit '" + unit_id + "'"});
        continue;
      }
    }
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
    row.batch_id = batch.id;
    auto o = store.Activities().PutActivity(row, by);
    if (!o.ok()) return fail(o.error());
    if (*o == WriteOutcome::kInserted) ++batch.accepted;
    if (*o == WriteOutcome::kUnchanged) ++batch.unchanged;
    if (*o == WriteOutcome::kUpdated) ++batch.revised;
  }
  for (auto& r : rejects) r.batch_id = batch.id;
  std::set<int64_t> reject_lines;
  for (const auto& r : rejects) reject_lines.insert(r.line);
  batch.rejected = static_cast<int64_t>(reject_lines.size());
  if (auto st = store.Imports().AddRejects(rejects); !st.ok()) return fail(st.error());
  if (auto st = store.Imports().FinishBatch(batch, by); !st.ok()) return fail(st.error());
  if (auto st = store.Commit(); !st.ok()) return st.error();
  ImportResult result;
  result.batch = batch;
  result.encoding = encoding;
  result.file_error = !text.ok();
  return result;
}

}  // namespace cl
