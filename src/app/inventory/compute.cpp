#include "inventory/compute.h"

#include "core/encoding.h"
#include "formats/activity_rows.h"
#include "formats/templates.h"
#include "formats/text_util.h"

namespace cl {

namespace {

// The profile, year and electricity coefficient of a request: every error.
std::unique_ptr<LoadedInput> Prepare(const ReferenceData& data, const InventoryRequest& request,
                                     ErrorList& errors) {
  auto loaded = std::make_unique<LoadedInput>();
  loaded->profile = data.FindProfile(request.methodology);
  if (loaded->profile == nullptr) {
    std::string known;
    for (const Profile& p : data.profiles) known += (known.empty() ? "" : ", ") + p.id;
    errors.Add(
        Error::NotFound("unknown methodology '" + request.methodology + "'; one of " + known,
                        {"", 0, 0, "--methodology"})
            .WithCode("inventory.unknown_methodology", {{"methodology", request.methodology}}));
  }
  if (request.year < 1990 || request.year > 2100) {
    errors.Add(
        Error::InvalidInput(
            "reporting year " + std::to_string(request.year) + " is outside 1990–2100",
            {"", 0, 0, "--year"})
            .WithCode("inventory.year_out_of_range", {{"year", std::to_string(request.year)}}));
  }
  InventoryInput& input = loaded->input;
  input.year = request.year;
  if (request.electricity_equal_value) {
    Result<Unit> unit = ParseUnit("kgce/kWh");
    input.electricity_equal_value = Measured{*request.electricity_equal_value, *unit};
  }
  return loaded;
}

// A stored record's cells, its numbers typed.
ActivityFields FieldsOf(const ActivityRow& a) {
  ActivityFields f;
  f.unit_id = a.unit_id;
  f.site_id = a.site_id;
  f.activity = a.activity;
  f.quantity = a.quantity;
  f.unit_of_measure = a.unit_of_measure;
  f.period_start = a.period_start;
  f.period_end = a.period_end;
  f.data_source = a.data_source;
  f.instrument = a.instrument;
  f.instrument_ids = a.instrument_ids;
  if (a.factor) f.factor = *a.factor;
  f.factor_unit = a.factor_unit;
  f.note = a.note;
  f.meter_id = a.meter_id;
  return f;
}

}  // namespace

Checked<std::unique_ptr<LoadedInput>> LoadInput(const ReferenceData& data,
                                                const InventoryRequest& request) {
  ErrorList errors;
  auto loaded = Prepare(data, request, errors);
  if (!errors.empty()) return errors;
  Result<std::string> units_bytes = ReadFile(request.units_path);
  Result<std::string> activity_bytes = ReadFile(request.activities_path);
  if (!units_bytes.ok()) errors.Add(units_bytes.error());
  if (!activity_bytes.ok()) errors.Add(activity_bytes.error());
  if (!errors.empty()) return errors;
  InventoryInput& input = loaded->input;
  auto units = ParseUnitsFile(*units_bytes, FileName(request.units_path), data.regions);
  if (!units.ok()) return units.errors();
  input.units = std::move(units.value());
  auto records = ParseActivitiesFile(*activity_bytes, FileName(request.activities_path),
                                     input.units, data.catalog, request.year);
  if (!records.ok()) return records.errors();
  input.records = std::move(records.value());
  return loaded;
}

Checked<std::unique_ptr<LoadedInput>> LoadInput(const ReferenceData& data,
                                                const InventoryRequest& request,
                                                StoreInput from_store) {
  static const std::string kSource = "store:activities";
  ErrorList errors;
  auto loaded = Prepare(data, request, errors);
  if (!errors.empty()) return errors;
  InventoryInput& input = loaded->input;
  input.units = std::move(from_store.units);
  ActivityChecker checker(input.units, data.catalog, request.year);
  input.records.reserve(from_store.rows.size());
  int line = 1;
  for (const ActivityRow& row : from_store.rows) {
    ++line;
    FieldPlace place = [&](ActivityField f) {
      return Location{kSource, line, static_cast<int>(f) + 1, std::string(ActivityFieldName(f))};
    };
    if (auto rec = checker.Check(FieldsOf(row), kSource, line, place, errors))
      input.records.push_back(std::move(*rec));
  }
  if (!errors.empty()) return errors;
  return loaded;
}

Checked<std::unique_ptr<Computed>> Compute(const ReferenceData& data, const LoadedInput& input,
                                           const DatasetPins& pins) {
  Result<ReferenceSet> refs = data.library.Select(pins);
  if (!refs.ok()) {
    ErrorList e;
    e.Add(refs.error());
    return e;
  }
  auto computed = std::make_unique<Computed>();
  computed->refs = std::move(*refs);
  Checked<Inventory> inv = ComputeInventory(input.input, computed->refs, *input.profile);
  if (!inv.ok()) return inv.errors();
  computed->inventory = std::move(inv.value());
  return computed;
}

}  // namespace cl
