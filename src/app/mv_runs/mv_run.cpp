// `carbonledger mv`: fit, savings, and savings in tCO2e (declared in app/mv_service.h).
#include <fmt/format.h>

#include <cmath>

#include "accounting/engine.h"
#include "core/encoding.h"
#include "formats/series_reader.h"
#include "mv_runs/mv_service.h"

namespace cl {
namespace {

using nlohmann::json;

// Savings (energy) → tCO2e under a methodology profile, as one activity line
// of the reporting year; the sign of the savings is kept.
void SavingsEmissions(const MvRequest& req, const ReferenceData& ref, MvResult& out) {
  const Profile* profile = ref.FindProfile(req.methodology);
  if (profile == nullptr) {
    out.emissions_note = "unknown methodology '" + req.methodology + "'";
    return;
  }
  Result<Unit> unit = ParseUnit(req.usage_unit);
  if (!unit.ok() || !(unit->dim == kEnergyDim)) {
    out.emissions_note = "usage unit '" + req.usage_unit + "' is not an energy unit; no tCO2e";
    return;
  }
  InventoryInput input;
  const int year = static_cast<int>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(*req.reporting_start))
          .year());
  input.year = year;
  ReportingUnit u;
  u.id = "meter";
  u.province = req.province;
  input.units.push_back(u);
  ActivityRecord r;
  r.id = "savings";
  r.type = ref.catalog.Find(req.fuel == mv::Fuel::kGas ? "natural_gas" : "electricity");
  r.quantity = {std::fabs(out.savings->savings), *unit};
  r.period = CalendarYear(year);
  input.records.push_back(r);
  Result<ReferenceSet> refs = ref.library.Select();
  Checked<Inventory> inv = ComputeInventory(input, *refs, *profile);
  if (!inv.ok()) {
    out.emissions_note = inv.errors().errors().front().message();
    return;
  }
  const UnitInventory& ui = inv.value().units[0];
  double t = In(ui.total, units::kTCO2e);
  out.savings_tco2e = out.savings->savings < 0 ? -t : t;
  out.emissions_note = fmt::format("avoided {} × factors of {} for {} ({})", req.usage_unit,
                                   profile->id, year, ui.lines[0].formula);
}

json Opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

Checked<std::unique_ptr<const mv::HourlyTemperature>> LoadTemperature(
    const std::string& path, std::chrono::minutes naive_offset) {
  Result<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) {
    ErrorList errors;
    errors.Add(bytes.error());
    return errors;
  }
  auto temps = ReadTemperatureSeries(*bytes, path, naive_offset);
  if (!temps.ok()) return temps.errors();
  return std::make_unique<const mv::HourlyTemperature>(temps.value());
}

namespace {

// A production-normalised model and its savings, from the production file.
Checked<MvResult> RunProductionModel(const MvRequest& req, const MvSettings& settings,
                                     const mv::UsageSeries& usage,
                                     const mv::HourlyTemperature& grid) {
  MvResult out;
  Result<std::string> bytes = ReadFile(req.production_path);
  if (!bytes.ok()) {
    ErrorList errors;
    errors.Add(bytes.error());
    return errors;
  }
  auto production = ReadProductionSeries(*bytes, req.production_path, req.naive_offset);
  if (!production.ok()) return production.errors();
  out.production = mv::FitProductionModel(usage, grid, production.value(), req.baseline_end,
                                          req.method, req.fuel, settings.caltrack, req.day_offset);
  out.model.status = out.production->status;
  out.model.method = req.method;
  if (req.reporting_start) {
    out.savings =
        mv::ComputeProductionSavings(*out.production, usage, grid, production.value(),
                                     *req.reporting_start, settings.caltrack, req.day_offset);
  }
  return out;
}

// The model of `req.method` fitted to `usage`, and its savings when a
// reporting period is asked for.
Checked<MvResult> FitModel(const MvRequest& req, const MvSettings& settings,
                           const mv::UsageSeries& usage, const mv::HourlyTemperature& grid) {
  if (!req.production_path.empty() && req.method != mv::Method::kHourly)
    return RunProductionModel(req, settings, usage, grid);
  MvResult out;
  if (req.method == mv::Method::kHourly) {
    out.hourly = mv::FitHourly(usage, grid, req.baseline_end, settings.caltrack);
    out.model.status = out.hourly->status;
    out.model.method = req.method;
    if (req.reporting_start) {
      out.savings = mv::ComputeHourlySavings(*out.hourly, usage, grid, *req.reporting_start,
                                             settings.caltrack);
    }
    return out;
  }
  out.model = mv::FitCaltrack(usage, grid, req.baseline_end, req.method, req.fuel,
                              settings.caltrack, req.day_offset);
  if (req.reporting_start) {
    out.savings = mv::ComputeSavings(
        out.model, usage, grid, *req.reporting_start, settings.caltrack,
        req.method == mv::Method::kDaily ? settings.fsu_daily : settings.fsu_billing,
        req.day_offset);
  }
  return out;
}

}  // namespace

Checked<MvResult> RunMv(const MvRequest& req, const MvSettings& settings,
                        const ReferenceData* reference, const mv::HourlyTemperature& grid) {
  Result<std::string> usage_bytes = ReadFile(req.usage_path);
  if (!usage_bytes.ok()) {
    ErrorList errors;
    errors.Add(usage_bytes.error());
    return errors;
  }
  auto usage = ReadUsageSeries(*usage_bytes, req.usage_path, req.naive_offset);
  if (!usage.ok()) return usage.errors();
  Checked<MvResult> fitted = FitModel(req, settings, usage.value(), grid);
  if (!fitted.ok()) return fitted.errors();
  MvResult& out = fitted.value();
  if (out.savings) {
    for (const auto& [amount, reason] : req.adjustments) {
      out.savings->counterfactual += amount;
      out.savings->warnings.push_back(
          fmt::format("non-routine adjustment {:+g} {}: {}", amount, req.usage_unit, reason));
    }
    out.savings->savings = out.savings->counterfactual - out.savings->observed;
    if (!req.methodology.empty() && reference != nullptr &&
        out.model.status == mv::FitStatus::kSuccess) {
      SavingsEmissions(req, *reference, out);
    }
  }
  return fitted;
}

namespace {

void AddHourlyJson(json& j, const mv::HourlyModel& hm) {
  j["status"] = mv::FitStatusName(hm.status);
  j["warnings"] = hm.warnings;
  j["baseline"] = {{"hours", hm.baseline_hours}};
  json segments = json::array();
  for (const mv::HourlySegment& s : hm.segments) {
    int occupied = 0;
    for (bool o : s.occupied) occupied += o ? 1 : 0;
    segments.push_back({{"month", s.middle_month},
                        {"fitted", s.fitted},
                        {"rows", s.rows},
                        {"occupied_hours_of_week", occupied},
                        {"occupied_bin_endpoints_f", s.occupied_endpoints},
                        {"unoccupied_bin_endpoints_f", s.unoccupied_endpoints},
                        {"occupied_slopes", s.occupied_slopes},
                        {"unoccupied_slopes", s.unoccupied_slopes}});
  }
  j["model"] = {{"model_type", "towt"}, {"segments", segments}};
  j["guideline14"] = {{"cvrmse", Opt(hm.totals.cvrmse)},
                      {"nmbe", Opt(hm.totals.nmbe)},
                      {"r_squared", hm.totals.r_squared},
                      {"n", hm.totals.n}};
}

void AddProductionJson(json& j, const mv::ProductionModel& p) {
  j["status"] = mv::FitStatusName(p.status);
  j["warnings"] = p.warnings;
  j["baseline"] = {{"rows", p.baseline_rows}};
  j["candidates"] = {{"fitted", p.candidates_fitted}};
  json model{{"model_type", "production"},
             {"intercept", p.intercept},
             {"r_squared_adj", p.r_squared_adj},
             {"beta_production", p.beta_production}};
  if (p.heating) model["beta_hdd"] = p.beta_hdd, model["heating_balance_point"] = p.heating_bp;
  if (p.cooling) model["beta_cdd"] = p.beta_cdd, model["cooling_balance_point"] = p.cooling_bp;
  j["model"] = model;
  j["guideline14"] = {{"cvrmse", Opt(p.totals.cvrmse)},
                      {"nmbe", Opt(p.totals.nmbe)},
                      {"r_squared", p.totals.r_squared},
                      {"n", p.totals.n},
                      {"parameters", p.totals.parameters}};
}

// The baseline's observed and predicted usage, row by row.
json BaselineSeriesJson(const mv::CaltrackModel& m) {
  json rows = json::array();
  size_t k = 0;
  for (const mv::DesignRow& row : m.baseline) {
    json e{{"start", FormatInstant(row.start)},
           {"end", FormatInstant(row.end)},
           {"observed", Opt(row.usage)}};
    e["predicted"] = row.usable() && k < m.fitted.size() ? json(m.fitted[k++]) : json(nullptr);
    rows.push_back(e);
  }
  return rows;
}

// A successful CalTRACK fit: its selected candidate and statistics.
void AddCaltrackJson(json& j, const mv::CaltrackModel& m, bool with_series) {
  const mv::Candidate& c = m.selected;
  json model{{"model_type", mv::ModelTypeName(c.type)},
             {"intercept", c.intercept},
             {"r_squared_adj", c.r_squared_adj},
             {"cvrmse", Opt(m.cvrmse)},
             {"nmbe", Opt(m.nmbe)}};
  if (c.type == mv::ModelType::kHddOnly || c.type == mv::ModelType::kCddHdd) {
    model["beta_hdd"] = c.beta_hdd;
    model["heating_balance_point"] = c.heating_bp;
  }
  if (c.type == mv::ModelType::kCddOnly || c.type == mv::ModelType::kCddHdd) {
    model["beta_cdd"] = c.beta_cdd;
    model["cooling_balance_point"] = c.cooling_bp;
  }
  j["model"] = model;
  j["guideline14"] = {
      {"cvrmse", Opt(m.totals.cvrmse)},    {"nmbe", Opt(m.totals.nmbe)},
      {"r_squared", m.totals.r_squared},   {"n", m.totals.n},
      {"parameters", m.totals.parameters}, {"autocorrelation", m.totals.autocorrelation}};
  if (with_series) j["baseline_series"] = BaselineSeriesJson(m);
}

json SavingsJson(const MvRequest& req, const MvResult& r, bool with_series) {
  const mv::Savings& s = *r.savings;
  json sv{{"reporting_start", FormatInstant(*req.reporting_start)},
          {"counterfactual", s.counterfactual},
          {"observed", s.observed},
          {"savings", s.savings},
          {"rows", s.rows},
          {"rows_skipped", s.rows_skipped},
          {"fsu_90", Opt(s.fsu)},
          {"warnings", s.warnings}};
  json adjustments = json::array();
  for (const auto& [amount, reason] : req.adjustments)
    adjustments.push_back({{"amount", amount}, {"reason", reason}});
  sv["non_routine_adjustments"] = adjustments;
  if (r.savings_tco2e) {
    sv["savings_tco2e"] = *r.savings_tco2e;
    sv["methodology"] = req.methodology;
  }
  if (!r.emissions_note.empty()) sv["emissions_note"] = r.emissions_note;
  if (with_series) {
    json rows = json::array();
    for (const mv::ReportingPeriodRow& p : s.periods) {
      rows.push_back({{"start", FormatInstant(p.start)},
                      {"end", FormatInstant(p.end)},
                      {"observed", Opt(p.observed)},
                      {"counterfactual", Opt(p.counterfactual)}});
    }
    sv["series"] = rows;
  }
  return sv;
}

}  // namespace

json MvResultJson(const MvRequest& req, const MvResult& r, bool with_series) {
  const mv::CaltrackModel& m = r.model;
  json j{{"schema", "carbonledger.mv/1"},
         {"usage", req.usage_path},
         {"method", req.method == mv::Method::kDaily    ? "daily"
                    : req.method == mv::Method::kHourly ? "hourly"
                                                        : "billing"},
         {"fuel", req.fuel == mv::Fuel::kGas ? "gas" : "electricity"},
         {"unit", req.usage_unit},
         {"baseline_end", FormatInstant(req.baseline_end)},
         {"status", mv::FitStatusName(m.status)},
         {"warnings", m.warnings},
         {"baseline", {{"rows", m.baseline_rows}, {"days", m.baseline_days}}},
         {"candidates", {{"fitted", m.candidates_fitted}, {"qualified", m.candidates_qualified}}}};
  if (r.hourly) {
    AddHourlyJson(j, *r.hourly);
  } else if (r.production) {
    AddProductionJson(j, *r.production);
  } else if (m.status == mv::FitStatus::kSuccess) {
    AddCaltrackJson(j, m, with_series);
  }
  if (r.savings) j["savings"] = SavingsJson(req, r, with_series);
  return j;
}

std::string MvResultTable(const MvRequest& req, const MvResult& r) {
  const mv::CaltrackModel& m = r.model;
  std::string out =
      fmt::format("{}  CalTRACK {} ({})  status {}\n", req.usage_path,
                  req.method == mv::Method::kDaily    ? "daily"
                  : req.method == mv::Method::kHourly ? "hourly"
                                                      : "billing",
                  req.fuel == mv::Fuel::kGas ? "gas" : "electricity", mv::FitStatusName(m.status));
  if (!r.hourly) {
    out +=
        fmt::format("  baseline: {} periods, {:.0f} days; {} candidates fitted, {} qualified\n",
                    m.baseline_rows, m.baseline_days, m.candidates_fitted, m.candidates_qualified);
  }
  if (r.hourly && r.hourly->status == mv::FitStatus::kSuccess) {
    int fitted = 0;
    for (const mv::HourlySegment& s : r.hourly->segments) fitted += s.fitted ? 1 : 0;
    out += fmt::format(
        "  hourly TOWT model: {} of 12 monthly segments, {} baseline hours; G14 CV(RMSE) {:.4f}\n",
        fitted, r.hourly->baseline_hours, r.hourly->totals.cvrmse.value_or(0));
  } else if (r.production && r.production->status == mv::FitStatus::kSuccess) {
    const mv::ProductionModel& p = *r.production;
    out += fmt::format("  production model: intercept {:.6f} {}/day", p.intercept, req.usage_unit);
    for (double b : p.beta_production)
      out += fmt::format("  {:.6f} {} per unit", b, req.usage_unit);
    if (p.heating)
      out += fmt::format("  beta_hdd {:.6f} (HDD base {} °F)", p.beta_hdd, p.heating_bp);
    if (p.cooling)
      out += fmt::format("  beta_cdd {:.6f} (CDD base {} °F)", p.beta_cdd, p.cooling_bp);
    out += fmt::format("\n  adj R² {:.4f}  G14 CV(RMSE) {:.4f}\n", p.r_squared_adj,
                       p.totals.cvrmse.value_or(0));
  } else if (m.status == mv::FitStatus::kSuccess) {
    const mv::Candidate& c = m.selected;
    out += fmt::format("  model: {}  intercept {:.6f} {}/day", mv::ModelTypeName(c.type),
                       c.intercept, req.usage_unit);
    if (c.heating_bp != 0)
      out += fmt::format("  beta_hdd {:.6f} (HDD base {} °F)", c.beta_hdd, c.heating_bp);
    if (c.cooling_bp != 0)
      out += fmt::format("  beta_cdd {:.6f} (CDD base {} °F)", c.beta_cdd, c.cooling_bp);
    out +=
        fmt::format("\n  adj R² {:.4f}  CV(RMSE) {:.4f} (G14 {:.4f})  NMBE {:.2e} (G14 {:.2e})\n",
                    c.r_squared_adj, m.cvrmse.value_or(0), m.totals.cvrmse.value_or(0),
                    m.nmbe.value_or(0), m.totals.nmbe.value_or(0));
  }
  if (r.savings) {
    const mv::Savings& s = *r.savings;
    out += fmt::format(
        "  reporting: counterfactual {:.2f}  observed {:.2f}  savings {:.2f} {} ({} periods, {} "
        "skipped)",
        s.counterfactual, s.observed, s.savings, req.usage_unit, s.rows, s.rows_skipped);
    if (s.fsu) out += fmt::format("  FSU(90%) {:.1f}%", *s.fsu * 100);
    out += "\n";
    if (r.savings_tco2e)
      out += fmt::format("  avoided emissions: {:.4f} tCO2e under {}\n", *r.savings_tco2e,
                         req.methodology);
    for (const std::string& w : s.warnings) out += "  warning: " + w + "\n";
  }
  for (const std::string& w : m.warnings) out += "  warning: " + w + "\n";
  return out;
}

}  // namespace cl
