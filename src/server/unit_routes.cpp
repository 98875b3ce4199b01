// Units, their sites and meters, a meter's readings, a unit's activity records.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "api_impl.h"
#include "core/encoding.h"
#include "core/timestamp.h"
#include "ingest/activities_import.h"
#include "inventory/stored_inventory.h"
#include "metering/metering.h"
#include "server/openapi.h"

namespace cl::api {
namespace {

ApiResponse ListUnitsRoute(Ctx& ctx);
ApiResponse GetUnitRoute(Ctx& ctx);
ApiResponse PutUnitRoute(Ctx& ctx);
ApiResponse ListSitesRoute(Ctx& ctx);
ApiResponse PutSiteRoute(Ctx& ctx);
ApiResponse ListMetersRoute(Ctx& ctx);
ApiResponse GetMeterRoute(Ctx& ctx);
ApiResponse MeterReadingsRoute(Ctx& ctx);
ApiResponse PutMeterRoute(Ctx& ctx);
ApiResponse ListActivitiesRoute(Ctx& ctx);
Status UnitTenant(Ctx& ctx, const Route& route);

}  // namespace

std::vector<Route> UnitRoutes() {
  return {
      {"GET", "/api/v1/units", "listUnits", "list units", kSignedIn, nullptr, "totals", "",
       ListUnitsRoute},
      {"GET", "/api/v1/units/{unit}", "getUnit", "read units", kSignedIn, UnitTenant, "totals", "",
       GetUnitRoute},
      {"PUT", "/api/v1/units/{unit}", "putUnit", "register units", kProgramme, nullptr, "", "json",
       PutUnitRoute},
      {"GET", "/api/v1/units/{unit}/sites", "listSites", "list sites", kReaders, UnitTenant, "", "",
       ListSitesRoute},
      {"PUT", "/api/v1/units/{unit}/sites/{site}", "putSite", "register sites",
       kProgramme | kManager, UnitTenant, "", "json", PutSiteRoute},
      {"GET", "/api/v1/units/{unit}/meters", "listMeters", "list meters", kReaders | kBank,
       UnitTenant, "readings", "", ListMetersRoute},
      {"GET", "/api/v1/units/{unit}/meters/{meter}", "getMeter", "read meters", kReaders | kBank,
       UnitTenant, "readings", "", GetMeterRoute},
      {"GET", "/api/v1/units/{unit}/meters/{meter}/readings", "meterReadings", "read readings",
       kReaders | kBank, UnitTenant, "readings", "", MeterReadingsRoute},
      {"PUT", "/api/v1/units/{unit}/meters/{meter}", "putMeter", "register meters",
       kProgramme | kManager, UnitTenant, "", "json", PutMeterRoute},
      {"GET", "/api/v1/units/{unit}/activities", "listActivities", "list activity records",
       kReaders, UnitTenant, "", "", ListActivitiesRoute},
  };
}

namespace {

json SiteJson(const SiteRecord& s) {
  return {{"id", s.id},
          {"unit", s.unit_id},
          {"name", s.name},
          {"district", s.district},
          {"time_zone", s.time_zone}};
}

json MeterJson(const MeterRecord& m) {
  json j = {{"id", m.id},
            {"unit", m.unit_id},
            {"site", m.site_id},
            {"carrier", m.carrier},
            {"unit_of_measure", m.unit_of_measure},
            {"interval", MeterIntervalName(m.interval)},
            {"kind", MeterKindName(m.kind)},
            {"multiplier", m.multiplier},
            {"time_zone", m.time_zone}};
  if (m.rollover) j["rollover"] = *m.rollover;
  return j;
}

// {unit}: the unit, visible to the caller (its bank scope on bank routes).
Status UnitTenant(Ctx& ctx, const Route& route) {
  const std::string& id = ctx.path["unit"];
  auto u = GetUnit(ctx.store, id);
  if (!u.ok()) return u.error();
  if (!u->has_value() || !VisibleUnit(ctx, id, route.bank_scope))
    return Hidden("unit '" + id + "'", "unit.not_found", {{"unit", id}});
  ctx.resource = std::move(**u);
  return Ok{};
}

ApiResponse ListUnitsRoute(Ctx& ctx) {
  auto all = ListUnits(ctx.store);
  if (!all.ok()) return Fail(ctx, all.error());
  std::string district = ctx.Query("district");
  json out = json::array();
  for (const auto& u : *all)
    if ((district.empty() || u.district == district) && VisibleUnit(ctx, u.id, "totals"))
      out.push_back(UnitJson(u));
  return Json(200, {{"units", out}});
}

ApiResponse GetUnitRoute(Ctx& ctx) { return Json(200, UnitJson(ctx.Loaded<UnitRecord>())); }

ApiResponse PutUnitRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"credit_code", "name_zh", "name_en", "province", "city",
                                   "district", "industry_code", "floor_area_m2"}));
  UnitRecord u;
  u.id = ctx.path["unit"];
  std::pair<const char*, std::string*> fields[] = {
      {"credit_code", &u.credit_code},    {"name_zh", &u.name_zh}, {"name_en", &u.name_en},
      {"province", &u.province},          {"city", &u.city},       {"district", &u.district},
      {"industry_code", &u.industry_code}};
  for (auto& [name, field] : fields) {
    auto v = StringField(ctx.body, name, std::string_view(name) == "name_zh", 300);
    if (!v.ok()) return Fail(ctx, v.error());
    *field = *v;
  }
  auto area = PositiveField(ctx.body, "floor_area_m2");
  if (!area.ok()) return Fail(ctx, area.error());
  u.floor_area_m2 = *area;
  auto out = PutUnit(ctx.store, u, ctx.actor);
  if (!out.ok()) return Fail(ctx, out.error());
  return Json(*out == WriteOutcome::kInserted ? 201 : 200, UnitJson(u));
}

ApiResponse ListSitesRoute(Ctx& ctx) {
  auto all = ListSites(ctx.store);
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& s : *all)
    if (s.unit_id == ctx.Loaded<UnitRecord>().id) out.push_back(SiteJson(s));
  return Json(200, {{"sites", out}});
}

ApiResponse PutSiteRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"name", "district", "time_zone"}));
  SiteRecord s;
  s.id = ctx.path["site"];
  s.unit_id = ctx.Loaded<UnitRecord>().id;
  auto name = StringField(ctx.body, "name", true, 300);
  if (!name.ok()) return Fail(ctx, name.error());
  s.name = *name;
  auto district = StringField(ctx.body, "district", false);
  if (!district.ok()) return Fail(ctx, district.error());
  s.district = *district;
  auto tz = StringField(ctx.body, "time_zone", false);
  if (!tz.ok()) return Fail(ctx, tz.error());
  if (!tz->empty()) s.time_zone = *tz;
  auto out = PutSite(ctx.store, s, ctx.actor);
  if (!out.ok()) return Fail(ctx, out.error());
  return Json(*out == WriteOutcome::kInserted ? 201 : 200, SiteJson(s));
}

ApiResponse ListMetersRoute(Ctx& ctx) {
  auto all = ListMeters(ctx.store);
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& m : *all)
    if (m.unit_id == ctx.Loaded<UnitRecord>().id) out.push_back(MeterJson(m));
  return Json(200, {{"meters", out}});
}

// The path's {meter}, when it is a meter of the path's (authorized) {unit}.
Result<MeterRecord> MeterOfUnit(Ctx& ctx) {
  auto m = GetMeter(ctx.store, ctx.path["meter"]);
  if (!m.ok()) return m.error();
  if (!m->has_value() || (*m)->unit_id != ctx.Loaded<UnitRecord>().id)
    return Error::NotFound("meter '" + ctx.path["meter"] + "' does not exist")
        .WithCode("meter.not_found", {{"meter", ctx.path["meter"]}});
  return **m;
}

ApiResponse GetMeterRoute(Ctx& ctx) {
  auto m = MeterOfUnit(ctx);
  if (!m.ok()) return Fail(ctx, m.error());
  return Json(200, MeterJson(*m));
}

// Readings of one meter between two local dates: every reading (at most
// 400 days), or `buckets` equal spans with min, mean, max and count (for
// charts over any range).
ApiResponse MeterReadingsRoute(Ctx& ctx) {
  auto m = MeterOfUnit(ctx);
  if (!m.ok()) return Fail(ctx, m.error());
  const std::string instance = ctx.req.target.substr(0, ctx.req.target.find('?'));
  auto from = ParseDate(ctx.Query("from"));
  auto to = ParseDate(ctx.Query("to"));
  if (!from.ok())
    return Problem(422, "Invalid input", "from must be a date YYYY-MM-DD", instance, "from",
                   "field.not_date", {{"field", "from"}});
  if (!to.ok())
    return Problem(422, "Invalid input", "to must be a date YYYY-MM-DD", instance, "to",
                   "field.not_date", {{"field", "to"}});
  const auto days = (std::chrono::sys_days{*to} - std::chrono::sys_days{*from}).count() + 1;
  int64_t buckets = 0;
  if (auto b = ctx.Query("buckets"); !b.empty()) {
    auto [p, ec] = std::from_chars(b.data(), b.data() + b.size(), buckets);
    if (ec != std::errc() || p != b.data() + b.size() || buckets < 1 || buckets > 10000)
      return Problem(422, "Invalid input", "buckets must be 1 to 10000", instance, "buckets",
                     "field.out_of_range", {{"field", "buckets"}, {"min", "1"}, {"max", "10000"}});
  }
  if (days < 1 || days > (buckets ? 366 * 30 : 400))
    return Problem(422, "Invalid input",
                   buckets ? "from..to must span 1 day to 30 years"
                           : "from..to must span 1 to 400 days; ask for buckets over longer ranges",
                   instance, "to", "meter.range_too_long",
                   {{"max", std::to_string(buckets ? 366 * 30 : 400)}});
  if (!MayReadYears(ctx, m->unit_id, static_cast<int>(from->year()), static_cast<int>(to->year())))
    return Fail(ctx,
                Error::Forbidden("the readings of " + ctx.Query("from") + " to " + ctx.Query("to") +
                                 " are outside the years you may see of this unit")
                    .WithCode("meter.years_hidden",
                              {{"from", ctx.Query("from")}, {"to", ctx.Query("to")}}));
  auto got = ReadMeter(ctx.store, *m, *from, *to);
  if (!got.ok()) return Fail(ctx, got.error());
  json out = {{"meter", m->id},
              {"unit_of_measure", m->unit_of_measure},
              {"interval", MeterIntervalName(m->interval)},
              {"from", ctx.Query("from")},
              {"to", ctx.Query("to")},
              {"day_flags", got->day_flags}};
  if (buckets == 0) {
    json rows = json::array();
    for (const auto& r : got->readings) {
      json j = {{"at", FormatInstant(r.at)}, {"value", r.value}, {"batch", r.batch}};
      if (!r.flags.empty()) j["flags"] = r.flags;
      rows.push_back(std::move(j));
    }
    out["readings"] = std::move(rows);
    return Json(200, out);
  }
  json rows = json::array();
  for (const auto& b : BucketReadings(got->readings, buckets))
    rows.push_back({{"start", FormatInstant(b.start)},
                    {"min", b.min},
                    {"mean", b.mean},
                    {"max", b.max},
                    {"count", b.count}});
  out["buckets"] = std::move(rows);
  return Json(200, out);
}

ApiResponse PutMeterRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"site", "carrier", "unit_of_measure", "interval", "kind",
                                   "multiplier", "rollover", "time_zone"}));
  MeterRecord m;
  m.id = ctx.path["meter"];
  m.unit_id = ctx.Loaded<UnitRecord>().id;
  // Meter ids are unique across the programme: a unit names its meters
  // "<unit>/...", so that it can neither take nor probe another unit's ids.
  if (!Programme(ctx.who) && m.id.rfind(m.unit_id + "/", 0) != 0)
    return Problem(422, "Invalid input",
                   "a meter id of unit '" + m.unit_id + "' starts with '" + m.unit_id + "/'",
                   ctx.req.target, "meter", "meter.id_prefix", {{"unit", m.unit_id}});
  std::pair<const char*, std::string*> fields[] = {
      {"site", &m.site_id}, {"carrier", &m.carrier}, {"unit_of_measure", &m.unit_of_measure}};
  for (auto& [name, field] : fields) {
    auto v = StringField(ctx.body, name, true);
    if (!v.ok()) return Fail(ctx, v.error());
    *field = *v;
  }
  auto interval = StringField(ctx.body, "interval", true);
  if (!interval.ok()) return Fail(ctx, interval.error());
  auto iv = ParseMeterInterval(*interval);
  if (!iv.ok())
    return Fail(ctx, FieldError("interval", "meter.bad_interval", iv.error().message(),
                                {{"value", *interval}}));
  m.interval = *iv;
  auto kind = StringField(ctx.body, "kind", false);
  if (!kind.ok()) return Fail(ctx, kind.error());
  if (!kind->empty()) {
    auto k = ParseMeterKind(*kind);
    if (!k.ok())
      return Fail(ctx,
                  FieldError("kind", "meter.bad_kind", k.error().message(), {{"value", *kind}}));
    m.kind = *k;
  }
  auto multiplier = PositiveField(ctx.body, "multiplier");
  if (!multiplier.ok()) return Fail(ctx, multiplier.error());
  if (*multiplier) m.multiplier = **multiplier;
  auto rollover = PositiveField(ctx.body, "rollover");
  if (!rollover.ok()) return Fail(ctx, rollover.error());
  if (*rollover) m.rollover = *rollover;
  auto tz = StringField(ctx.body, "time_zone", false);
  if (!tz.ok()) return Fail(ctx, tz.error());
  if (!tz->empty()) m.time_zone = *tz;
  if (ErrorList errors = CheckMeter(Data(ctx).catalog, m); !errors.empty())
    return Fail(ctx, Error::Several(errors));
  auto out = PutMeter(ctx.store, m, ctx.actor);
  if (!out.ok()) return Fail(ctx, out.error());
  return Json(*out == WriteOutcome::kInserted ? 201 : 200, MeterJson(m));
}

ApiResponse ListActivitiesRoute(Ctx& ctx) {
  auto all = ListActivities(ctx.store, ctx.Loaded<UnitRecord>().id);
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& a : *all) {
    json j = {{"id", a.id},
              {"site", a.site_id},
              {"meter", a.meter_id},
              {"activity", a.activity},
              {"quantity", a.quantity},
              {"unit_of_measure", a.unit_of_measure},
              {"period_start", a.period_start},
              {"period_end", a.period_end},
              {"data_source", a.data_source},
              {"source_file", a.source_file},
              {"line", a.line},
              {"batch", a.batch_id}};
    if (a.factor) j["factor"] = *a.factor;
    out.push_back(j);
  }
  return Json(200, {{"activities", out}});
}

}  // namespace
}  // namespace cl::api
