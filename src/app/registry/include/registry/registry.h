// The registry as use cases: reporting units, their sites and meters, and a
// unit's activity records, read and registered. A write is one audited
// change (see store/registry.h for what each answer means).
//
// Each function runs on the Store (one connection) it is given and keeps no
// state: calls on different connections may run on several threads at once.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h

Result<std::vector<UnitRecord>> ListUnits(Store& store);
Result<std::optional<UnitRecord>> GetUnit(Store& store, const std::string& id);
Result<WriteOutcome> PutUnit(Store& store, const UnitRecord& unit, const Actor& by);
Result<std::vector<SiteRecord>> ListSites(Store& store);
Result<WriteOutcome> PutSite(Store& store, const SiteRecord& site, const Actor& by);
Result<std::vector<MeterRecord>> ListMeters(Store& store);
Result<std::optional<MeterRecord>> GetMeter(Store& store, const std::string& id);
Result<WriteOutcome> PutMeter(Store& store, const MeterRecord& meter, const Actor& by);
Result<std::vector<ActivityRow>> ListActivities(Store& store, const std::string& unit_id);

}  // namespace cl
