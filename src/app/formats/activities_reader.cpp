// Reads activities.csv (docs/templates.md): one ActivityRecord per row, or
// every error of the file.
#include <array>
#include <map>
#include <optional>

#include "core/units.h"
#include "formats/templates.h"
#include "template_table.h"

namespace cl {

using namespace template_table;  // NOLINT(google-build-using-namespace): .cpp only

namespace {

enum Col : size_t {
  kUnit,
  kSite,
  kActivity,
  kQuantity,
  kUom,
  kStart,
  kEnd,
  kSource,
  kInstrument,
  kIds,
  kFactor,
  kFactorUnit,
  kNote,
  kMeter
};
constexpr std::array<ColumnSpec, 14> kColumns = {{
    {"unit_id", "单位编号", true},
    {"site_id", "站点编号", false},
    {"activity", "活动类型", true},
    {"quantity", "数量", true},
    {"unit_of_measure", "计量单位", true},
    {"period_start", "开始日期", true},
    {"period_end", "结束日期", true},
    {"data_source", "数据来源", false},
    {"instrument", "交易凭证", false},
    {"instrument_ids", "凭证编号", false},
    {"factor", "排放因子", false},
    {"factor_unit", "因子单位", false},
    {"note", "备注", false},
    {"meter_id", "表计编号", false},
}};

template <typename T>
struct Alias {
  std::string_view en;
  std::string_view zh;
  T value;
};

constexpr std::array<Alias<DataSource>, 4> kSources = {{
    {"meter", "计量", DataSource::kMeter},
    {"bill", "账单", DataSource::kBill},
    {"manual", "手工", DataSource::kManual},
    {"estimate", "估算", DataSource::kEstimate},
}};

constexpr std::array<Alias<Instrument>, 3> kInstruments = {{
    {"green_power_interprovincial", "省间绿电", Instrument::kGreenPowerInterprovincial},
    {"green_power_contract", "绿电合同", Instrument::kGreenPowerContract},
    {"gec", "绿证", Instrument::kGec},
}};

template <typename T, size_t N>
std::optional<T> FindAlias(const std::array<Alias<T>, N>& table, const std::string& text) {
  for (const Alias<T>& a : table) {
    if (text == a.en || text == a.zh) return a.value;
  }
  return std::nullopt;
}

template <typename T, size_t N>
std::string AliasList(const std::array<Alias<T>, N>& table) {
  std::string out;
  for (const Alias<T>& a : table) {
    out += (out.empty() ? "" : ", ") + std::string(a.en) + " (" + std::string(a.zh) + ")";
  }
  return out;
}

// Splits "a;b；c" into trimmed, non-empty ids.
std::vector<std::string> SplitIds(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    std::string id = Header::Trim(current);
    if (!id.empty()) out.push_back(id);
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ';') {
      flush();
    } else if (text.compare(i, 3, "；") == 0) {
      flush();
      i += 2;
    } else {
      current += text[i];
    }
  }
  flush();
  return out;
}

class ActivitiesReader {
 public:
  ActivitiesReader(const std::string& source, const std::vector<ReportingUnit>& units,
                   const ActivityCatalog& catalog, int year, ErrorList& errors)
      : source_(source),
        catalog_(catalog),
        year_(CalendarYear(year)),
        year_number_(year),
        errors_(errors) {
    for (size_t i = 0; i < units.size(); ++i) unit_index_[units[i].id] = static_cast<int>(i);
  }

  std::optional<ActivityRecord> Read(const Header& h, const CsvRecord& r) {
    RowErrors row(source_, h, r, errors_);
    ActivityRecord rec;
    rec.source_file = source_;
    rec.line = r.line;
    rec.id = source_ + ":" + std::to_string(r.line);
    ReadUnit(h, r, row, rec);
    rec.site_id = h.Get(r, kSite);
    if (rec.site_id.empty()) rec.site_id = "main";
    ReadActivity(h, r, row, rec);
    ReadQuantity(h, r, row, rec);
    ReadPeriod(h, r, row, rec);
    ReadSource(h, r, row, rec);
    ReadInstrument(h, r, row, rec);
    ReadFactor(h, r, row, rec);
    rec.note = h.Get(r, kNote);
    rec.meter_id = h.Get(r, kMeter);
    rec.cells = {h.Get(r, kActivity),   h.Get(r, kUom), h.Get(r, kSource),
                 h.Get(r, kInstrument), h.Get(r, kIds), h.Get(r, kFactorUnit)};
    if (row.any()) return std::nullopt;
    return rec;
  }

 private:
  void ReadUnit(const Header& h, const CsvRecord& r, RowErrors& row, ActivityRecord& rec) {
    std::string id = h.Get(r, kUnit);
    auto it = unit_index_.find(id);
    if (it == unit_index_.end()) {
      row.Add(kUnit,
              id.empty() ? "unit_id is empty" : "unit_id '" + id + "' is not in the units file");
      return;
    }
    rec.unit_index = it->second;
  }

  void ReadActivity(const Header& h, const CsvRecord& r, RowErrors& row, ActivityRecord& rec) {
    std::string text = h.Get(r, kActivity);
    size_t colon = text.find(':');
    if (colon == std::string::npos) colon = text.find("：");  // full-width colon
    std::string base = text.substr(0, colon);
    if (colon != std::string::npos) {
      rec.qualifier = Header::Trim(text.substr(colon + (text[colon] == ':' ? 1 : 3)));
    }
    rec.type = catalog_.Find(base);
    if (rec.type == nullptr) {
      row.Add(kActivity, "unknown activity '" + text + "' (see data/activities.csv)");
      return;
    }
    CheckQualifier(row, rec);
  }

  void CheckQualifier(RowErrors& row, ActivityRecord& rec) {
    const ActivityKind kind = rec.type->kind;
    const std::string& q = rec.qualifier;
    switch (kind) {
      case ActivityKind::kFugitive:
        if (q.empty()) row.Add(kActivity, "name the gas: fugitive:HFC-134a");
        return;
      case ActivityKind::kProduct:
        if (q.empty()) row.Add(kActivity, "name the product: product:cement");
        return;
      case ActivityKind::kScope3: {
        int category = 0;
        auto [ptr, ec] = std::from_chars(q.data(), q.data() + q.size(), category);
        const Scope3Category* c =
            (ec == std::errc() && ptr == q.data() + q.size()) ? catalog_.Scope3(category) : nullptr;
        if (c == nullptr) {
          row.Add(kActivity, "scope 3 needs its GHG Protocol category 1–15: scope3:6");
          return;
        }
        rec.iso_category = c->iso_category;
        return;
      }
      case ActivityKind::kFuel:
        if (q == "mobile") {
          rec.mobile = true;
        } else if (!q.empty()) {
          row.Add(kActivity, "'" + q + "' after a fuel: only ':mobile' is allowed");
        }
        return;
      case ActivityKind::kProcess:
      case ActivityKind::kBiomass:
        return;
      default:
        if (!q.empty())
          row.Add(kActivity, "activity '" + rec.type->code + "' takes no ':" + q + "'");
        return;
    }
  }

  void ReadQuantity(const Header& h, const CsvRecord& r, RowErrors& row, ActivityRecord& rec) {
    std::string text = h.Get(r, kQuantity);
    std::optional<double> v = ParseNumber(text);
    if (!v) {
      row.Add(kQuantity, text.empty() ? "quantity is empty" : "'" + text + "' is not a number");
    } else if (*v < 0) {
      row.Add(kQuantity, "negative quantity " + text +
                             "; record exports as electricity_exported "
                             "or heat_exported");
    } else {
      rec.quantity.value = *v;
    }
    std::string uom = h.Get(r, kUom);
    Result<Unit> unit = ParseUnit(uom);
    if (!unit.ok()) {
      row.Add(kUom, unit.error().message());
      return;
    }
    rec.quantity.unit = *unit;
    if (rec.type != nullptr && !QuantityRuleAllows(rec.type->quantity, unit->dim)) {
      row.Add(kUom, "'" + uom + "' is " + DimName(unit->dim) + "; " + rec.type->code +
                        " is measured in " + QuantityRuleName(rec.type->quantity));
    }
    if (rec.type != nullptr && rec.type->kind == ActivityKind::kFugitive && unit->dim != kMassDim) {
      row.Add(kUom, "a fugitive gas is measured by mass (kg, t)");
    }
  }

  void ReadPeriod(const Header& h, const CsvRecord& r, RowErrors& row, ActivityRecord& rec) {
    Result<Date> start = ParseDate(h.Get(r, kStart));
    Result<Date> end = ParseDate(h.Get(r, kEnd));
    if (!start.ok()) row.Add(kStart, start.error().message());
    if (!end.ok()) row.Add(kEnd, end.error().message());
    if (!start.ok() || !end.ok()) return;
    rec.period = {*start, *end};
    const std::string year = std::to_string(year_number_);
    if (*end < *start) {
      row.Add(kEnd, "period_end is before period_start");
    } else if (year_number_ == 0) {
      return;  // any year (importing into the store)
    } else if (*start < year_.start) {
      row.Add(kStart,
              "period starts " + FormatDate(*start) + ", before the reporting year " + year);
    } else if (year_.end < *end) {
      row.Add(kEnd, "period ends " + FormatDate(*end) + ", after the reporting year " + year);
    }
  }

  void ReadSource(const Header& h, const CsvRecord& r, RowErrors& row, ActivityRecord& rec) {
    std::string text = h.Get(r, kSource);
    if (text.empty()) return;
    if (std::optional<DataSource> s = FindAlias(kSources, text)) {
      rec.data_source = *s;
    } else {
      row.Add(kSource, "unknown data_source '" + text + "'; one of " + AliasList(kSources));
    }
  }

  void ReadInstrument(const Header& h, const CsvRecord& r, RowErrors& row, ActivityRecord& rec) {
    std::string text = h.Get(r, kInstrument);
    rec.instrument_ids = SplitIds(h.Get(r, kIds));
    if (!text.empty()) {
      std::optional<Instrument> i = FindAlias(kInstruments, text);
      if (!i) {
        row.Add(kInstrument,
                "unknown instrument '" + text + "'; one of " + AliasList(kInstruments));
        return;
      }
      rec.instrument = *i;
      if (rec.type != nullptr && rec.type->kind != ActivityKind::kGridElectricity) {
        row.Add(kInstrument, "an instrument belongs on an electricity line");
      }
    }
    if (rec.instrument == Instrument::kGec && rec.instrument_ids.empty()) {
      row.Add(kIds, "list the certificate serials of a gec line, separated by ';'");
    }
    // A certificate or contract can be claimed once (GHG Protocol Scope 2 quality criterion 2).
    if (rec.instrument == Instrument::kNone) return;
    for (const std::string& id : rec.instrument_ids) {
      if (rec.instrument != Instrument::kGec) break;
      auto [it, inserted] = serials_.emplace(id, r.line);
      if (!inserted) {
        row.Add(kIds, "certificate serial '" + id + "' is already used on line " +
                          std::to_string(it->second));
      }
    }
  }

  void ReadFactor(const Header& h, const CsvRecord& r, RowErrors& row, ActivityRecord& rec) {
    std::string value = h.Get(r, kFactor);
    std::string unit = h.Get(r, kFactorUnit);
    if (value.empty() && unit.empty()) {
      if (rec.type != nullptr && NeedsFactor(rec)) {
        row.Add(kFactor, "activity '" + rec.type->code + "' needs a factor and factor_unit");
      }
      return;
    }
    std::optional<double> v = ParseNumber(value);
    if (!v) {
      row.Add(kFactor, value.empty() ? "factor_unit given without a factor"
                                     : "'" + value + "' is not a number");
      return;
    }
    if (*v < 0) {
      row.Add(kFactor, "negative factor " + value);
      return;
    }
    Result<Unit> u = ParseUnit(unit);
    if (!u.ok()) {
      row.Add(kFactorUnit,
              unit.empty() ? "factor given without a factor_unit" : u.error().message());
      return;
    }
    if (rec.quantity.unit.symbol.empty()) return;  // quantity unit already reported
    if (!(u->dim == kEmissionsDim / rec.quantity.unit.dim)) {
      row.Add(kFactorUnit, "factor unit '" + unit + "' is " + DimName(u->dim) +
                               "; for a quantity in '" + rec.quantity.unit.symbol +
                               "' it must be emissions/" + DimName(rec.quantity.unit.dim));
      return;
    }
    rec.factor = Measured{*v, *u};
  }

  static bool NeedsFactor(const ActivityRecord& rec) {
    ActivityKind k = rec.type->kind;
    return k == ActivityKind::kScope3 || k == ActivityKind::kBiomass ||
           (k == ActivityKind::kProcess && rec.qualifier.empty());
  }

  const std::string& source_;
  const ActivityCatalog& catalog_;
  Period year_;
  int year_number_;
  ErrorList& errors_;
  std::map<std::string, int> unit_index_;
  std::map<std::string, int> serials_;
};

}  // namespace

Checked<std::vector<ActivityRecord>> ParseActivitiesFile(std::string_view bytes,
                                                         const std::string& source,
                                                         const std::vector<ReportingUnit>& units,
                                                         const ActivityCatalog& catalog, int year) {
  ErrorList errors;
  Table table = ReadTable(bytes, source, errors);
  if (!table.ok) return errors;
  Header header(kColumns, table.csv.records[0], source, errors);
  if (!errors.empty()) return errors;
  ActivitiesReader reader(source, units, catalog, year, errors);
  std::vector<ActivityRecord> records;
  records.reserve(table.csv.records.size());
  for (size_t i = 1; i < table.csv.records.size(); ++i) {
    const CsvRecord& r = table.csv.records[i];
    if (!CheckWidth(header, r, source, errors)) continue;
    if (std::optional<ActivityRecord> rec = reader.Read(header, r))
      records.push_back(std::move(*rec));
  }
  if (!errors.empty()) return errors;
  return records;
}

}  // namespace cl
