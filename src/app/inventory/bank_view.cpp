#include "inventory/bank_view.h"

namespace cl {

nlohmann::json BankFigures(const std::string& document, bool with_intensities) {
  using nlohmann::json;
  json figures = json::object();
  json doc = json::parse(document, nullptr, false);
  if (!doc.is_object() || !doc.contains("units") || !doc["units"].is_array() ||
      doc["units"].empty() || !doc["units"][0].is_object())
    return figures;
  const json& unit = doc["units"][0];
  for (const auto& [k, v] : unit.items())
    if (v.is_number() || k == "unit_id" || k == "name_zh" || k == "name_en") figures[k] = v;
  if (with_intensities && unit.contains("intensities"))
    figures["intensities"] = unit["intensities"];
  return figures;
}

}  // namespace cl
