// The programme office's views over the store: the city's figures from the
// units' stored inventories, and how complete every meter's readings are.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/period.h"
#include "core/timestamp.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h: the use cases below take a connection

// One unit's figures for a year, from its latest inventory version under a
// methodology (or none yet).
struct UnitFigures {
  std::string unit_id, name_zh, name_en, district, industry_code;
  int64_t inventory_id = 0;  // 0: no inventory for the year
  int version = 0;
  std::string status;  // draft, submitted, returned, verified, published
  double energy_tce = 0, total_tco2e = 0, scope1_tco2e = 0, scope2_tco2e = 0;
  std::optional<double> output_10k_cny, tce_per_10k_cny, tco2e_per_10k_cny;
  // Per m² of the unit's gross floor area (buildings are compared so):
  // none without a floor area.
  std::optional<double> floor_area_m2, kgce_per_m2, kgco2e_per_m2;
  std::map<std::string, double> carrier_tce, carrier_tco2e;  // electricity, natural_gas, ...
};

// Energy and emissions of a calendar month and carrier; an activity record
// over several months is spread over them by days.
struct MonthFigures {
  std::string month;  // "2025-03"
  std::string carrier;
  double energy_tce = 0, tco2e = 0;
};

struct CityOverview {
  int year = 0;
  std::string methodology;
  bool published_only = false;
  std::vector<int> years;  // years that have an inventory the caller may see
  std::vector<UnitFigures> units;
  std::vector<MonthFigures> months;
};

// Every unit's latest inventory of `year` under `methodology` (no year:
// the latest year that has one, else `fallback_year`), its figures read from
// the read model (store/figures.h; an inventory saved without figures, before
// migration 8, is read from its document); published_only keeps the latest
// *published* version and leaves out units without one (what the public may
// see).
Result<CityOverview> BuildCityOverview(Store& store, std::optional<int> asked, int fallback_year,
                                       const std::string& methodology, bool published_only);

}  // namespace cl
