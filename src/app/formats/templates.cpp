#include "formats/templates.h"

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "core/credit_code.h"
#include "core/csv.h"
#include "core/encoding.h"
#include "core/units.h"
#include "template_table.h"

namespace cl {

using namespace template_table;  // NOLINT(google-build-using-namespace): .cpp only

namespace {

// ---- units.csv -------------------------------------------------------------

enum UnitCol : size_t {
  kUnitId,
  kCredit,
  kNameZh,
  kNameEn,
  kProvince,
  kCity,
  kDistrict,
  kIndustry,
  kFloorArea
};
constexpr std::array<ColumnSpec, 9> kUnitColumns = {{
    {"unit_id", "单位编号", true},
    {"credit_code", "统一社会信用代码", true},
    {"name_zh", "单位名称", true},
    {"name_en", "英文名称", false},
    {"province", "省份", true},
    {"city", "城市", false},
    {"district", "区县", false},
    {"industry_code", "行业代码", false},
    {"floor_area_m2", "建筑面积", false},
}};

// GB/T 4754-2017: a section letter A–T and/or a 2–4 digit class code.
bool IndustryCodeShape(std::string_view code) {
  if (code.empty()) return true;
  size_t i = 0;
  if (code[0] >= 'A' && code[0] <= 'T') i = 1;
  size_t digits = code.size() - i;
  if (i == 1 && digits == 0) return true;
  if (digits < 2 || digits > 4) return false;
  for (; i < code.size(); ++i) {
    if (code[i] < '0' || code[i] > '9') return false;
  }
  return true;
}

}  // namespace

ReportingUnit ReportingUnitOf(const UnitRecord& u) {
  ReportingUnit r;
  r.id = u.id;
  r.credit_code = u.credit_code;
  r.name_zh = u.name_zh;
  r.name_en = u.name_en;
  r.province = u.province;
  r.city = u.city;
  r.district = u.district;
  r.industry_code = u.industry_code;
  r.floor_area_m2 = u.floor_area_m2;
  return r;
}

Checked<std::vector<ReportingUnit>> ParseUnitsFile(std::string_view bytes,
                                                   const std::string& source,
                                                   const RegionTable& regions) {
  ErrorList errors;
  Table table = ReadTable(bytes, source, errors);
  if (!table.ok) return errors;
  Header header(kUnitColumns, table.csv.records[0], source, errors);
  if (!errors.empty()) return errors;
  std::vector<ReportingUnit> units;
  std::map<std::string, int> seen;
  for (size_t i = 1; i < table.csv.records.size(); ++i) {
    const CsvRecord& r = table.csv.records[i];
    if (!CheckWidth(header, r, source, errors)) continue;
    RowErrors row(source, header, r, errors);
    ReportingUnit u;
    u.source_file = source;
    u.line = r.line;
    u.id = header.Get(r, kUnitId);
    u.credit_code = header.Get(r, kCredit);
    u.name_zh = header.Get(r, kNameZh);
    u.name_en = header.Get(r, kNameEn);
    u.city = header.Get(r, kCity);
    u.district = header.Get(r, kDistrict);
    u.industry_code = header.Get(r, kIndustry);
    if (u.id.empty()) {
      row.Add(kUnitId, "unit_id is empty");
    } else if (auto [it, inserted] = seen.emplace(u.id, r.line); !inserted) {
      row.Add(kUnitId, "unit_id '" + u.id + "' already used on line " + std::to_string(it->second));
    }
    if (Status s = ValidateCreditCode(u.credit_code); !s.ok())
      row.Add(kCredit, s.error().message());
    if (u.name_zh.empty()) row.Add(kNameZh, "name_zh is empty");
    std::string province = header.Get(r, kProvince);
    if (const Province* p = regions.Resolve(province)) {
      u.province = p->code;
    } else {
      row.Add(kProvince, "'" + province +
                             "' is not a province: write a GB/T 2260 code (310000) or a name "
                             "(上海, Shanghai)");
    }
    if (std::string area = header.Get(r, kFloorArea); !area.empty()) {
      std::optional<double> v = ParseNumber(area);
      if (v && *v > 0)
        u.floor_area_m2 = v;
      else
        row.Add(kFloorArea, "floor_area_m2 '" + area + "' is not a positive number of m²");
    }
    if (!IndustryCodeShape(u.industry_code)) {
      row.Add(kIndustry, "'" + u.industry_code +
                             "' is not a GB/T 4754 code (a section letter A–T and/or 2–4 digits)");
    }
    if (!row.any()) units.push_back(std::move(u));
  }
  if (!errors.empty()) return errors;
  return units;
}

}  // namespace cl
