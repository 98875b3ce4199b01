// What a bank sees of a unit's inventory that is not yet published, under
// the unit's consent (docs/roles.md §Consent): the unit's names and headline
// totals, no lines and no factors; its intensities only when the consent
// names the 'intensities' scope. Pure: no store, safe from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cl {

// The bank's figures from an inventory's stored document (reports/render.h's
// form): `unit_id`, `name_zh`, `name_en` and every number of the unit's
// totals, plus `intensities` when `with_intensities`. An unreadable document
// gives an empty object.
nlohmann::json BankFigures(const std::string& document, bool with_intensities);

}  // namespace cl
