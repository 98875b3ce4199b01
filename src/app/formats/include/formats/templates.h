// Reading the input templates (docs/templates.md): units.csv and
// activities.csv as users save them from Excel.
//
// Each function reads a whole file and returns either every record or every
// error (file:line:column, field, reason); nothing is returned from a file
// that has any error, so nothing is computed from a partly read file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "accounting/catalog.h"
#include "accounting/model.h"
#include "core/error.h"
#include "core/region.h"
#include "model/records.h"

namespace cl {

// `bytes` may be UTF-8 (with or without BOM) or GBK; `source` names the file.
Checked<std::vector<ReportingUnit>> ParseUnitsFile(std::string_view bytes,
                                                   const std::string& source,
                                                   const RegionTable& regions);

// A registered unit as the templates' reporting unit (already checked when it
// was registered).
ReportingUnit ReportingUnitOf(const UnitRecord& u);

// Records for `year` (0: any year); unit ids must be among `units`.
Checked<std::vector<ActivityRecord>> ParseActivitiesFile(std::string_view bytes,
                                                         const std::string& source,
                                                         const std::vector<ReportingUnit>& units,
                                                         const ActivityCatalog& catalog, int year);

}  // namespace cl
