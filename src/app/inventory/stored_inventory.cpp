#include "inventory/stored_inventory.h"

#include <algorithm>

#include "inventory/compute.h"
#include "inventory/figures.h"
#include "inventory/store_bridge.h"
#include "metering/metering.h"
#include "reports/render.h"
#include "store/store.h"

namespace cl {
namespace {

struct Recomputed {
  std::unique_ptr<LoadedInput> input;
  std::unique_ptr<Computed> computed;
};

Result<Recomputed> Recompute(Store& store, const ReferenceData& data, const VeeSettings& vee,
                             const std::string& unit_id, int year, const std::string& methodology,
                             const DatasetPins& pins) {
  if (!unit_id.empty()) {
    auto unit = store.Registry().GetUnit(unit_id);
    if (!unit.ok()) return unit.error();
    if (!unit->has_value())
      return Error::NotFound("unit '" + unit_id + "' does not exist")
          .WithCode("unit.not_found", {{"unit", unit_id}});
  }
  if (!data.FindProfile(methodology))
    return Error::InvalidInput("unknown methodology '" + methodology + "'",
                               {"", 0, 0, "methodology"})
        .WithCode("inventory.unknown_methodology", {{"methodology", methodology}});
  auto in = BuildStoreInput(store, vee, year, unit_id);
  if (!in.ok()) return in.error();
  InventoryRequest request;
  request.year = year;
  request.methodology = methodology;
  request.pins = pins;
  auto input = LoadInput(data, request, std::move(*in));
  if (!input.ok()) return Error::Several(input.errors());
  Recomputed r;
  r.input = std::move(input.value());
  auto computed = Compute(data, *r.input, pins);
  if (!computed.ok()) return Error::Several(computed.errors());
  r.computed = std::move(computed.value());
  return r;
}

Result<DatasetPins> PinsOf(const InventoryRecord& inv) {
  nlohmann::json pins = nlohmann::json::parse(inv.pins, nullptr, false);
  if (!pins.is_object())
    return Error::Internal("inventory " + std::to_string(inv.id) + " has bad pins");
  DatasetPins out;
  for (const auto& [k, v] : pins.items())
    if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

Result<Recomputed> Reproduce(Store& store, const ReferenceData& data, const VeeSettings& vee,
                             const InventoryRecord& inv) {
  auto pins = PinsOf(inv);
  if (!pins.ok()) return pins.error();
  auto r = Recompute(store, data, vee, inv.unit_id, inv.year, inv.methodology, *pins);
  if (!r.ok()) return r.error();
  nlohmann::json stored = nlohmann::json::parse(inv.document, nullptr, false);
  nlohmann::json again = InventoryJson(r->computed->inventory);
  if (stored.is_discarded() || !stored.contains("units") || stored["units"] != again["units"])
    return Error::Conflict("the store's data for unit '" + inv.unit_id + "' " +
                           std::to_string(inv.year) + " changed after inventory " +
                           std::to_string(inv.id) +
                           " was computed; compute a new version to explain it")
        .WithCode("inventory.data_changed", {{"unit", inv.unit_id},
                                             {"year", std::to_string(inv.year)},
                                             {"id", std::to_string(inv.id)}});
  return r;
}

// The document and its figures (the read model) in one transaction.
Result<int64_t> SaveWithFigures(Store& store, const InventoryRecord& rec,
                                const InventoryFigures& figures, const Actor& by) {
  CL_RETURN_IF_ERROR(store.Begin());
  auto id = store.Inventories().CreateInventory(rec, by);
  Status put = id.ok() ? store.Figures().PutFigures(*id, figures) : Status(id.error());
  if (!put.ok()) {
    store.Rollback();
    return put.error();
  }
  CL_RETURN_IF_ERROR(store.Commit());
  return id;
}

}  // namespace

Result<int64_t> ComputeAndSaveInventory(Store& store, const ReferenceData& data,
                                        const VeeSettings& vee,
                                        const StoredInventoryRequest& request, const Actor& by) {
  if (request.unit_id.empty())
    return Error::InvalidInput("an inventory needs a unit", {"", 0, 0, "unit"})
        .WithCode("field.required", {{"field", "unit"}});
  auto r =
      Recompute(store, data, vee, request.unit_id, request.year, request.methodology, request.pins);
  if (!r.ok()) return r.error();
  nlohmann::json doc = InventoryJson(r->computed->inventory);
  // The engine refuses figures that are not finite; this is the last guard
  // before the document is kept (nlohmann would write them as null).
  if (!AllNumbersFinite(doc))
    return Error::Internal("the inventory of unit '" + request.unit_id +
                           "' has a figure that is not a finite number");
  InventoryRecord rec;
  rec.unit_id = request.unit_id;
  rec.year = request.year;
  rec.methodology = request.methodology;
  rec.pins = doc.value("datasets", nlohmann::json::object()).dump();
  rec.document = doc.dump();
  rec.supersedes = request.supersedes;
  rec.reason = request.reason;
  rec.created_at = NowUtc();
  rec.created_by = by.user;
  const Inventory& inv = r->computed->inventory;
  auto unit = std::find_if(inv.units.begin(), inv.units.end(),
                           [&](const UnitInventory& u) { return u.unit->id == request.unit_id; });
  if (unit == inv.units.end())
    return Error(ErrorKind::kInternal,
                 "the inventory of unit '" + request.unit_id + "' does not have the unit");
  return SaveWithFigures(store, rec, FiguresOf(*unit, request.year, inv.market_reported), by);
}

Result<std::string> ExplainStoredInventory(Store& store, const ReferenceData& data,
                                           const VeeSettings& vee, const InventoryRecord& inv,
                                           const std::optional<std::string>& line) {
  auto r = Reproduce(store, data, vee, inv);
  if (!r.ok()) return r.error();
  return Explain(r->computed->inventory, inv.unit_id, line);
}

Result<nlohmann::json> RecomputeStoredDocument(Store& store, const ReferenceData& data,
                                               const VeeSettings& vee, const InventoryRecord& inv) {
  auto pins = PinsOf(inv);
  if (!pins.ok()) return pins.error();
  auto r = Recompute(store, data, vee, inv.unit_id, inv.year, inv.methodology, *pins);
  if (!r.ok()) return r.error();
  return InventoryJson(r->computed->inventory);
}

Result<nlohmann::json> RestateStoredInventory(Store& store, const ReferenceData& data,
                                              const VeeSettings& vee, const InventoryRecord& inv,
                                              const DatasetPins& to) {
  auto before = Reproduce(store, data, vee, inv);
  if (!before.ok()) return before.error();
  auto after = Compute(data, *before->input, to);
  if (!after.ok()) return Error::Several(after.errors());
  return RestatementJson(Restate(before->computed->inventory, after.value()->inventory));
}

}  // namespace cl
