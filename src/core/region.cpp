#include "core/region.h"

#include <strings.h>

#include "core/csv.h"

namespace cl {

Checked<RegionTable> RegionTable::Parse(std::string_view csv_text, const std::string& source) {
  CsvTable table = ParseCsv(csv_text, source);
  ErrorList errors = table.errors;
  RegionTable result;
  for (size_t i = 1; i < table.records.size(); ++i) {
    const CsvRecord& r = table.records[i];
    if (r.fields.size() != 5) {
      errors.Add(Error::InvalidInput("expected 5 columns, found " + std::to_string(r.fields.size()),
                                     {source, r.line, 0, ""}));
      continue;
    }
    result.provinces_.push_back({r.fields[0], r.fields[1], r.fields[2], r.fields[3]});
  }
  if (!errors.empty()) return errors;
  return result;
}

const Province* RegionTable::Resolve(std::string_view text) const {
  for (const Province& p : provinces_) {
    if (text == p.code || text == p.name_zh || text == p.short_zh ||
        (text.size() == p.name_en.size() &&
         strncasecmp(text.data(), p.name_en.data(), text.size()) == 0)) {
      return &p;
    }
  }
  return nullptr;
}

const Province* RegionTable::ByCode(std::string_view code) const {
  for (const Province& p : provinces_) {
    if (code == p.code) return &p;
  }
  return nullptr;
}

}  // namespace cl
