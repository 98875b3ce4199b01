#include "accounting/reference_data.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "core/csv.h"

namespace cl {
namespace {

constexpr std::array<std::string_view, 10> kColumns = {
    "key",        "parameter", "value",  "unit",       "region",
    "valid_from", "valid_to",  "source", "confidence", "note"};

// The dimensions a parameter may have: the file's schema, not domain numbers.
bool DimensionFits(std::string_view parameter, Dim d) {
  auto per = [&](Dim num, std::initializer_list<Dim> dens) {
    return std::any_of(dens.begin(), dens.end(), [&](Dim den) { return d == num / den; });
  };
  if (parameter == "tce_coefficient") return per(kEnergyDim, {kMassDim, kVolumeDim, kEnergyDim});
  if (parameter == "ncv") return per(kEnergyDim, {kMassDim, kVolumeDim});
  if (parameter == "carbon_content") return d == kMassDim / kEnergyDim;
  if (parameter == "oxidation_rate") return d == kDimensionless;
  if (parameter == "ef") return per(kEmissionsDim, {kEnergyDim, kMassDim, kVolumeDim});
  if (parameter == "ratio") return per(kEmissionsDim, {kMassDim});
  if (parameter.size() == 3 && parameter.substr(0, 2) == "AR") return d == kEmissionsDim / kMassDim;
  return false;
}

bool ParseNumber(std::string_view s, double& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out);
}

struct RowParser {
  const std::string& source;
  const DatasetInfo* info;
  ErrorList& errors;

  void Fail(const CsvRecord& r, int column, std::string message) {
    errors.Add(Error::InvalidInput(std::move(message),
                                   {source, r.line, column, std::string(kColumns[column - 1])}));
  }

  std::optional<Date> OptionalDate(const CsvRecord& r, int column, bool& ok) {
    const std::string& text = r.fields[column - 1];
    if (text.empty()) return std::nullopt;
    Result<Date> d = ParseDate(text);
    if (!d.ok()) {
      Fail(r, column, d.error().message());
      ok = false;
      return std::nullopt;
    }
    return *d;
  }

  std::optional<FactorRow> Parse(const CsvRecord& r) {
    if (r.fields.size() != kColumns.size()) {
      errors.Add(
          Error::InvalidInput("expected 10 columns, found " + std::to_string(r.fields.size()),
                              {source, r.line, 0, ""}));
      return std::nullopt;
    }
    bool ok = true;
    FactorRow row;
    row.dataset = info;
    row.line = r.line;
    row.key = r.fields[0];
    row.parameter = r.fields[1];
    row.region = r.fields[4];
    row.source = r.fields[7];
    row.note = r.fields[9];
    if (row.key.empty()) Fail(r, 1, "key is empty"), ok = false;
    if (!ParseNumber(r.fields[2], row.value.value)) {
      Fail(r, 3, "'" + r.fields[2] + "' is not a number");
      ok = false;
    }
    Result<Unit> unit = ParseUnit(r.fields[3]);
    if (!unit.ok()) {
      Fail(r, 4, unit.error().message());
      ok = false;
    } else if (!DimensionFits(row.parameter, unit->dim)) {
      Fail(r, 4,
           "unit '" + r.fields[3] + "' (" + DimName(unit->dim) + ") does not fit parameter '" +
               row.parameter + "'");
      ok = false;
    } else {
      row.value.unit = *unit;
    }
    if (row.region.empty())
      Fail(r, 5, "region is empty (use CN, a province code or global)"), ok = false;
    row.valid_from = OptionalDate(r, 6, ok);
    row.valid_to = OptionalDate(r, 7, ok);
    if (row.valid_from && row.valid_to && *row.valid_to < *row.valid_from) {
      Fail(r, 7, "valid_to is before valid_from");
      ok = false;
    }
    if (row.source.empty())
      Fail(r, 8, "source is empty: every number needs its source"), ok = false;
    const std::string& conf = r.fields[8];
    if (conf != "V" && conf != "S" && conf != "U") {
      Fail(r, 9, "confidence '" + conf + "' is not V, S or U");
      ok = false;
    } else {
      row.confidence = conf[0];
    }
    if (!ok) return std::nullopt;
    return row;
  }
};

bool Overlap(const FactorRow& a, const FactorRow& b) {
  bool a_before_b = a.valid_to && b.valid_from && *a.valid_to < *b.valid_from;
  bool b_before_a = b.valid_to && a.valid_from && *b.valid_to < *a.valid_from;
  return !a_before_b && !b_before_a;
}

Status CheckHeader(const CsvTable& table, const std::string& source) {
  if (table.records.empty()) return Error::InvalidInput("file is empty", {source, 1, 0, ""});
  const CsvRecord& header = table.records[0];
  for (size_t i = 0; i < kColumns.size(); ++i) {
    if (i >= header.fields.size() || header.fields[i] != kColumns[i]) {
      return Error::InvalidInput(
          "header column " + std::to_string(i + 1) + " must be '" + std::string(kColumns[i]) + "'",
          {source, header.line, static_cast<int>(i) + 1, ""});
    }
  }
  return Ok{};
}

}  // namespace

Checked<std::shared_ptr<const Dataset>> Dataset::Parse(DatasetInfo info, std::string_view csv_text,
                                                       const std::string& source) {
  auto dataset = std::make_shared<Dataset>();
  dataset->info_ = std::move(info);
  CsvTable table = ParseCsv(csv_text, source);
  ErrorList errors = table.errors;
  if (Status header = CheckHeader(table, source); !header.ok()) {
    errors.Add(header.error());
    return errors;
  }
  RowParser parser{source, &dataset->info_, errors};
  for (size_t i = 1; i < table.records.size(); ++i) {
    std::optional<FactorRow> row = parser.Parse(table.records[i]);
    if (!row) continue;
    for (const FactorRow& earlier : dataset->rows_) {
      if (earlier.key == row->key && earlier.parameter == row->parameter &&
          earlier.region == row->region && Overlap(earlier, *row)) {
        errors.Add(Error::InvalidInput("validity overlaps line " + std::to_string(earlier.line) +
                                           " for key '" + row->key + "', parameter '" +
                                           row->parameter + "', region '" + row->region + "'",
                                       {source, row->line, 6, "valid_from"}));
      }
    }
    dataset->rows_.push_back(std::move(*row));
  }
  if (!errors.empty()) return errors;
  return std::shared_ptr<const Dataset>(std::move(dataset));
}

const FactorRow* Dataset::Find(std::string_view key, std::string_view parameter,
                               std::string_view region, Date on) const {
  for (const FactorRow& row : rows_) {
    if (row.key == key && row.parameter == parameter && row.region == region && row.ValidOn(on)) {
      return &row;
    }
  }
  return nullptr;
}

const FactorRow* Dataset::FindLatestBefore(std::string_view key, std::string_view parameter,
                                           std::string_view region, Date on) const {
  const FactorRow* best = nullptr;
  for (const FactorRow& row : rows_) {
    if (row.key != key || row.parameter != parameter || row.region != region) continue;
    if (!row.valid_to || !(*row.valid_to < on)) continue;
    if (best == nullptr || *best->valid_to < *row.valid_to) best = &row;
  }
  return best;
}

const Dataset* ReferenceSet::Get(std::string_view id) const {
  for (const auto& d : datasets_) {
    if (d->info().id == id) return d.get();
  }
  return nullptr;
}

DatasetPins ReferenceSet::Pins() const {
  DatasetPins pins;
  for (const auto& d : datasets_) pins[d->info().id] = d->info().version;
  return pins;
}

void ReferenceLibrary::Add(std::shared_ptr<const Dataset> d) {
  auto& versions = by_id_[d->info().id];
  versions.push_back(std::move(d));
  std::sort(versions.begin(), versions.end(),
            [](const auto& a, const auto& b) { return a->info().version < b->info().version; });
}

const Dataset* ReferenceLibrary::Find(std::string_view id, std::string_view version) const {
  auto it = by_id_.find(std::string(id));
  if (it == by_id_.end()) return nullptr;
  for (const auto& d : it->second) {
    if (d->info().version == version) return d.get();
  }
  return nullptr;
}

Result<ReferenceSet> ReferenceLibrary::Select(const DatasetPins& pins) const {
  for (const auto& [id, version] : pins) {
    if (by_id_.find(id) == by_id_.end()) {
      return Error::NotFound("no dataset '" + id + "'")
          .WithCode("inventory.dataset_unknown", {{"dataset", id}});
    }
    if (Find(id, version) == nullptr) {
      std::string message = "dataset '" + id;
      message += "' has no version '" + version + "'";
      return Error::NotFound(message).WithCode("inventory.dataset_missing",
                                               {{"dataset", id}, {"version", version}});
    }
  }
  ReferenceSet set;
  for (const auto& [id, versions] : by_id_) {
    auto pin = pins.find(id);
    if (pin == pins.end()) {
      set.Add(versions.back());
      continue;
    }
    for (const auto& d : versions) {
      if (d->info().version == pin->second) set.Add(d);
    }
  }
  return set;
}

Checked<std::vector<DatasetInfo>> ParseManifest(std::string_view csv_text,
                                                const std::string& source) {
  static constexpr std::array<std::string_view, 6> kManifest = {"dataset",   "version", "file",
                                                                "published", "title",   "notes"};
  CsvTable table = ParseCsv(csv_text, source);
  ErrorList errors = table.errors;
  std::vector<DatasetInfo> infos;
  if (table.records.empty() ||
      !std::equal(kManifest.begin(), kManifest.end(), table.records[0].fields.begin(),
                  table.records[0].fields.end())) {
    errors.Add(Error::InvalidInput("header must be dataset,version,file,published,title,notes",
                                   {source, 1, 0, ""}));
    return errors;
  }
  for (size_t i = 1; i < table.records.size(); ++i) {
    const CsvRecord& r = table.records[i];
    if (r.fields.size() != kManifest.size()) {
      errors.Add(Error::InvalidInput("expected 6 columns", {source, r.line, 0, ""}));
      continue;
    }
    if (r.fields[0].empty() || r.fields[1].empty() || r.fields[2].empty()) {
      errors.Add(
          Error::InvalidInput("dataset, version and file are required", {source, r.line, 0, ""}));
      continue;
    }
    infos.push_back({r.fields[0], r.fields[1], r.fields[2], r.fields[3], r.fields[4], r.fields[5]});
  }
  if (!errors.empty()) return errors;
  return infos;
}

}  // namespace cl
