// The programme office's views: the city overview (every unit's figures,
// months, carriers) and the completeness of every meter's readings. Who sees
// what: programme roles every unit and every inventory state; unit people
// their own units' meters; everyone else (the public included) published
// inventories only.
#include <algorithm>
#include <charconv>

#include "access/audit_log.h"
#include "answer_cache.h"
#include "api_impl.h"
#include "core/period.h"
#include "core/timestamp.h"
#include "metering/completeness.h"
#include "overview/city_overview.h"

namespace cl::api {
namespace {

ApiResponse OverviewRoute(Ctx& ctx);
ApiResponse OverviewJson(const CityOverview& o, bool published_only);
ApiResponse CompletenessRoute(Ctx& ctx);
ApiResponse WorklistRoute(Ctx& ctx);
ApiResponse CalendarRoute(Ctx& ctx);

}  // namespace

std::vector<Route> ProgrammeRoutes() {
  return {
      {"GET", "/api/v1/overview", "cityOverview", "read the city overview", kAnyone, nullptr, "",
       "", OverviewRoute},
      {"GET", "/api/v1/completeness", "meterCompleteness", "read the completeness of readings",
       kProgramme | kUnitPeople, nullptr, "", "", CompletenessRoute},
      {"GET", "/api/v1/worklist", "programmeWorklist", "read the programme office's work queues",
       kProgramme, nullptr, "", "", WorklistRoute},
      {"GET", "/api/v1/calendar", "programmeCalendar", "read when inventories are due", kSignedIn,
       nullptr, "", "", CalendarRoute},
  };
}

namespace {

json OrNull(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

Result<int> YearQuery(const Ctx& ctx, int fallback) {
  std::string text = ctx.Query("year");
  if (text.empty()) return fallback;
  int year = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || p != text.data() + text.size() || year < 1990 || year > 2100)
    return FieldError("year", "field.out_of_range", "year must be a year between 1990 and 2100",
                      {{"min", "1990"}, {"max", "2100"}});
  return year;
}

int CurrentYear(const Ctx& ctx) {
  namespace c = std::chrono;
  return static_cast<int>(
      c::year_month_day{c::floor<c::days>(c::sys_seconds{c::seconds{ctx.now}})}.year());
}

ApiResponse OverviewRoute(Ctx& ctx) {
  // Programme roles see every state unless they ask for what the public sees.
  const std::string basis = ctx.Query("basis");
  if (!basis.empty() && basis != "latest" && basis != "published")
    return Fail(ctx, FieldError("basis", "field.not_choice", "basis must be latest or published",
                                {{"choices", "latest, published"}}));
  const bool published_only = !Programme(ctx.who) || basis == "published";
  std::string methodology = ctx.Query("methodology");
  if (methodology.empty()) methodology = "shanghai";
  std::optional<int> year;  // none: the latest year with an inventory the caller may see
  if (!ctx.Query("year").empty()) {
    auto asked = YearQuery(ctx, 0);
    if (!asked.ok()) return Fail(ctx, asked.error());
    year = *asked;
  }
  // What the public sees changes only with the store (a publication, a
  // unit's name): kept per audit head, answered 304 to a client that has it.
  std::string key;
  int64_t head = 0;
  if (published_only) {
    CL_API_ASSIGN(head, AuditHeadSeq(ctx.store));
    key = "overview|" + methodology + "|" + (year ? std::to_string(*year) : "") + "|" +
          std::to_string(CurrentYear(ctx));
    if (auto kept = State(ctx).PublicAnswers().Find(key, head))
      return AnswerCache::Answer(ctx.req, *kept);
  }
  auto o = BuildCityOverview(ctx.store, year, CurrentYear(ctx), methodology, published_only);
  if (!o.ok()) return Fail(ctx, o.error());
  ApiResponse r = OverviewJson(*o, published_only);
  if (!published_only) return r;
  return AnswerCache::Answer(ctx.req, *State(ctx).PublicAnswers().Put(key, head, std::move(r)));
}

ApiResponse OverviewJson(const CityOverview& o, bool published_only) {
  json units = json::array();
  for (const auto& u : o.units) {
    units.push_back({{"unit", u.unit_id},
                     {"name_zh", u.name_zh},
                     {"name_en", u.name_en},
                     {"district", u.district},
                     {"industry_code", u.industry_code},
                     {"inventory", u.inventory_id ? json(u.inventory_id) : json(nullptr)},
                     {"version", u.version},
                     {"status", u.status},
                     {"energy_tce", u.energy_tce},
                     {"total_tco2e", u.total_tco2e},
                     {"scope1_tco2e", u.scope1_tco2e},
                     {"scope2_tco2e", u.scope2_tco2e},
                     {"output_value_10k_cny", OrNull(u.output_10k_cny)},
                     {"tce_per_10k_cny", OrNull(u.tce_per_10k_cny)},
                     {"tco2e_per_10k_cny", OrNull(u.tco2e_per_10k_cny)},
                     {"floor_area_m2", OrNull(u.floor_area_m2)},
                     {"kgce_per_m2", OrNull(u.kgce_per_m2)},
                     {"kgco2e_per_m2", OrNull(u.kgco2e_per_m2)},
                     {"carrier_tce", u.carrier_tce},
                     {"carrier_tco2e", u.carrier_tco2e}});
  }
  json months = json::array();
  for (const auto& m : o.months)
    months.push_back({{"month", m.month},
                      {"carrier", m.carrier},
                      {"energy_tce", m.energy_tce},
                      {"tco2e", m.tco2e}});
  return Json(200, {{"year", o.year},
                    {"methodology", o.methodology},
                    {"basis", published_only ? "published" : "latest"},
                    {"years", o.years},
                    {"units", units},
                    {"months", months}});
}

ApiResponse CompletenessRoute(Ctx& ctx) {
  auto year = YearQuery(ctx, CurrentYear(ctx));
  if (!year.ok()) return Fail(ctx, year.error());
  std::optional<std::vector<std::string>> units;
  if (!Programme(ctx.who)) units = ctx.who.units;
  const Instant now{std::chrono::seconds(ctx.now)};
  auto rows =
      BuildCompleteness(ctx.store, *year, now, State(ctx).vee().minimum_daily_completeness, units);
  if (!rows.ok()) return Fail(ctx, rows.error());
  json meters = json::array();
  for (const auto& c : *rows)
    meters.push_back({{"meter", c.meter_id},
                      {"unit", c.unit_id},
                      {"site", c.site_id},
                      {"carrier", c.carrier},
                      {"interval", c.interval},
                      {"expected", c.expected},
                      {"stored", c.stored},
                      {"coverage", OrNull(c.coverage)},
                      {"last_month", c.last_month},
                      {"short_months", c.short_months},
                      {"gap_chunks", c.gap_chunks},
                      {"incomplete_days", c.incomplete_days},
                      {"status", c.status}});
  return Json(200, {{"year", *year},
                    {"as_of", FormatInstant(now)},
                    {"threshold", State(ctx).vee().minimum_daily_completeness},
                    {"meters", meters}});
}

json WorkItemJson(const WorkItem& w) {
  json j = InventorySummary(w.inventory);
  j["unit_name_zh"] = w.unit_name_zh;
  j["unit_name_en"] = w.unit_name_en;
  if (!w.verifier.empty()) j["verifier"] = w.verifier;
  return j;
}

json Items(const std::vector<WorkItem>& items) {
  json out = json::array();
  for (const auto& w : items) out.push_back(WorkItemJson(w));
  return out;
}

// When the inventories of a reporting year (default: last year) are due
// (data/programme.toml), and whether that day has passed.
ApiResponse CalendarRoute(Ctx& ctx) {
  auto year = YearQuery(ctx, CurrentYear(ctx) - 1);
  if (!year.ok()) return Fail(ctx, year.error());
  const ProgrammeCalendar& c = State(ctx).calendar();
  return Json(200, {{"year", *year},
                    {"inventory_due", FormatDate(c.InventoryDue(*year))},
                    {"past_due", c.PastDue(*year, Instant{std::chrono::seconds{ctx.now}})}});
}

// The work queues of a reporting year (default: last year, the one being
// reported).
ApiResponse WorklistRoute(Ctx& ctx) {
  auto year = YearQuery(ctx, CurrentYear(ctx) - 1);
  if (!year.ok()) return Fail(ctx, year.error());
  auto w = ProgrammeWorklist(ctx.store, State(ctx).calendar(), *year, ctx.now);
  if (!w.ok()) return Fail(ctx, w.error());
  json unsubmitted = json::array();
  for (const auto& u : w->not_submitted) {
    json j = {{"unit", u.unit.id},
              {"unit_name_zh", u.unit.name_zh},
              {"unit_name_en", u.unit.name_en},
              {"district", u.unit.district},
              {"state", u.state}};
    if (u.inventory_id) j["inventory"] = u.inventory_id;
    unsubmitted.push_back(std::move(j));
  }
  json batches = json::array();
  for (const auto& b : w->rejected_batches) batches.push_back(BatchJson(b));
  return Json(200, {{"year", w->year},
                    {"due", w->due},
                    {"past_due", w->past_due},
                    {"drafts", Items(w->drafts)},
                    {"returned", Items(w->returned)},
                    {"unassigned", Items(w->unassigned)},
                    {"awaiting_verification", Items(w->awaiting_verification)},
                    {"awaiting_publication", Items(w->awaiting_publication)},
                    {"not_submitted", unsubmitted},
                    {"rejected_batches", batches}});
}

}  // namespace
}  // namespace cl::api
