#include "inventory/compute.h"

#include "core/encoding.h"
#include "formats/templates.h"
#include "formats/text_util.h"

namespace cl {

Checked<std::unique_ptr<LoadedInput>> LoadInput(const ReferenceData& data,
                                                const InventoryRequest& request) {
  ErrorList errors;
  auto loaded = std::make_unique<LoadedInput>();
  loaded->profile = data.FindProfile(request.methodology);
  if (loaded->profile == nullptr) {
    std::string known;
    for (const Profile& p : data.profiles) known += (known.empty() ? "" : ", ") + p.id;
    errors.Add(Error::NotFound("unknown methodology '" + request.methodology + "'; one of " + known,
                               {"", 0, 0, "--methodology"}));
  }
  if (request.year < 1990 || request.year > 2100) {
    errors.Add(Error::InvalidInput(
        "reporting year " + std::to_string(request.year) + " is outside 1990–2100",
        {"", 0, 0, "--year"}));
  }
  if (!errors.empty()) return errors;
  InventoryInput& input = loaded->input;
  input.year = request.year;
  if (request.electricity_equal_value) {
    Result<Unit> unit = ParseUnit("kgce/kWh");
    input.electricity_equal_value = Measured{*request.electricity_equal_value, *unit};
  }
  Result<std::string> units_bytes =
      request.units_text ? Result<std::string>(*request.units_text) : ReadFile(request.units_path);
  Result<std::string> activity_bytes = request.activities_text
                                           ? Result<std::string>(*request.activities_text)
                                           : ReadFile(request.activities_path);
  if (!units_bytes.ok()) errors.Add(units_bytes.error());
  if (!activity_bytes.ok()) errors.Add(activity_bytes.error());
  if (!errors.empty()) return errors;
  auto units = ParseUnitsFile(*units_bytes, FileName(request.units_path), data.regions);
  if (!units.ok()) return units.errors();
  input.units = std::move(units.value());
  auto records = ParseActivitiesFile(*activity_bytes, FileName(request.activities_path),
                                     input.units, data.catalog, request.year);
  if (!records.ok()) return records.errors();
  input.records = std::move(records.value());
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
