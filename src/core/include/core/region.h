// Provinces by GB/T 2260 code, read from data/regions.csv.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cl {

struct Province {
  std::string code;  // "310000"
  std::string name_zh;
  std::string short_zh;
  std::string name_en;
};

class RegionTable {
 public:
  // Parses regions.csv text (columns code,name_zh,short_zh,name_en,source).
  static Checked<RegionTable> Parse(std::string_view csv_text, const std::string& source);

  // The province a user wrote: "310000", "上海", "上海市" or "Shanghai"
  // (any case). nullptr when nothing matches.
  const Province* Resolve(std::string_view text) const;
  const Province* ByCode(std::string_view code) const;

 private:
  std::vector<Province> provinces_;
};

}  // namespace cl
