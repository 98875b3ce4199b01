// mv fit and mv savings: CalTRACK baselines and avoided energy use for one or
// many meters (one per --usage file), fitted on all cores.
#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <iostream>
#include <thread>

#include "commands.h"
#include "core/period.h"
#include "mv/statistics.h"
#include "mv_runs/mv_service.h"

namespace cl::cli {
namespace {

struct MvOptions {
  std::vector<std::string> usage;
  std::string temperature;
  std::string method = "daily";
  std::string fuel = "electricity";
  std::string unit;
  std::string baseline_end;
  std::string reporting_start;
  std::string naive_offset = "+08:00";
  std::string day_offset = "+00:00";
  std::string methodology;
  std::string province = "310000";
  std::string format = "table";
  bool series = false;
  std::string production;
  std::vector<std::string> adjustments;  // "AMOUNT:REASON"
  unsigned jobs = 0;
};

std::optional<std::chrono::minutes> Offset(const std::string& text) {
  Result<Instant> t = ParseInstant("2000-01-01T00:00:00" + text);
  if (!t.ok()) return std::nullopt;
  Instant utc_midnight(std::chrono::sys_days(std::chrono::year(2000) / 1 / 1));
  return std::chrono::duration_cast<std::chrono::minutes>(utc_midnight - *t);
}

// A date is local midnight at the day offset; a full timestamp is taken as is.
std::optional<Instant> When(const std::string& text, std::chrono::minutes day_offset) {
  if (Result<Date> d = ParseDate(text); d.ok())
    return Instant{std::chrono::sys_days{*d}} - day_offset;
  if (Result<Instant> t = ParseInstant(text, day_offset); t.ok()) return *t;
  return std::nullopt;
}

// The times every request shares, parsed from the command line.
struct MvTimes {
  std::chrono::minutes naive{0}, day{0};
  Instant baseline_end;
  std::optional<Instant> reporting;
};

// The command line's offsets and dates, or nothing after saying why not.
std::optional<MvTimes> TimesOf(const MvOptions& o, bool savings) {
  auto naive = Offset(o.naive_offset);
  auto day = Offset(o.day_offset);
  if (!naive || !day) {
    std::cerr << "error: --timezone and --day-offset take an offset like +08:00\n";
    return std::nullopt;
  }
  auto baseline_end = When(o.baseline_end, *day);
  auto reporting = savings ? When(o.reporting_start, *day) : std::optional<Instant>();
  if (!baseline_end || (savings && !reporting)) {
    std::cerr << "error: --baseline-end / --reporting-start: write a date (2016-12-26) or an ISO "
                 "timestamp\n";
    return std::nullopt;
  }
  return MvTimes{*naive, *day, *baseline_end, reporting};
}

// One request per --usage file, or nothing after saying why not.
std::optional<std::vector<MvRequest>> RequestsOf(const MvOptions& o, const MvTimes& times) {
  std::vector<std::pair<double, std::string>> adjustments;
  for (const std::string& a : o.adjustments) {
    size_t colon = a.find(':');
    double amount = 0;
    auto [p, ec] = std::from_chars(
        a.data(), a.data() + (colon == std::string::npos ? a.size() : colon), amount);
    if (colon == std::string::npos || ec != std::errc() || colon + 1 >= a.size()) {
      std::cerr << "error: --adjustment '" << a
                << "': write AMOUNT:REASON (a reason is required)\n";
      return std::nullopt;
    }
    adjustments.emplace_back(amount, a.substr(colon + 1));
  }
  std::vector<MvRequest> requests;
  for (const std::string& path : o.usage) {
    MvRequest r;
    r.usage_path = path;
    r.temperature_path = o.temperature;
    r.method = o.method == "billing"  ? mv::Method::kBilling
               : o.method == "hourly" ? mv::Method::kHourly
                                      : mv::Method::kDaily;
    r.fuel = o.fuel == "gas" ? mv::Fuel::kGas : mv::Fuel::kElectricity;
    r.usage_unit = !o.unit.empty() ? o.unit : (r.fuel == mv::Fuel::kGas ? "therm" : "kWh");
    r.baseline_end = times.baseline_end;
    r.reporting_start = times.reporting;
    r.naive_offset = times.naive;
    r.day_offset = times.day;
    r.methodology = o.methodology;
    r.province = o.province;
    r.production_path = o.production;
    r.adjustments.insert(r.adjustments.end(), adjustments.begin(), adjustments.end());
    requests.push_back(r);
  }
  return requests;
}

// Every request run, `jobs` at a time (0: one per core).
std::vector<std::optional<Checked<MvResult>>> RunAll(const std::vector<MvRequest>& requests,
                                                     const MvSettings& settings,
                                                     const ReferenceData* reference,
                                                     const mv::HourlyTemperature& grid,
                                                     unsigned jobs) {
  std::vector<std::optional<Checked<MvResult>>> results(requests.size());
  std::atomic<size_t> next{0};
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::min<size_t>(jobs, requests.size()); ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < requests.size(); i = next++) {
        results[i] = RunMv(requests[i], settings, reference, grid);
      }
    });
  }
  for (std::thread& t : pool) t.join();
  return results;
}

// Portfolio (CalTRACK 4.3.2.3): total savings and √Σ(FSU_i·S_i)² / ΣS_i, when
// more than one meter has savings; printed, or wrapped around `all` in JSON.
void Portfolio(const MvOptions& o, const std::vector<std::optional<Checked<MvResult>>>& results,
               nlohmann::json& all) {
  std::vector<mv::SiteSavings> sites;
  for (const auto& r : results) {
    if (r && r->ok() && r->value().savings) {
      const mv::Savings& s = *r->value().savings;
      sites.push_back({s.savings, s.fsu ? *s.fsu * std::fabs(s.savings) : 0.0});
    }
  }
  if (sites.size() <= 1) return;
  mv::PortfolioSavings p = mv::AggregatePortfolio(sites);
  if (o.format == "json") {
    nlohmann::json portfolio = {
        {"meters", sites.size()}, {"savings", p.savings}, {"uncertainty", p.uncertainty}};
    portfolio["fsu"] = p.fsu ? nlohmann::json(*p.fsu) : nlohmann::json(nullptr);
    all = {{"meters", all}, {"portfolio", portfolio}};
  } else {
    std::cout << fmt::format("portfolio: {} meters, savings {:.2f} ± {:.2f}{}\n", sites.size(),
                             p.savings, p.uncertainty,
                             p.fsu ? fmt::format(" (FSU {:.1f}%)", *p.fsu * 100) : "");
  }
}

// Prints each meter's result (errors included) and, for savings, the
// portfolio. False when a meter failed.
bool PrintResults(const MvOptions& o, bool savings, const std::vector<MvRequest>& requests,
                  const std::vector<std::optional<Checked<MvResult>>>& results) {
  bool failed = false;
  nlohmann::json all = nlohmann::json::array();
  for (size_t i = 0; i < requests.size(); ++i) {
    const Checked<MvResult>& r = *results[i];
    if (!r.ok()) {
      PrintErrors(r.errors());
      failed = true;
      continue;
    }
    if (o.format == "json")
      all.push_back(MvResultJson(requests[i], r.value(), o.series));
    else
      std::cout << MvResultTable(requests[i], r.value());
  }
  if (savings) Portfolio(o, results, all);
  if (o.format == "json")
    std::cout << (all.is_array() && all.size() == 1 ? all[0] : all).dump(2) << "\n";
  return !failed;
}

void MvMain(GlobalOptions& g, const MvOptions& o, bool savings) {
  g.exit_code = kExitInputError;
  std::optional<MvTimes> times = TimesOf(o, savings);
  if (!times) return;
  std::string data_dir = ResolveDataDir(g.data_dir);
  Result<MvSettings> settings = LoadMvSettings(data_dir);
  if (!settings.ok()) {
    std::cerr << "error: " << settings.error().ToString() << "\n";
    return;
  }
  std::unique_ptr<const ReferenceData> reference;
  if (!o.methodology.empty()) {
    reference = LoadData(g);
    if (!reference) return;
  }
  std::optional<std::vector<MvRequest>> requests = RequestsOf(o, *times);
  if (!requests) return;
  auto grid = LoadTemperature(o.temperature, times->naive);
  if (!grid.ok()) {
    PrintErrors(grid.errors());
    return;
  }
  auto results = RunAll(*requests, *settings, reference.get(), *grid.value(), o.jobs);
  g.exit_code = PrintResults(o, savings, *requests, results) ? 0 : kExitInputError;
}

void AddOptions(CLI::App* cmd, MvOptions& o, bool savings) {
  cmd->add_option("--usage", o.usage,
                  "meter usage CSV (start,value), .gz allowed; repeat for many meters")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--temperature", o.temperature, "hourly temperature CSV (dt,tempF or dt,tempC)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--method", o.method, "daily | billing | hourly")
      ->check(CLI::IsMember({"daily", "billing", "hourly"}));
  cmd->add_option("--fuel", o.fuel, "electricity | gas (no cooling models for gas)")
      ->check(CLI::IsMember({"electricity", "gas"}));
  cmd->add_option("--unit", o.unit, "unit of the usage values (default kWh, therm for gas)");
  cmd->add_option("--baseline-end", o.baseline_end,
                  "intervention date: the baseline is the 365 days before")
      ->required();
  if (savings) {
    cmd->add_option("--reporting-start", o.reporting_start,
                    "first day of the 365-day reporting period")
        ->required();
    cmd->add_option("--methodology", o.methodology,
                    "also express savings in tCO2e under this profile");
    cmd->add_option(
        "--adjustment", o.adjustments,
        "non-routine adjustment AMOUNT:REASON added to the adjusted baseline (repeatable)");
    cmd->add_option("--province", o.province,
                    "province (GB/T 2260) for the grid factor (default 310000)");
  }
  cmd->add_option("--timezone", o.naive_offset,
                  "UTC offset of timestamps written without one (default +08:00)");
  cmd->add_option(
      "--day-offset", o.day_offset,
      "UTC offset of the calendar day for daily data (default +00:00, as CalTRACK's reference)");
  cmd->add_option("--production", o.production,
                  "production CSV (start,<product>,…): IPMVP Option C model with production")
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", o.format, "table | json")->check(CLI::IsMember({"table", "json"}));
  cmd->add_flag("--series", o.series, "include the fitted and predicted series in JSON");
  cmd->add_option("--jobs", o.jobs, "meters fitted at once (default: all cores)");
}

}  // namespace

void AddMvCommands(CLI::App& app, GlobalOptions& global) {
  CLI::App* mv =
      app.add_subcommand("mv", "measurement and verification: CalTRACK baselines and savings");
  mv->require_subcommand(1);
  auto fit = std::make_shared<MvOptions>();
  CLI::App* f = mv->add_subcommand("fit", "fit the baseline model of each meter");
  AddOptions(f, *fit, false);
  f->callback([&global, fit] { MvMain(global, *fit, false); });
  auto sv = std::make_shared<MvOptions>();
  CLI::App* s = mv->add_subcommand(
      "savings", "fit the baseline and compute avoided energy use over the reporting period");
  AddOptions(s, *sv, true);
  s->callback([&global, sv] { MvMain(global, *sv, true); });
}

}  // namespace cl::cli
