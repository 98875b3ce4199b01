// The registry: reporting units, their sites and their meters.
//
// Part of the store (store.h): obtained from Store::Registry(), valid as long as
// the Store it came from, on that Store's connection, so it follows the
// Store's thread rule: one thread at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class RegistryRepository {
 public:
  virtual ~RegistryRepository() = default;

  // Reporting units, sites, meters. Put inserts or updates and audits a
  // change; an identical record is kUnchanged and writes nothing.
  virtual Result<WriteOutcome> PutUnit(const UnitRecord& unit, const Actor& by) = 0;
  virtual Result<std::vector<UnitRecord>> ListUnits() = 0;
  virtual Result<std::optional<UnitRecord>> GetUnit(const std::string& id) = 0;
  virtual Result<WriteOutcome> PutSite(const SiteRecord& site, const Actor& by) = 0;
  virtual Result<std::vector<SiteRecord>> ListSites() = 0;
  // A meter's unit and site must exist; interval and kind cannot change once
  // readings are stored.
  virtual Result<WriteOutcome> PutMeter(const MeterRecord& meter, const Actor& by) = 0;
  virtual Result<std::vector<MeterRecord>> ListMeters() = 0;
  virtual Result<std::optional<MeterRecord>> GetMeter(const std::string& id) = 0;
};

}  // namespace cl
