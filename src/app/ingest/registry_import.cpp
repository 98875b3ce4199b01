// Registry files (units, sites, meters) and the VEE settings.
#include <charconv>
#include <cmath>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/region.h"
#include "core/timezone.h"
#include "formats/templates.h"
#include "ingest/ingest.h"
#include "store/store.h"

namespace cl {
namespace {

struct Column {
  const char* en;
  const char* zh;
  bool required;
};

// A small registry table: header by English or Chinese name; every row's
// cells by column.
class Table {
 public:
  template <size_t N>
  Table(const CsvTable& csv, const Column (&cols)[N], const std::string& source, ErrorList& errors)
      : source_(source), index_(N, -1) {
    if (csv.records.empty()) {
      errors.Add(Error::InvalidInput("the file has no header row", {source, 1, 0, ""})
                     .WithCode("import.no_header"));
      return;
    }
    const CsvRecord& h = csv.records.front();
    for (size_t c = 0; c < h.fields.size(); ++c) {
      std::string name = h.fields[c];
      bool found = false;
      for (size_t k = 0; k < N; ++k)
        if (name == cols[k].en || name == cols[k].zh) {
          index_[k] = static_cast<int>(c);
          found = true;
        }
      if (!found)
        errors.Add(Error::InvalidInput("unknown column '" + name + "'",
                                       {source, h.line, static_cast<int>(c) + 1, name})
                       .WithCode("import.unknown_column", {{"column", name}}));
    }
    for (size_t k = 0; k < N; ++k)
      if (cols[k].required && index_[k] < 0)
        errors.Add(Error::InvalidInput(
                       std::string("missing column ") + cols[k].en + " (" + cols[k].zh + ")",
                       {source, h.line, 0, cols[k].en})
                       .WithCode("import.missing_column",
                                 {{"column", cols[k].en}, {"column_zh", cols[k].zh}}));
    names_.assign(cols, cols + N);
  }
  std::string Get(const CsvRecord& r, size_t k) const {
    int c = index_[k];
    if (c < 0 || static_cast<size_t>(c) >= r.fields.size()) return "";
    return r.fields[static_cast<size_t>(c)];
  }
  Location Where(const CsvRecord& r, size_t k) const {
    return {source_, r.line, index_[k] + 1, names_[k].en};
  }

 private:
  std::string source_;
  std::vector<int> index_;
  std::vector<Column> names_;
};

Checked<CsvTable> ReadCsvFile(const std::string& path) {
  ErrorList errors;
  auto bytes = ReadFile(path);
  if (!bytes.ok()) {
    errors.Add(bytes.error());
    return errors;
  }
  auto text = DecodeText(*bytes, path);
  if (!text.ok()) {
    errors.Add(text.error());
    return errors;
  }
  CsvTable t = ParseCsv(text->utf8, path);
  if (!t.errors.empty()) return t.errors;
  return t;
}

void Count(RegistryResult& r, WriteOutcome o) {
  if (o == WriteOutcome::kInserted) ++r.inserted;
  if (o == WriteOutcome::kUpdated) ++r.updated;
  if (o == WriteOutcome::kUnchanged) ++r.unchanged;
}

// Stores all records in one transaction, or none.
template <typename T, typename Put>
Checked<RegistryResult> StoreAll(Store& store, const std::vector<T>& records,
                                 const std::vector<Location>& where, Put put) {
  ErrorList errors;
  RegistryResult result;
  if (auto st = store.Begin(); !st.ok()) {
    errors.Add(st.error());
    return errors;
  }
  for (size_t i = 0; i < records.size(); ++i) {
    auto o = put(records[i]);
    if (!o.ok()) {
      errors.Add(Error(o.error().kind(), o.error().message(), where[i]));
      continue;
    }
    Count(result, *o);
  }
  if (!errors.empty()) {
    store.Rollback();
    return errors;
  }
  if (auto st = store.Commit(); !st.ok()) {
    errors.Add(st.error());
    return errors;
  }
  return result;
}

}  // namespace

Checked<RegistryResult> ImportUnits(Store& store, const std::string& path,
                                    const RegionTable& regions, const Actor& by) {
  ErrorList errors;
  auto bytes = ReadFile(path);
  if (!bytes.ok()) {
    errors.Add(bytes.error());
    return errors;
  }
  auto units = ParseUnitsFile(*bytes, path, regions);
  if (!units.ok()) return units.errors();
  std::vector<UnitRecord> records;
  std::vector<Location> where;
  for (const ReportingUnit& u : units.value()) {
    records.push_back({u.id, u.credit_code, u.name_zh, u.name_en, u.province, u.city, u.district,
                       u.industry_code, u.floor_area_m2});
    where.push_back({path, u.line, 0, "unit_id"});
  }
  return StoreAll(store, records, where,
                  [&](const UnitRecord& u) { return store.Registry().PutUnit(u, by); });
}

Checked<RegistryResult> ImportSites(Store& store, const std::string& path, const Actor& by) {
  static const Column cols[] = {{"unit_id", "单位编号", true},
                                {"site_id", "场所编号", true},
                                {"name", "名称", false},
                                {"district", "区", false},
                                {"time_zone", "时区", false}};
  auto csv = ReadCsvFile(path);
  if (!csv.ok()) return csv.errors();
  ErrorList errors;
  Table t(csv.value(), cols, path, errors);
  std::vector<SiteRecord> records;
  std::vector<Location> where;
  const bool header_ok = errors.empty();
  for (size_t i = 1; header_ok && i < csv.value().records.size(); ++i) {
    const CsvRecord& r = csv.value().records[i];
    SiteRecord s{t.Get(r, 1), t.Get(r, 0), t.Get(r, 2), t.Get(r, 3), t.Get(r, 4)};
    if (s.time_zone.empty()) s.time_zone = "Asia/Shanghai";
    if (s.unit_id.empty()) errors.Add(Error::InvalidInput("unit_id is empty", t.Where(r, 0)));
    if (s.id.empty()) errors.Add(Error::InvalidInput("site_id is empty", t.Where(r, 1)));
    if (auto tz = TimeZone::Find(s.time_zone); !tz.ok())
      errors.Add(Error::InvalidInput(tz.error().message(), t.Where(r, 4)));
    records.push_back(s);
    where.push_back(t.Where(r, 1));
  }
  if (!errors.empty()) return errors;
  return StoreAll(store, records, where,
                  [&](const SiteRecord& s) { return store.Registry().PutSite(s, by); });
}

namespace {

// Column k of the row as a positive number; empty when the cell is, or after
// adding an error.
std::optional<double> PositiveNumber(const Table& t, const CsvRecord& r, size_t k,
                                     ErrorList& errors) {
  std::string text = t.Get(r, k);
  if (text.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v) || v <= 0) {
    errors.Add(Error::InvalidInput("'" + text + "' is not a positive number", t.Where(r, k)));
    return std::nullopt;
  }
  return v;
}

// One row of meters.csv, its errors added to `errors`.
MeterRecord MeterRow(const Table& t, const CsvRecord& r, const ActivityCatalog& catalog,
                     ErrorList& errors) {
  MeterRecord m;
  m.id = t.Get(r, 0);
  m.unit_id = t.Get(r, 1);
  m.site_id = t.Get(r, 2);
  m.carrier = t.Get(r, 3);
  m.unit_of_measure = t.Get(r, 4);
  if (m.id.empty()) errors.Add(Error::InvalidInput("meter_id is empty", t.Where(r, 0)));
  if (m.unit_id.empty()) errors.Add(Error::InvalidInput("unit_id is empty", t.Where(r, 1)));
  auto column = [&](const std::string& field) -> size_t {
    return field == "carrier" ? 3 : field == "unit_of_measure" ? 4 : field == "rollover" ? 7 : 9;
  };
  if (auto iv = ParseMeterInterval(t.Get(r, 5)); iv.ok()) {
    m.interval = *iv;
  } else {
    errors.Add(Error::InvalidInput(iv.error().message(), t.Where(r, 5)));
  }
  if (std::string k = t.Get(r, 6); !k.empty()) {
    if (auto kind = ParseMeterKind(k); kind.ok()) {
      m.kind = *kind;
    } else {
      errors.Add(Error::InvalidInput(kind.error().message(), t.Where(r, 6)));
    }
  }
  if (auto rollover = PositiveNumber(t, r, 7, errors)) m.rollover = rollover;
  m.multiplier = PositiveNumber(t, r, 8, errors).value_or(1.0);
  m.time_zone = t.Get(r, 9).empty() ? "Asia/Shanghai" : t.Get(r, 9);
  const ErrorList meter_errors = CheckMeter(catalog, m);
  for (const Error& e : meter_errors.errors())
    errors.Add(Error::InvalidInput(e.message(), t.Where(r, column(e.where().field))));
  return m;
}

}  // namespace

Checked<RegistryResult> ImportMeters(Store& store, const std::string& path,
                                     const ActivityCatalog& catalog, const Actor& by) {
  static const Column cols[] = {{"meter_id", "表计编号", true},
                                {"unit_id", "单位编号", true},
                                {"site_id", "场所编号", false},
                                {"carrier", "能源品种", true},
                                {"unit_of_measure", "计量单位", true},
                                {"interval", "采集间隔", true},
                                {"kind", "类型", false},
                                {"rollover", "满量程", false},
                                {"multiplier", "倍率", false},
                                {"time_zone", "时区", false}};
  auto csv = ReadCsvFile(path);
  if (!csv.ok()) return csv.errors();
  ErrorList errors;
  Table t(csv.value(), cols, path, errors);
  std::vector<MeterRecord> records;
  std::vector<Location> where;
  const bool header_ok = errors.empty();
  for (size_t i = 1; header_ok && i < csv.value().records.size(); ++i) {
    const CsvRecord& r = csv.value().records[i];
    records.push_back(MeterRow(t, r, catalog, errors));
    where.push_back(t.Where(r, 0));
  }
  if (!errors.empty()) return errors;
  return StoreAll(store, records, where,
                  [&](const MeterRecord& m) { return store.Registry().PutMeter(m, by); });
}

ErrorList CheckMeter(const ActivityCatalog& catalog, MeterRecord& m) {
  ErrorList errors;
  auto at = [](const char* field) { return Location{"", 0, 0, field}; };
  const ActivityType* type = catalog.Find(m.carrier);
  if (m.carrier.empty()) {
    errors.Add(Error::InvalidInput("carrier is empty", at("carrier"))
                   .WithCode("field.empty", {{"field", "carrier"}}));
  } else if (!type) {
    errors.Add(
        Error::InvalidInput(
            "unknown carrier '" + m.carrier +
                "' (an activity code of data/activities.csv, e.g. electricity, natural_gas, heat)",
            at("carrier"))
            .WithCode("meter.unknown_carrier", {{"value", m.carrier}}));
  } else {
    m.carrier = type->code;  // a Chinese name becomes its code
  }
  if (auto u = ParseUnit(m.unit_of_measure); !u.ok()) {
    errors.Add(Error::InvalidInput(u.error().message(), at("unit_of_measure"))
                   .WithCode("meter.unknown_unit", {{"value", m.unit_of_measure}}));
  } else if (type && !QuantityRuleAllows(type->quantity, u->dim)) {
    errors.Add(Error::InvalidInput("'" + m.unit_of_measure + "' is " + DimName(u->dim) + "; " +
                                       type->code + " is measured in " +
                                       QuantityRuleName(type->quantity),
                                   at("unit_of_measure"))
                   .WithCode("meter.unit_mismatch",
                             {{"value", m.unit_of_measure}, {"carrier", type->code}}));
  }
  if (auto tz = TimeZone::Find(m.time_zone); !tz.ok())
    errors.Add(Error::InvalidInput(tz.error().message(), at("time_zone"))
                   .WithCode("meter.unknown_time_zone", {{"value", m.time_zone}}));
  if (m.rollover && m.kind != MeterKind::kRegister)
    errors.Add(Error::InvalidInput("rollover applies to register meters only", at("rollover"))
                   .WithCode("meter.rollover_not_register"));
  return errors;
}

}  // namespace cl
