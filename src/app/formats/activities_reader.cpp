// Reads activities.csv (docs/templates.md) and checks activity rows, from a
// file or from the store, one at a time (formats/activity_rows.h).
#include <array>
#include <map>
#include <optional>

#include "core/text_stream.h"
#include "core/units.h"
#include "formats/activity_rows.h"
#include "formats/templates.h"
#include "formats/text_util.h"
#include "template_table.h"

namespace cl {

using namespace template_table;  // NOLINT(google-build-using-namespace): .cpp only

namespace {

using F = ActivityField;
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

// A number cell's value: typed, or parsed as written (empty: none).
std::optional<double> NumberOf(const NumberCell& c) {
  if (const double* v = std::get_if<double>(&c)) {
    if (!std::isfinite(*v)) return std::nullopt;
    return *v;
  }
  return ParseNumber(std::get<std::string>(c));
}

// The cell as the user wrote it, for messages.
std::string TextOf(const NumberCell& c) {
  if (const double* v = std::get_if<double>(&c)) return ShortestNumber(*v);
  return std::get<std::string>(c);
}

bool NeedsFactor(const ActivityRecord& rec) {
  ActivityKind k = rec.type->kind;
  return k == ActivityKind::kScope3 || k == ActivityKind::kBiomass ||
         (k == ActivityKind::kProcess && rec.qualifier.empty());
}

bool IsEmpty(const NumberCell& c) {
  const std::string* s = std::get_if<std::string>(&c);
  return s != nullptr && s->empty();
}

}  // namespace

std::string_view ActivityFieldName(ActivityField f) { return kColumns[static_cast<size_t>(f)].en; }

// Reports the cells of one row at their places.
class ActivityChecker::Row {
 public:
  Row(const FieldPlace& place, ErrorList& errors) : place_(place), errors_(errors) {}
  void Add(ActivityField f, std::string message) {
    errors_.Add(Error::InvalidInput(std::move(message), place_(f)));
    ++count_;
  }
  bool any() const { return count_ > 0; }

 private:
  const FieldPlace& place_;
  ErrorList& errors_;
  int count_ = 0;
};

ActivityChecker::ActivityChecker(const std::vector<ReportingUnit>& units,
                                 const ActivityCatalog& catalog, int year)
    : catalog_(catalog), year_(CalendarYear(year)), year_number_(year) {
  for (size_t i = 0; i < units.size(); ++i) unit_index_[units[i].id] = static_cast<int>(i);
}

std::optional<ActivityRecord> ActivityChecker::Check(const ActivityFields& f,
                                                     const std::string& source, int line,
                                                     const FieldPlace& place, ErrorList& errors) {
  Row row(place, errors);
  ActivityRecord rec;
  rec.source_file = source;
  rec.line = line;
  rec.id = source + ":" + std::to_string(line);
  ReadUnit(f, row, rec);
  rec.site_id = f.site_id.empty() ? "main" : f.site_id;
  ReadActivity(f, row, rec);
  ReadQuantity(f, row, rec);
  ReadPeriod(f, row, rec);
  if (!row.any()) CheckBound(row, rec);
  ReadSource(f, row, rec);
  ReadInstrument(f, row, rec);
  CheckSerials(row, rec, line);
  ReadFactor(f, row, rec);
  rec.note = f.note;
  rec.meter_id = f.meter_id;
  rec.cells = {f.activity,   f.unit_of_measure, f.data_source,
               f.instrument, f.instrument_ids,  f.factor_unit};
  if (row.any()) return std::nullopt;
  // A certificate can be claimed once (GHG Protocol Scope 2 quality criterion
  // 2): the accepted row takes its serials.
  if (rec.instrument == Instrument::kGec)
    for (const std::string& id : rec.instrument_ids) serials_.emplace(id, line);
  return rec;
}

void ActivityChecker::ReadUnit(const ActivityFields& f, Row& row, ActivityRecord& rec) const {
  auto it = unit_index_.find(f.unit_id);
  if (it == unit_index_.end()) {
    row.Add(F::kUnit, f.unit_id.empty() ? "unit_id is empty"
                                        : "unit_id '" + f.unit_id + "' is not in the units file");
    return;
  }
  rec.unit_index = it->second;
}

void ActivityChecker::ReadActivity(const ActivityFields& f, Row& row, ActivityRecord& rec) const {
  const std::string& text = f.activity;
  size_t colon = text.find(':');
  if (colon == std::string::npos) colon = text.find("：");  // full-width colon
  std::string base = text.substr(0, colon);
  if (colon != std::string::npos) {
    rec.qualifier = Header::Trim(text.substr(colon + (text[colon] == ':' ? 1 : 3)));
  }
  rec.type = catalog_.Find(base);
  if (rec.type == nullptr) {
    row.Add(F::kActivity, "unknown activity '" + text + "' (see data/activities.csv)");
    return;
  }
  CheckQualifier(row, rec);
}

void ActivityChecker::CheckQualifier(Row& row, ActivityRecord& rec) const {
  const ActivityKind kind = rec.type->kind;
  const std::string& q = rec.qualifier;
  switch (kind) {
    case ActivityKind::kFugitive:
      if (q.empty()) row.Add(F::kActivity, "name the gas: fugitive:HFC-134a");
      return;
    case ActivityKind::kProduct:
      if (q.empty()) row.Add(F::kActivity, "name the product: product:cement");
      return;
    case ActivityKind::kScope3: {
      int category = 0;
      auto [ptr, ec] = std::from_chars(q.data(), q.data() + q.size(), category);
      const Scope3Category* c =
          (ec == std::errc() && ptr == q.data() + q.size()) ? catalog_.Scope3(category) : nullptr;
      if (c == nullptr) {
        row.Add(F::kActivity, "scope 3 needs its GHG Protocol category 1–15: scope3:6");
        return;
      }
      rec.iso_category = c->iso_category;
      return;
    }
    case ActivityKind::kFuel:
      if (q == "mobile") {
        rec.mobile = true;
      } else if (!q.empty()) {
        row.Add(F::kActivity, "'" + q + "' after a fuel: only ':mobile' is allowed");
      }
      return;
    case ActivityKind::kProcess:
    case ActivityKind::kBiomass:
      return;
    default:
      if (!q.empty())
        row.Add(F::kActivity, "activity '" + rec.type->code + "' takes no ':" + q + "'");
      return;
  }
}

void ActivityChecker::ReadQuantity(const ActivityFields& f, Row& row, ActivityRecord& rec) {
  std::string text = TextOf(f.quantity);
  std::optional<double> v = NumberOf(f.quantity);
  if (!v) {
    row.Add(F::kQuantity, text.empty() ? "quantity is empty" : "'" + text + "' is not a number");
  } else if (*v < 0) {
    row.Add(F::kQuantity, "negative quantity " + text +
                              "; record exports as electricity_exported "
                              "or heat_exported");
  } else {
    rec.quantity.value = *v;
  }
  const std::string& uom = f.unit_of_measure;
  Result<Unit> unit = ParseUnit(uom);
  if (!unit.ok()) {
    row.Add(F::kUom, unit.error().message());
    return;
  }
  rec.quantity.unit = *unit;
  if (rec.type != nullptr && !QuantityRuleAllows(rec.type->quantity, unit->dim)) {
    row.Add(F::kUom, "'" + uom + "' is " + DimName(unit->dim) + "; " + rec.type->code +
                         " is measured in " + QuantityRuleName(rec.type->quantity));
  }
  if (rec.type != nullptr && rec.type->kind == ActivityKind::kFugitive && unit->dim != kMassDim) {
    row.Add(F::kUom, "a fugitive gas is measured by mass (kg, t)");
  }
}

void ActivityChecker::ReadPeriod(const ActivityFields& f, Row& row, ActivityRecord& rec) const {
  Result<Date> start = ParseDate(f.period_start);
  Result<Date> end = ParseDate(f.period_end);
  if (!start.ok()) row.Add(F::kStart, start.error().message());
  if (!end.ok()) row.Add(F::kEnd, end.error().message());
  if (!start.ok() || !end.ok()) return;
  rec.period = {*start, *end};
  const std::string year = std::to_string(year_number_);
  if (*end < *start) {
    row.Add(F::kEnd, "period_end is before period_start");
  } else if (year_number_ == 0) {
    return;  // any year (importing into the store)
  } else if (*start < year_.start) {
    row.Add(F::kStart,
            "period starts " + FormatDate(*start) + ", before the reporting year " + year);
  } else if (year_.end < *end) {
    row.Add(F::kEnd, "period ends " + FormatDate(*end) + ", after the reporting year " + year);
  }
}

void ActivityChecker::CheckBound(Row& row, const ActivityRecord& rec) const {
  constexpr double kHoursPerDay = 24;  // a definition of time
  using std::chrono::sys_days;
  const auto days = (sys_days{rec.period.end} - sys_days{rec.period.start}).count() + 1;
  Status st = catalog_.bounds().Check(rec.quantity.value, rec.type->code, rec.quantity.unit,
                                      static_cast<double>(days) * kHoursPerDay,
                                      "a quantity over " + std::to_string(days) + " days");
  if (!st.ok()) row.Add(F::kQuantity, st.error().message());
}

void ActivityChecker::ReadSource(const ActivityFields& f, Row& row, ActivityRecord& rec) {
  const std::string& text = f.data_source;
  if (text.empty()) return;
  if (std::optional<DataSource> s = FindAlias(kSources, text)) {
    rec.data_source = *s;
  } else {
    row.Add(F::kSource, "unknown data_source '" + text + "'; one of " + AliasList(kSources));
  }
}

void ActivityChecker::ReadInstrument(const ActivityFields& f, Row& row, ActivityRecord& rec) {
  const std::string& text = f.instrument;
  rec.instrument_ids = SplitIds(f.instrument_ids);
  if (!text.empty()) {
    std::optional<Instrument> i = FindAlias(kInstruments, text);
    if (!i) {
      row.Add(F::kInstrument,
              "unknown instrument '" + text + "'; one of " + AliasList(kInstruments));
      return;
    }
    rec.instrument = *i;
    if (rec.type != nullptr && rec.type->kind != ActivityKind::kGridElectricity) {
      row.Add(F::kInstrument, "an instrument belongs on an electricity line");
    }
  }
  if (rec.instrument == Instrument::kGec && rec.instrument_ids.empty()) {
    row.Add(F::kIds, "list the certificate serials of a gec line, separated by ';'");
  }
}

void ActivityChecker::CheckSerials(Row& row, const ActivityRecord& rec, int line) const {
  if (rec.instrument != Instrument::kGec) return;
  std::map<std::string, int> in_row;
  for (const std::string& id : rec.instrument_ids) {
    auto it = serials_.find(id);
    if (it != serials_.end()) {
      row.Add(F::kIds, "certificate serial '" + id + "' is already used on line " +
                           std::to_string(it->second));
    } else if (auto [prev, inserted] = in_row.emplace(id, line); !inserted) {
      row.Add(F::kIds, "certificate serial '" + id + "' is already used on line " +
                           std::to_string(prev->second));
    }
  }
}

void ActivityChecker::ReadFactor(const ActivityFields& f, Row& row, ActivityRecord& rec) {
  const std::string value = TextOf(f.factor);
  const std::string& unit = f.factor_unit;
  if (IsEmpty(f.factor) && unit.empty()) {
    if (rec.type != nullptr && NeedsFactor(rec)) {
      row.Add(F::kFactor, "activity '" + rec.type->code + "' needs a factor and factor_unit");
    }
    return;
  }
  std::optional<double> v = NumberOf(f.factor);
  if (!v) {
    row.Add(F::kFactor, value.empty() ? "factor_unit given without a factor"
                                      : "'" + value + "' is not a number");
    return;
  }
  if (*v < 0) {
    row.Add(F::kFactor, "negative factor " + value);
    return;
  }
  Result<Unit> u = ParseUnit(unit);
  if (!u.ok()) {
    row.Add(F::kFactorUnit,
            unit.empty() ? "factor given without a factor_unit" : u.error().message());
    return;
  }
  if (rec.quantity.unit.symbol.empty()) return;  // quantity unit already reported
  if (!(u->dim == kEmissionsDim / rec.quantity.unit.dim)) {
    row.Add(F::kFactorUnit, "factor unit '" + unit + "' is " + DimName(u->dim) +
                                "; for a quantity in '" + rec.quantity.unit.symbol +
                                "' it must be emissions/" + DimName(rec.quantity.unit.dim));
    return;
  }
  rec.factor = Measured{*v, *u};
}

namespace {

// The cells of one template row.
ActivityFields FieldsOf(const Header& h, const CsvRecord& r) {
  auto get = [&](ActivityField f) { return h.Get(r, static_cast<size_t>(f)); };
  ActivityFields f;
  f.unit_id = get(F::kUnit);
  f.site_id = get(F::kSite);
  f.activity = get(F::kActivity);
  f.quantity = get(F::kQuantity);
  f.unit_of_measure = get(F::kUom);
  f.period_start = get(F::kStart);
  f.period_end = get(F::kEnd);
  f.data_source = get(F::kSource);
  f.instrument = get(F::kInstrument);
  f.instrument_ids = get(F::kIds);
  f.factor = get(F::kFactor);
  f.factor_unit = get(F::kFactorUnit);
  f.note = get(F::kNote);
  f.meter_id = get(F::kMeter);
  return f;
}

}  // namespace

ActivityRows ReadActivityRows(std::string_view bytes, const std::string& source,
                              const std::vector<ReportingUnit>& units,
                              const ActivityCatalog& catalog, int year) {
  using Problem = ActivityRows::FileProblem;
  ActivityRows out;
  Table table = ReadTable(bytes, source, out.errors);
  out.encoding = table.encoding;
  out.rows = table.csv.records.empty() ? 0 : static_cast<int64_t>(table.csv.records.size()) - 1;
  if (!table.decoded) out.problem = Problem::kEncoding;
  if (out.problem == Problem::kNone && !table.csv.errors.empty()) out.problem = Problem::kCsv;
  if (out.problem == Problem::kNone && table.csv.records.empty()) out.problem = Problem::kEmpty;
  if (out.problem != Problem::kNone) return out;
  Header header(kColumns, table.csv.records[0], source, out.errors);
  if (!out.errors.empty()) {
    out.problem = Problem::kHeader;
    return out;
  }
  ActivityChecker checker(units, catalog, year);
  out.records.reserve(table.csv.records.size());
  for (size_t i = 1; i < table.csv.records.size(); ++i) {
    const CsvRecord& r = table.csv.records[i];
    if (!CheckWidth(header, r, source, out.errors)) continue;
    FieldPlace place = [&](ActivityField f) {
      auto col = static_cast<size_t>(f);
      return Location{source, r.line, header.Column(col), header.Name(col)};
    };
    if (auto rec = checker.Check(FieldsOf(header, r), source, r.line, place, out.errors))
      out.records.push_back(std::move(*rec));
  }
  return out;
}

namespace {

// Checks the data rows of a streamed file after its header.
Status StreamRows(CsvStream& csv, const Header& header, const std::string& source,
                  ActivityChecker& checker, ActivitySink& sink, ActivityStreamSummary& out) {
  using Problem = ActivityRows::FileProblem;
  CsvRecord r;
  for (;;) {
    ErrorList errors;
    auto more = csv.Next(r, errors);
    if (!more.ok()) {
      ErrorList bad;
      bad.Add(Error::InvalidInput(more.error().message() + "; the rest of the file was not read",
                                  more.error().where()));
      sink.Refuse(Problem::kEncoding, bad);
      out.problem = Problem::kEncoding;
      return Ok{};
    }
    if (!*more) return Ok{};
    ++out.rows;
    if (!errors.empty()) {
      sink.Refuse(Problem::kCsv, errors);
      continue;
    }
    if (!CheckWidth(header, r, source, errors)) {
      sink.Refuse(Problem::kNone, errors);
      continue;
    }
    FieldPlace place = [&](ActivityField f) {
      auto col = static_cast<size_t>(f);
      return Location{source, r.line, header.Column(col), header.Name(col)};
    };
    auto rec = checker.Check(FieldsOf(header, r), source, r.line, place, errors);
    if (!rec) {
      sink.Refuse(Problem::kNone, errors);
      continue;
    }
    CL_RETURN_IF_ERROR(sink.Accept(std::move(*rec)));
  }
}

}  // namespace

Result<ActivityStreamSummary> StreamActivityRows(TextStream& text, const std::string& source,
                                                 const std::vector<ReportingUnit>& units,
                                                 const ActivityCatalog& catalog, int year,
                                                 ActivitySink& sink) {
  using Problem = ActivityRows::FileProblem;
  ActivityStreamSummary out;
  CsvStream csv(text, source);
  CsvRecord first;
  ErrorList errors;
  auto any = csv.Next(first, errors);
  if (!any.ok()) {
    errors.Add(any.error());
    sink.Refuse(Problem::kEncoding, errors);
    out.problem = Problem::kEncoding;
    return out;
  }
  if (!*any) {
    out.problem = Problem::kEmpty;
    return out;
  }
  if (!errors.empty()) {
    sink.Refuse(Problem::kCsv, errors);  // the header's syntax: no row is read
    out.problem = Problem::kCsv;
    return out;
  }
  Header header(kColumns, first, source, errors);
  if (!errors.empty()) {
    sink.Refuse(Problem::kHeader, errors);
    out.problem = Problem::kHeader;
    return out;
  }
  ActivityChecker checker(units, catalog, year);
  CL_RETURN_IF_ERROR(StreamRows(csv, header, source, checker, sink, out));
  return out;
}

Checked<std::vector<ActivityRecord>> ParseActivitiesFile(std::string_view bytes,
                                                         const std::string& source,
                                                         const std::vector<ReportingUnit>& units,
                                                         const ActivityCatalog& catalog, int year) {
  ActivityRows rows = ReadActivityRows(bytes, source, units, catalog, year);
  if (!rows.errors.empty()) return std::move(rows.errors);
  return std::move(rows.records);
}

}  // namespace cl
