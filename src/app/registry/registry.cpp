#include "registry/registry.h"

#include "store/store.h"

namespace cl {

Result<std::vector<UnitRecord>> ListUnits(Store& store) { return store.Registry().ListUnits(); }

Result<std::optional<UnitRecord>> GetUnit(Store& store, const std::string& id) {
  return store.Registry().GetUnit(id);
}

Result<WriteOutcome> PutUnit(Store& store, const UnitRecord& unit, const Actor& by) {
  return store.Registry().PutUnit(unit, by);
}

Result<std::vector<SiteRecord>> ListSites(Store& store) { return store.Registry().ListSites(); }

Result<WriteOutcome> PutSite(Store& store, const SiteRecord& site, const Actor& by) {
  return store.Registry().PutSite(site, by);
}

Result<std::vector<MeterRecord>> ListMeters(Store& store) { return store.Registry().ListMeters(); }

Result<std::optional<MeterRecord>> GetMeter(Store& store, const std::string& id) {
  return store.Registry().GetMeter(id);
}

Result<WriteOutcome> PutMeter(Store& store, const MeterRecord& meter, const Actor& by) {
  return store.Registry().PutMeter(meter, by);
}

Result<std::vector<ActivityRow>> ListActivities(Store& store, const std::string& unit_id) {
  return store.Activities().ListActivities(unit_id);
}

}  // namespace cl
