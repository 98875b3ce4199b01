// How inventories, explanations and restatements are shown: JSON (the
// documented schema "carbonledger.inventory/1", docs/templates.md), a table
// for the terminal, and CSV for Excel.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "accounting/inventory.h"
#include "accounting/reference_data.h"
#include "accounting/restatement.h"

namespace cl {

nlohmann::json InventoryJson(const Inventory& inv);
std::string InventoryTable(const Inventory& inv);
// One row per unit with the headline figures; UTF-8 with BOM so Excel reads Chinese.
std::string InventoryCsv(const Inventory& inv);

// How each number of one unit was computed: totals = sum of lines; each line
// = inputs × factor rows (dataset, version, source) × formula. `line` narrows
// to one record ("activities.csv:12" or just "12").
Result<std::string> Explain(const Inventory& inv, const std::string& unit_id,
                            const std::optional<std::string>& line);

nlohmann::json RestatementJson(const Restatement& r);
std::string RestatementTable(const Restatement& r);

// The dataset pins recorded in an inventory's JSON ("datasets").
Result<DatasetPins> PinsFromInventoryJson(const std::string& json_text, const std::string& source);

// Whether every number of `doc` is finite (NaN and infinities, which nlohmann
// writes as null, are not): a document is checked before it is stored or
// sent, so that such a number is an error upstream, never a silent null.
bool AllNumbersFinite(const nlohmann::json& doc);

// Datasets as the `factors` command shows them.
std::string DatasetRowsTable(const Dataset& d);
std::string DatasetDiffTable(const Dataset& older, const Dataset& newer);

}  // namespace cl
