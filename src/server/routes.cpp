// The route table of /api/v1 and its handlers. Who may call each route and
// whose resource it touches is declared in the table; Authorize decides
// before a handler runs (authz.cpp). docs/api.md lists the table by role.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <mutex>
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

std::string FormatUtc(int64_t seconds) {
  return FormatInstant(Instant{std::chrono::seconds(seconds)});
}

// Copies of stored values as JSON ---------------------------------------------

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

json BatchJson(const BatchRecord& b) {
  return {{"id", b.id},
          {"kind", BatchKindName(b.kind)},
          {"source", b.source},
          {"created_at", b.created_at},
          {"created_by", b.created_by},
          {"rows", b.rows},
          {"accepted", b.accepted},
          {"unchanged", b.unchanged},
          {"revised", b.revised},
          {"rejected", b.rejected},
          {"flagged", b.flagged}};
}

json ConsentJson(const ConsentRecord& c, int64_t now) {
  json j = {{"id", c.id},
            {"unit", c.unit_id},
            {"bank", c.bank},
            {"scopes", c.scopes},
            {"year_from", c.year_from},
            {"year_to", c.year_to},
            {"expires_at", FormatUtc(c.expires_at)},
            {"created_at", c.created_at},
            {"created_by", c.created_by},
            {"active", !c.revoked_at && now < c.expires_at}};
  if (c.revoked_at) j["revoked_at"] = FormatUtc(*c.revoked_at);
  return j;
}

std::string Str(const Result<std::string>& r) { return r.ok() ? *r : ""; }

// Dataset pins from a body field {"grid-electricity": "2024.12", ...}.
Result<DatasetPins> PinsField(const json& body, const char* name) {
  DatasetPins pins;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return pins;
  if (!it->is_object())
    return Error::InvalidInput(std::string(name) + " must be an object of dataset: version",
                               {"", 0, 0, name});
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string())
      return Error::InvalidInput("a dataset version must be a string",
                                 {"", 0, 0, std::string(name) + "/" + k});
    pins[k] = v.get<std::string>();
  }
  return pins;
}

#define CL_API_TRY(expr)                                             \
  do {                                                               \
    if (auto _st = (expr); !_st.ok()) return Fail(ctx, _st.error()); \
  } while (0)

ApiResponse NoContent() { return {204, "", "", {}}; }

// The caller may write data of this unit (programme roles: any unit).
bool MayWriteUnit(const Ctx& ctx, const std::string& unit_id) {
  if (Programme(ctx.who)) return true;
  return std::find(ctx.who.units.begin(), ctx.who.units.end(), unit_id) != ctx.who.units.end();
}

// --- session and identity -----------------------------------------------------

std::string CookieAttributes(Ctx& ctx, int64_t max_age) {
  return "; Path=/; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (State(ctx).config().secure_cookies ? "; Secure" : "");
}

ApiResponse SignInRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"login", "password"}));
  auto login = StringField(ctx.body, "login", true);
  if (!login.ok()) return Fail(ctx, login.error());
  auto password = StringField(ctx.body, "password", true, 1024);
  if (!password.ok()) return Fail(ctx, password.error());
  // One password check at a time in this server: argon2id takes 64 MiB and
  // tens of milliseconds each, and parallel wrong guesses must each count
  // towards the back-off (read, verify, write would otherwise race).
  static std::mutex one_at_a_time;
  std::unique_lock lock(one_at_a_time);
  auto in = SignIn(ctx.store, *login, *password, Instant{std::chrono::seconds(ctx.now)},
                   ctx.actor.origin, State(ctx).config().identity);
  lock.unlock();
  if (!in.ok() && in.error().kind() == ErrorKind::kRateLimited) {
    // The account waits: say until when, from the record itself.
    ApiResponse r = Fail(ctx, in.error());
    auto user = ctx.store.Identity().GetUser(*login);
    int64_t wait = user.ok() && user->has_value() ? (*user)->locked_until - ctx.now : 1;
    r.headers.emplace_back("Retry-After", std::to_string(std::max<int64_t>(wait, 1)));
    return r;
  }
  if (!in.ok()) return Fail(ctx, in.error());
  int64_t age = in->expires_at - ctx.now;
  ApiResponse r = Json(200, {{"login", in->user.login},
                             {"display_name", in->user.display_name},
                             {"role", in->user.role},
                             {"units", in->user.units},
                             {"organisation", in->user.organisation},
                             {"csrf_token", in->csrf_token},
                             {"expires_at", FormatUtc(in->expires_at)}});
  r.headers.emplace_back(
      "Set-Cookie", "cl_session=" + in->session_token + "; HttpOnly" + CookieAttributes(ctx, age));
  r.headers.emplace_back("Set-Cookie", "cl_csrf=" + in->csrf_token + CookieAttributes(ctx, age));
  return r;
}

ApiResponse SessionRoute(Ctx& ctx) {
  json j = {{"login", ctx.who.login}, {"units", ctx.who.units}};
  if (ctx.who.kind == Principal::Kind::kToken) {
    j["kind"] = "api_token";
    j["scope"] = ctx.who.token_scope;
  } else {
    j["kind"] = "user";
    j["role"] = RoleName(ctx.who.role);
    j["organisation"] = ctx.who.organisation;
  }
  return Json(200, j);
}

ApiResponse SignOutRoute(Ctx& ctx) {
  // The session the caller was authenticated with, whatever else the
  // Cookie header carries.
  CL_API_TRY(ctx.store.Identity().DeleteSession(ctx.who.session_hash));
  ApiResponse r = NoContent();
  r.headers.emplace_back("Set-Cookie", "cl_session=; HttpOnly" + CookieAttributes(ctx, 0));
  r.headers.emplace_back("Set-Cookie", "cl_csrf=" + CookieAttributes(ctx, 0));
  return r;
}

ApiResponse CreateUserRoute(Ctx& ctx) {
  CL_API_TRY(
      OnlyFields(ctx.body, {"login", "display_name", "role", "password", "units", "organisation"}));
  UserRecord u;
  auto login = StringField(ctx.body, "login", true, 100);
  if (!login.ok()) return Fail(ctx, login.error());
  CL_API_TRY(CheckLogin(*login));
  u.login = *login;
  u.display_name = Str(StringField(ctx.body, "display_name", false));
  auto role = StringField(ctx.body, "role", true);
  if (!role.ok()) return Fail(ctx, role.error());
  auto parsed = ParseRole(*role);
  if (!parsed.ok())
    return Fail(ctx, Error::InvalidInput(parsed.error().message(), {"", 0, 0, "role"}));
  u.role = *role;
  auto org = StringField(ctx.body, "organisation", false);
  if (!org.ok()) return Fail(ctx, org.error());
  u.organisation = *org;
  if ((*parsed == Role::kBankAnalyst || *parsed == Role::kVerifier) && u.organisation.empty())
    return Fail(ctx, Error::InvalidInput("a bank analyst or verifier needs an organisation",
                                         {"", 0, 0, "organisation"}));
  auto password = StringField(ctx.body, "password", true, 1024);
  if (!password.ok()) return Fail(ctx, password.error());
  auto hash = HashPassword(*password, State(ctx).config().identity);
  if (!hash.ok())
    return Fail(ctx, Error::InvalidInput(hash.error().message(), {"", 0, 0, "password"}));
  u.password_hash = *hash;
  if (auto it = ctx.body.find("units"); it != ctx.body.end()) {
    if (!it->is_array())
      return Fail(ctx,
                  Error::InvalidInput("units must be an array of unit ids", {"", 0, 0, "units"}));
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string())
        return Fail(ctx, Error::InvalidInput("a unit id must be a string",
                                             {"", 0, 0, "units/" + std::to_string(i)}));
      u.units.push_back((*it)[i].get<std::string>());
    }
  }
  if ((*parsed == Role::kUnitManager || *parsed == Role::kUnitMember) && u.units.empty())
    return Fail(ctx, Error::InvalidInput("a unit manager or member needs at least one unit",
                                         {"", 0, 0, "units"}));
  auto id = ctx.store.Identity().CreateUser(u, ctx.actor);
  if (!id.ok()) return Fail(ctx, id.error());
  return Json(201, {{"id", *id}, {"login", u.login}, {"role", u.role}, {"units", u.units}});
}

ApiResponse IssueTokenRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"unit", "days", "label"}));
  auto unit = StringField(ctx.body, "unit", true);
  if (!unit.ok()) return Fail(ctx, unit.error());
  auto days =
      IntField(ctx.body, "days", false, 1, State(ctx).config().identity.longest_token_days, 90);
  if (!days.ok()) return Fail(ctx, days.error());
  auto label = StringField(ctx.body, "label", false);
  if (!label.ok()) return Fail(ctx, label.error());
  if (!MayWriteUnit(ctx, *unit))
    return Fail(ctx, Error::NotFound("unit '" + *unit + "' does not exist"));
  auto user = ctx.store.Identity().GetUserById(ctx.who.user_id);
  if (!user.ok() || !user->has_value())
    return Fail(ctx, Error(ErrorKind::kInternal, "read the caller"));
  auto t = IssueApiToken(ctx.store, **user, *unit, "ingest", static_cast<int>(*days), *label,
                         Instant{std::chrono::seconds(ctx.now)}, ctx.actor,
                         State(ctx).config().identity);
  if (!t.ok()) return Fail(ctx, t.error());
  return Json(201, {{"id", t->id},
                    {"token", t->token},
                    {"unit", *unit},
                    {"scope", "ingest"},
                    {"expires_at", FormatUtc(t->expires_at)}});
}

ApiResponse ListTokensRoute(Ctx& ctx) {
  auto all = ctx.store.Identity().ListApiTokens(ctx.who.user_id);
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& t : *all) {
    json j = {
        {"id", t.id},       {"unit", t.unit_id},          {"scope", t.scope},
        {"label", t.label}, {"created_at", t.created_at}, {"expires_at", FormatUtc(t.expires_at)}};
    if (t.revoked_at) j["revoked_at"] = FormatUtc(*t.revoked_at);
    out.push_back(j);
  }
  return Json(200, {{"tokens", out}});
}

ApiResponse RevokeTokenRoute(Ctx& ctx) {
  CL_API_TRY(ctx.store.Identity().RevokeApiToken(ctx.token->id, ctx.now, ctx.actor));
  return NoContent();
}

// --- registry -----------------------------------------------------------------

ApiResponse ListUnitsRoute(Ctx& ctx) {
  auto all = ctx.store.Registry().ListUnits();
  if (!all.ok()) return Fail(ctx, all.error());
  std::string district = ctx.Query("district");
  json out = json::array();
  for (const auto& u : *all)
    if ((district.empty() || u.district == district) && VisibleUnit(ctx, u.id, "totals"))
      out.push_back(UnitJson(u));
  return Json(200, {{"units", out}});
}

ApiResponse GetUnitRoute(Ctx& ctx) { return Json(200, UnitJson(*ctx.unit)); }

ApiResponse PutUnitRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"credit_code", "name_zh", "name_en", "province", "city",
                                   "district", "industry_code"}));
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
  auto out = ctx.store.Registry().PutUnit(u, ctx.actor);
  if (!out.ok()) return Fail(ctx, out.error());
  return Json(*out == WriteOutcome::kInserted ? 201 : 200, UnitJson(u));
}

ApiResponse ListSitesRoute(Ctx& ctx) {
  auto all = ctx.store.Registry().ListSites();
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& s : *all)
    if (s.unit_id == ctx.unit->id) out.push_back(SiteJson(s));
  return Json(200, {{"sites", out}});
}

ApiResponse PutSiteRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"name", "district", "time_zone"}));
  SiteRecord s;
  s.id = ctx.path["site"];
  s.unit_id = ctx.unit->id;
  auto name = StringField(ctx.body, "name", true, 300);
  if (!name.ok()) return Fail(ctx, name.error());
  s.name = *name;
  auto district = StringField(ctx.body, "district", false);
  if (!district.ok()) return Fail(ctx, district.error());
  s.district = *district;
  auto tz = StringField(ctx.body, "time_zone", false);
  if (!tz.ok()) return Fail(ctx, tz.error());
  if (!tz->empty()) s.time_zone = *tz;
  auto out = ctx.store.Registry().PutSite(s, ctx.actor);
  if (!out.ok()) return Fail(ctx, out.error());
  return Json(*out == WriteOutcome::kInserted ? 201 : 200, SiteJson(s));
}

ApiResponse ListMetersRoute(Ctx& ctx) {
  auto all = ctx.store.Registry().ListMeters();
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& m : *all)
    if (m.unit_id == ctx.unit->id) out.push_back(MeterJson(m));
  return Json(200, {{"meters", out}});
}

// The path's {meter}, when it is a meter of the path's (authorized) {unit}.
Result<MeterRecord> MeterOfUnit(Ctx& ctx) {
  auto m = ctx.store.Registry().GetMeter(ctx.path["meter"]);
  if (!m.ok()) return m.error();
  if (!m->has_value() || (*m)->unit_id != ctx.unit->id)
    return Error::NotFound("meter '" + ctx.path["meter"] + "' does not exist");
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
  auto from = ParseDate(ctx.Query("from")), to = ParseDate(ctx.Query("to"));
  if (!from.ok())
    return Problem(422, "Invalid input", "from must be a date YYYY-MM-DD", instance, "from");
  if (!to.ok())
    return Problem(422, "Invalid input", "to must be a date YYYY-MM-DD", instance, "to");
  const auto days = (std::chrono::sys_days(*to) - std::chrono::sys_days(*from)).count() + 1;
  int64_t buckets = 0;
  if (auto b = ctx.Query("buckets"); !b.empty()) {
    auto [p, ec] = std::from_chars(b.data(), b.data() + b.size(), buckets);
    if (ec != std::errc() || p != b.data() + b.size() || buckets < 1 || buckets > 10000)
      return Problem(422, "Invalid input", "buckets must be 1 to 10000", instance, "buckets");
  }
  if (days < 1 || days > (buckets ? 366 * 30 : 400))
    return Problem(422, "Invalid input",
                   buckets ? "from..to must span 1 day to 30 years"
                           : "from..to must span 1 to 400 days; ask for buckets over longer ranges",
                   instance, "to");
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
  // Equal spans of the UTC range the readings fall in.
  const int64_t t0 =
      got->readings.empty() ? 0 : got->readings.front().at.time_since_epoch().count();
  const int64_t t1 =
      got->readings.empty() ? 1 : got->readings.back().at.time_since_epoch().count() + 1;
  const double width = static_cast<double>(t1 - t0) / static_cast<double>(buckets);
  struct Span {
    double min = 0, max = 0, sum = 0;
    int64_t count = 0;
  };
  std::vector<Span> spans(static_cast<size_t>(buckets));
  for (const auto& r : got->readings) {
    auto i = static_cast<size_t>(
        std::min<double>(static_cast<double>(buckets - 1),
                         static_cast<double>(r.at.time_since_epoch().count() - t0) / width));
    Span& s = spans[i];
    s.min = s.count ? std::min(s.min, r.value) : r.value;
    s.max = s.count ? std::max(s.max, r.value) : r.value;
    s.sum += r.value;
    ++s.count;
  }
  json rows = json::array();
  for (size_t i = 0; i < spans.size(); ++i) {
    if (!spans[i].count) continue;
    const auto start = t0 + static_cast<int64_t>(width * static_cast<double>(i));
    rows.push_back({{"start", FormatInstant(Instant{std::chrono::seconds(start)})},
                    {"min", spans[i].min},
                    {"mean", spans[i].sum / static_cast<double>(spans[i].count)},
                    {"max", spans[i].max},
                    {"count", spans[i].count}});
  }
  out["buckets"] = std::move(rows);
  return Json(200, out);
}

ApiResponse PutMeterRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"site", "carrier", "unit_of_measure", "interval", "kind",
                                   "multiplier", "rollover", "time_zone"}));
  MeterRecord m;
  m.id = ctx.path["meter"];
  m.unit_id = ctx.unit->id;
  // Meter ids are unique across the programme: a unit names its meters
  // "<unit>/...", so that it can neither take nor probe another unit's ids.
  if (!Programme(ctx.who) && m.id.rfind(m.unit_id + "/", 0) != 0)
    return Problem(422, "Invalid input",
                   "a meter id of unit '" + m.unit_id + "' starts with '" + m.unit_id + "/'",
                   ctx.req.target, "meter");
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
  if (!iv.ok()) return Fail(ctx, Error::InvalidInput(iv.error().message(), {"", 0, 0, "interval"}));
  m.interval = *iv;
  auto kind = StringField(ctx.body, "kind", false);
  if (!kind.ok()) return Fail(ctx, kind.error());
  if (!kind->empty()) {
    auto k = ParseMeterKind(*kind);
    if (!k.ok()) return Fail(ctx, Error::InvalidInput(k.error().message(), {"", 0, 0, "kind"}));
    m.kind = *k;
  }
  for (const char* name : {"multiplier", "rollover"}) {
    auto it = ctx.body.find(name);
    if (it == ctx.body.end() || it->is_null()) continue;
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() <= 0)
      return Fail(ctx, Error::InvalidInput(std::string(name) + " must be a positive number",
                                           {"", 0, 0, name}));
    if (std::string_view(name) == "multiplier")
      m.multiplier = it->get<double>();
    else
      m.rollover = it->get<double>();
  }
  auto tz = StringField(ctx.body, "time_zone", false);
  if (!tz.ok()) return Fail(ctx, tz.error());
  if (!tz->empty()) m.time_zone = *tz;
  if (ErrorList errors = CheckMeter(Data(ctx).catalog, m); !errors.empty())
    return Fail(ctx, errors.errors().front());
  auto out = ctx.store.Registry().PutMeter(m, ctx.actor);
  if (!out.ok()) return Fail(ctx, out.error());
  return Json(*out == WriteOutcome::kInserted ? 201 : 200, MeterJson(m));
}

ApiResponse ListActivitiesRoute(Ctx& ctx) {
  auto all = ctx.store.Activities().ListActivities(ctx.unit->id);
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

// --- imports ------------------------------------------------------------------

ApiResponse Imported(Ctx& ctx, const ImportResult& r) {
  State(ctx).metrics().AddIngest(r.batch.accepted + r.batch.revised, r.batch.rejected);
  ApiResponse res =
      Json(201, {{"batch", BatchJson(r.batch)},
                 {"encoding", r.encoding},
                 {"file_error", r.file_error},
                 {"rejects", "/api/v1/batches/" + std::to_string(r.batch.id) + "/rejects"}});
  res.headers.emplace_back("Location", "/api/v1/batches/" + std::to_string(r.batch.id));
  return res;
}

ApiResponse ImportReadingsRoute(Ctx& ctx) {
  ReadingsMapping mapping;
  std::string format = ctx.Query("format");
  std::string type = ctx.req.Header("Content-Type");
  if (format.empty())
    format = type.find("ndjson") != std::string::npos || type.find("jsonl") != std::string::npos
                 ? "jsonl"
                 : "csv";
  if (format != "csv" && format != "jsonl")
    return Problem(422, "Invalid input", "format must be csv or jsonl", ctx.req.target, "format");
  std::string profile = ctx.Query("profile");
  if (!profile.empty()) {
    auto saved = ctx.store.Imports().GetMappingProfile(profile, "readings");
    if (!saved.ok()) return Fail(ctx, saved.error());
    if (!saved->has_value())
      return Problem(404, "Not found", "no mapping profile '" + profile + "'", ctx.req.target,
                     "profile");
    auto m = ReadingsMapping::FromJson(**saved);
    if (!m.ok()) return Fail(ctx, m.error());
    mapping = *m;
  }
  if (auto v = ctx.Query("meter_column"); !v.empty()) mapping.meter = v;
  if (auto v = ctx.Query("timestamp_column"); !v.empty()) mapping.timestamp = v;
  if (auto v = ctx.Query("value_column"); !v.empty()) mapping.value = v;
  if (ctx.Query("timestamps") == "end") mapping.timestamps_mark_end = true;
  mapping.format = format;
  ImportOptions options;
  options.actor = ctx.actor;
  options.vee = State(ctx).vee();
  options.units = WritableUnits(ctx.who);
  options.now = Instant{std::chrono::seconds(ctx.now)};
  // The importer names the file in rejects: the caller's name for it.
  auto r = ImportReadings(ctx.store, ctx.req.body_file, mapping, options);
  if (!r.ok()) return Fail(ctx, r.error());
  return Imported(ctx, *r);
}

ApiResponse ImportActivitiesRoute(Ctx& ctx) {
  auto r =
      ImportActivities(ctx.store, Data(ctx), ctx.req.body_file, ctx.actor, WritableUnits(ctx.who));
  if (!r.ok()) return Fail(ctx, r.error());
  return Imported(ctx, *r);
}

ApiResponse ListBatchesRoute(Ctx& ctx) {
  auto all = ctx.store.Imports().ListBatches();
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& b : *all)
    if (VisibleBatch(ctx, b)) out.push_back(BatchJson(b));
  return Json(200, {{"batches", out}});
}

ApiResponse GetBatchRoute(Ctx& ctx) { return Json(200, BatchJson(*ctx.batch)); }

ApiResponse ListRejectsRoute(Ctx& ctx) {
  auto all = ctx.store.Imports().ListRejects(ctx.batch->id);
  if (!all.ok()) return Fail(ctx, all.error());
  if (ctx.Query("format") == "csv") {
    std::string csv =
        "\xEF\xBB\xBF"
        "file,line,column,field,kind,message\n";
    auto esc = [](const std::string& s) {
      std::string o = "\"";
      for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
      return o + "\"";
    };
    for (const auto& r : *all)
      csv += esc(r.file) + "," + std::to_string(r.line) + "," + std::to_string(r.column) + "," +
             esc(r.field) + "," + esc(r.kind) + "," + esc(r.message) + "\n";
    ApiResponse res{200, "text/csv; charset=utf-8", std::move(csv), {}};
    res.headers.emplace_back(
        "Content-Disposition",
        "attachment; filename=\"batch-" + std::to_string(ctx.batch->id) + "-rejects.csv\"");
    return res;
  }
  json out = json::array();
  for (const auto& r : *all)
    out.push_back({{"file", r.file},
                   {"line", r.line},
                   {"column", r.column},
                   {"field", r.field},
                   {"kind", r.kind},
                   {"message", r.message}});
  return Json(200, {{"batch", ctx.batch->id}, {"rejects", out}});
}

// --- inventories --------------------------------------------------------------

bool IsBank(const Ctx& ctx) {
  return ctx.who.kind == Principal::Kind::kUser && ctx.who.role == Role::kBankAnalyst;
}

ApiResponse ListInventoriesRoute(Ctx& ctx) {
  auto all = ctx.store.Inventories().ListInventorySummaries();
  if (!all.ok()) return Fail(ctx, all.error());
  std::string unit = ctx.Query("unit"), year = ctx.Query("year"), status = ctx.Query("status");
  json out = json::array();
  for (const auto& inv : *all) {
    if (!unit.empty() && inv.unit_id != unit) continue;
    if (!year.empty() && std::to_string(inv.year) != year) continue;
    if (!status.empty() && InventoryStatusName(inv.status) != status) continue;
    if (VisibleInventory(ctx, inv)) out.push_back(InventorySummary(inv));
  }
  return Json(200, {{"inventories", out}});
}

ApiResponse CreateInventoryRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"unit", "year", "methodology", "datasets"}));
  StoredInventoryRequest r;
  auto unit = StringField(ctx.body, "unit", true);
  if (!unit.ok()) return Fail(ctx, unit.error());
  if (!MayWriteUnit(ctx, *unit))
    return Fail(ctx, Error::NotFound("unit '" + *unit + "' does not exist"));
  r.unit_id = *unit;
  auto year = IntField(ctx.body, "year", true, 1990, 2100);
  if (!year.ok()) return Fail(ctx, year.error());
  r.year = static_cast<int>(*year);
  auto m = StringField(ctx.body, "methodology", true);
  if (!m.ok()) return Fail(ctx, m.error());
  r.methodology = *m;
  auto pins = PinsField(ctx.body, "datasets");
  if (!pins.ok()) return Fail(ctx, pins.error());
  r.pins = *pins;
  auto id = ComputeAndSaveInventory(ctx.store, Data(ctx), State(ctx).vee(), r, ctx.actor);
  if (!id.ok()) return Fail(ctx, id.error());
  auto inv = ctx.store.Inventories().GetInventory(*id);
  if (!inv.ok() || !inv->has_value()) return Fail(ctx, Error(ErrorKind::kInternal, "read it back"));
  ApiResponse res = Json(201, InventorySummary(**inv));
  res.headers.emplace_back("Location", "/api/v1/inventories/" + std::to_string(*id));
  return res;
}

ApiResponse GetInventoryRoute(Ctx& ctx) {
  const InventoryRecord& inv = *ctx.inventory;
  json head = InventorySummary(inv);
  auto reviews = ctx.store.Inventories().ListReviews(inv.id);
  if (!reviews.ok()) return Fail(ctx, reviews.error());
  json rv = json::array();
  for (const auto& r : *reviews)
    rv.push_back(
        {{"reviewer", r.reviewer}, {"decision", r.decision}, {"opinion", r.opinion}, {"at", r.at}});
  head["reviews"] = rv;
  if (IsBank(ctx) && inv.status != InventoryStatus::kPublished) {
    // A bank sees the unit's totals, and intensities only when the consent says so.
    json doc = json::parse(*ctx.document, nullptr, false);
    json figures = json::object();
    if (doc.is_object() && doc.contains("units") && !doc["units"].empty()) {
      for (const auto& [k, v] : doc["units"][0].items())
        if (v.is_number() || k == "unit_id" || k == "name_zh" || k == "name_en") figures[k] = v;
      if (BankMay(ctx, inv.unit_id, "intensities", inv.year) &&
          doc["units"][0].contains("intensities"))
        figures["intensities"] = doc["units"][0]["intensities"];
    }
    head["figures"] = figures;
    return Json(200, head);
  }
  // The stored document goes out as stored, without parsing it again.
  std::string text = head.dump(-1, ' ', false, json::error_handler_t::replace);
  text.pop_back();
  text.reserve(text.size() + ctx.document->size() + 16);
  text += ",\"document\":";
  text += *ctx.document;
  text += '}';
  return RawJson(200, std::move(text));
}

ApiResponse ExplainInventoryRoute(Ctx& ctx) {
  std::optional<std::string> line;
  if (auto l = ctx.Query("line"); !l.empty()) line = l;
  auto text =
      ExplainStoredInventory(ctx.store, Data(ctx), State(ctx).vee(), WholeInventory(ctx), line);
  if (!text.ok()) return Fail(ctx, text.error());
  return Json(200, {{"inventory", ctx.inventory->id}, {"explanation", *text}});
}

ApiResponse Step(Ctx& ctx, InventoryStatus to, bool opinion_required) {
  CL_API_TRY(OnlyFields(ctx.body, {"opinion", "reason"}));
  auto opinion =
      StringField(ctx.body, opinion_required ? "opinion" : "reason", opinion_required, 20000);
  if (!opinion.ok()) return Fail(ctx, opinion.error());
  CL_API_TRY(
      ctx.store.Inventories().SetInventoryStatus(ctx.inventory->id, to, ctx.actor, *opinion));
  auto inv = ctx.store.Inventories().GetInventory(ctx.inventory->id);
  if (!inv.ok() || !inv->has_value()) return Fail(ctx, Error(ErrorKind::kInternal, "read it back"));
  return Json(200, InventorySummary(**inv));
}

ApiResponse SubmitRoute(Ctx& ctx) {
  if (!MayWriteUnit(ctx, ctx.inventory->unit_id))
    return Fail(ctx, Error(ErrorKind::kForbidden, "only the unit submits its inventory"));
  return Step(ctx, InventoryStatus::kSubmitted, false);
}
ApiResponse VerifyRoute(Ctx& ctx) { return Step(ctx, InventoryStatus::kVerified, true); }
ApiResponse ReturnRoute(Ctx& ctx) { return Step(ctx, InventoryStatus::kReturned, true); }
ApiResponse PublishRoute(Ctx& ctx) { return Step(ctx, InventoryStatus::kPublished, false); }

ApiResponse CorrectRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"reason", "datasets"}));
  if (!MayWriteUnit(ctx, ctx.inventory->unit_id))
    return Fail(ctx, Error(ErrorKind::kForbidden, "only the unit corrects its inventory"));
  auto reason = StringField(ctx.body, "reason", true, 2000);
  if (!reason.ok()) return Fail(ctx, reason.error());
  StoredInventoryRequest r;
  r.unit_id = ctx.inventory->unit_id;
  r.year = ctx.inventory->year;
  r.methodology = ctx.inventory->methodology;
  auto pins = PinsField(ctx.body, "datasets");
  if (!pins.ok()) return Fail(ctx, pins.error());
  if (pins->empty()) {
    json old = json::parse(ctx.inventory->pins, nullptr, false);
    if (old.is_object())
      for (const auto& [k, v] : old.items())
        if (v.is_string()) (*pins)[k] = v.get<std::string>();
  }
  r.pins = *pins;
  r.supersedes = ctx.inventory->id;
  r.reason = *reason;
  auto id = ComputeAndSaveInventory(ctx.store, Data(ctx), State(ctx).vee(), r, ctx.actor);
  if (!id.ok()) return Fail(ctx, id.error());
  auto inv = ctx.store.Inventories().GetInventory(*id);
  if (!inv.ok() || !inv->has_value()) return Fail(ctx, Error(ErrorKind::kInternal, "read it back"));
  ApiResponse res = Json(201, InventorySummary(**inv));
  res.headers.emplace_back("Location", "/api/v1/inventories/" + std::to_string(*id));
  return res;
}

ApiResponse RestateRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"datasets"}));
  auto pins = PinsField(ctx.body, "datasets");
  if (!pins.ok()) return Fail(ctx, pins.error());
  auto r =
      RestateStoredInventory(ctx.store, Data(ctx), State(ctx).vee(), WholeInventory(ctx), *pins);
  if (!r.ok()) return Fail(ctx, r.error());
  return Json(200, *r);
}

// --- assignments and consents -------------------------------------------------

ApiResponse AssignRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"verifier"}));
  auto verifier = StringField(ctx.body, "verifier", true);
  if (!verifier.ok()) return Fail(ctx, verifier.error());
  const std::string& y = ctx.path["year"];
  if (y.size() != 4 ||
      !std::all_of(y.begin(), y.end(), [](unsigned char c) { return c >= '0' && c <= '9'; }))
    return Problem(422, "Invalid input", "year must be four digits", ctx.req.target, "year");
  const int year = std::stoi(y);
  if (year < 1990 || year > 2100)
    return Problem(422, "Invalid input", "year must be between 1990 and 2100", ctx.req.target,
                   "year");
  AssignmentRecord a{ctx.unit->id, year, *verifier, "", ""};
  auto st = ctx.store.Access().AssignVerifier(a, ctx.actor);
  if (!st.ok()) {
    Error e = st.error();
    if (e.kind() == ErrorKind::kInvalidInput)
      e = Error::InvalidInput(e.message(), {"", 0, 0, "verifier"});
    return Fail(ctx, e);
  }
  return Json(200, {{"unit", a.unit_id}, {"year", a.year}, {"verifier", a.verifier}});
}

ApiResponse ListAssignmentsRoute(Ctx& ctx) {
  auto all = ctx.store.Access().ListAssignments();
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& a : *all) {
    bool mine = Programme(ctx.who) ||
                (ctx.who.role == Role::kVerifier && a.verifier == ctx.who.login) ||
                ((ctx.who.role == Role::kUnitManager || ctx.who.role == Role::kUnitMember) &&
                 MayWriteUnit(ctx, a.unit_id));
    if (mine)
      out.push_back({{"unit", a.unit_id},
                     {"year", a.year},
                     {"verifier", a.verifier},
                     {"assigned_at", a.assigned_at},
                     {"assigned_by", a.assigned_by}});
  }
  return Json(200, {{"assignments", out}});
}

ApiResponse ListConsentsRoute(Ctx& ctx) {
  auto all = ctx.store.Access().ListConsents();
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& c : *all)
    if (VisibleConsent(ctx, c)) out.push_back(ConsentJson(c, ctx.now));
  return Json(200, {{"consents", out}});
}

ApiResponse GrantConsentRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"unit", "bank", "scopes", "year_from", "year_to", "expires"}));
  ConsentRecord c;
  auto unit = StringField(ctx.body, "unit", true);
  if (!unit.ok()) return Fail(ctx, unit.error());
  if (!MayWriteUnit(ctx, *unit) || Programme(ctx.who))
    return Fail(ctx, Error::NotFound("unit '" + *unit + "' does not exist"));
  c.unit_id = *unit;
  auto bank = StringField(ctx.body, "bank", true);
  if (!bank.ok()) return Fail(ctx, bank.error());
  c.bank = *bank;
  auto scopes = ctx.body.find("scopes");
  if (scopes == ctx.body.end() || !scopes->is_array() || scopes->empty())
    return Fail(ctx, Error::InvalidInput("scopes must be a non-empty array of: totals, "
                                         "intensities, licence, readings",
                                         {"", 0, 0, "scopes"}));
  for (size_t i = 0; i < scopes->size(); ++i) {
    const json& s = (*scopes)[i];
    const auto& known = ConsentScopes();
    if (!s.is_string() ||
        std::find(known.begin(), known.end(), s.get<std::string>()) == known.end())
      return Fail(ctx,
                  Error::InvalidInput("unknown scope; use totals, intensities, licence or readings",
                                      {"", 0, 0, "scopes/" + std::to_string(i)}));
    c.scopes.push_back(s.get<std::string>());
  }
  auto from = IntField(ctx.body, "year_from", true, 1990, 2100);
  if (!from.ok()) return Fail(ctx, from.error());
  auto to = IntField(ctx.body, "year_to", true, 1990, 2100);
  if (!to.ok()) return Fail(ctx, to.error());
  if (*to < *from)
    return Fail(ctx, Error::InvalidInput("year_to is before year_from", {"", 0, 0, "year_to"}));
  c.year_from = static_cast<int>(*from);
  c.year_to = static_cast<int>(*to);
  auto expires = StringField(ctx.body, "expires", true);
  if (!expires.ok()) return Fail(ctx, expires.error());
  auto date = ParseDate(*expires);
  if (!date.ok())
    return Fail(ctx,
                Error::InvalidInput("expires must be a date YYYY-MM-DD", {"", 0, 0, "expires"}));
  c.expires_at = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::sys_days(*date).time_since_epoch())
                     .count() +
                 86400;  // through the end of that day, UTC
  if (c.expires_at <= ctx.now)
    return Fail(ctx, Error::InvalidInput("expires is in the past", {"", 0, 0, "expires"}));
  auto id = ctx.store.Access().CreateConsent(c, ctx.actor);
  if (!id.ok()) return Fail(ctx, id.error());
  c.id = *id;
  c.created_by = ctx.actor.user;
  c.created_at = NowUtc();
  return Json(201, ConsentJson(c, ctx.now));
}

ApiResponse RevokeConsentRoute(Ctx& ctx) {
  if (!MayWriteUnit(ctx, ctx.consent->unit_id) || Programme(ctx.who))
    return Fail(ctx, Error(ErrorKind::kForbidden, "only the unit revokes its consent"));
  CL_API_TRY(ctx.store.Access().RevokeConsent(ctx.consent->id, ctx.now, ctx.actor));
  return NoContent();
}

// --- reference data, audit, operations ------------------------------------------

ApiResponse ListDatasetsRoute(Ctx& ctx) {
  json out = json::array();
  for (const auto& [id, versions] : Data(ctx).library.all())
    for (const auto& d : versions)
      out.push_back({{"id", d->info().id},
                     {"version", d->info().version},
                     {"title", d->info().title},
                     {"published", d->info().published},
                     {"rows", d->rows().size()}});
  return Json(200, {{"datasets", out}});
}

ApiResponse GetDatasetRoute(Ctx& ctx) {
  const Dataset* d = Data(ctx).library.Find(ctx.path["dataset"], ctx.path["version"]);
  if (!d)
    return Fail(ctx, Error::NotFound("no dataset " + ctx.path["dataset"] + " version " +
                                     ctx.path["version"]));
  json rows = json::array();
  for (const auto& r : d->rows()) {
    json j = {{"key", r.key},
              {"parameter", r.parameter},
              {"value", r.value.value},
              {"unit", r.value.unit.symbol},
              {"region", r.region},
              {"source", r.source},
              {"confidence", std::string(1, r.confidence)}};
    if (r.valid_from) j["valid_from"] = FormatDate(*r.valid_from);
    if (r.valid_to) j["valid_to"] = FormatDate(*r.valid_to);
    rows.push_back(j);
  }
  return Json(200, {{"id", d->info().id},
                    {"version", d->info().version},
                    {"title", d->info().title},
                    {"published", d->info().published},
                    {"notes", d->info().notes},
                    {"rows", rows}});
}

ApiResponse PublishDatasetRoute(Ctx& ctx) {
  DatasetVersionRecord r;
  r.dataset = ctx.path["dataset"];
  r.version = ctx.path["version"];
  r.title = ctx.Query("title");
  r.published = ctx.Query("published");
  r.notes = ctx.Query("notes");
  if (r.title.empty() || r.title.size() > 500)
    return Problem(422, "Invalid input", "title (a query parameter) is required", ctx.req.target,
                   "title");
  if (!r.published.empty() && !ParseDate(r.published).ok())
    return Problem(422, "Invalid input", "published must be a date YYYY-MM-DD", ctx.req.target,
                   "published");
  auto rows = ReadFile(ctx.req.body_file);
  if (!rows.ok()) return Fail(ctx, rows.error());
  r.rows_csv = std::move(*rows);
  ErrorList errors = CheckDatasetVersion(Data(ctx), r);
  if (!errors.empty()) {
    const Error& first = errors.errors().front();
    ApiResponse res = ProblemFrom(Error(first.kind(), errors.ToString(), first.where()),
                                  ctx.req.target.substr(0, ctx.req.target.find('?')));
    return res;
  }
  CL_API_TRY(ctx.store.Datasets().AddDatasetVersion(r, ctx.actor));
  CL_API_TRY(State(ctx).Republish(ctx.store));
  const Dataset* d = State(ctx).Data()->library.Find(r.dataset, r.version);
  ApiResponse res = Json(201, {{"id", r.dataset},
                               {"version", r.version},
                               {"title", r.title},
                               {"published", r.published},
                               {"rows", d ? d->rows().size() : 0}});
  res.headers.emplace_back("Location", "/api/v1/datasets/" + r.dataset + "/" + r.version);
  return res;
}

ApiResponse ListMethodologiesRoute(Ctx& ctx) {
  json out = json::array();
  for (const auto& p : Data(ctx).profiles)
    out.push_back({{"id", p.id},
                   {"name_zh", p.name_zh},
                   {"name_en", p.name_en},
                   {"basis", p.basis},
                   {"gwp_set", p.gwp_set},
                   {"scope2_headline", p.headline_market ? "market" : "location"}});
  return Json(200, {{"methodologies", out}});
}

ApiResponse AuditRoute(Ctx& ctx) {
  int64_t after = 0, limit = 100;
  try {
    if (auto a = ctx.Query("after"); !a.empty()) after = std::stoll(a);
    if (auto l = ctx.Query("limit"); !l.empty()) limit = std::stoll(l);
  } catch (const std::exception&) {
    return Problem(422, "Invalid input", "after and limit must be integers", ctx.req.target,
                   "after");
  }
  limit = std::clamp<int64_t>(limit, 1, 1000);
  auto entries = ctx.store.Audit().ListAudit(std::max<int64_t>(after, 0), static_cast<int>(limit));
  if (!entries.ok()) return Fail(ctx, entries.error());
  json out = json::array();
  for (const auto& e : *entries)
    out.push_back({{"seq", e.seq},
                   {"at", e.at},
                   {"actor", e.actor},
                   {"origin", e.origin},
                   {"action", e.action},
                   {"entity", e.entity},
                   {"entity_id", e.entity_id},
                   {"before", e.before},
                   {"after", e.after},
                   {"reason", e.reason},
                   {"hash", e.hash}});
  return Json(200, {{"entries", out}});
}

ApiResponse AuditVerifyRoute(Ctx& ctx) {
  auto check = ctx.store.Audit().VerifyAudit();
  if (!check.ok()) return Fail(ctx, check.error());
  return Json(200, {{"entries", check->entries},
                    {"intact", check->problems.empty()},
                    {"problems", check->problems}});
}

ApiResponse HealthRoute(Ctx& ctx) {
  auto v = ctx.store.SchemaVersion();
  if (!v.ok()) return Problem(503, "Unavailable", "the store does not answer", "/healthz");
  return Json(200, {{"status", "ok"}, {"store", ctx.store.Kind()}, {"schema", *v}});
}

ApiResponse MetricsRoute(Ctx& ctx) {
  return {200, "text/plain; version=0.0.4", State(ctx).metrics().Render(), {}};
}

ApiResponse OpenApiRoute(Ctx&) { return RawJson(200, OpenApiDocument()); }

}  // namespace

ApiResponse Fail(const Ctx& ctx, const Error& e) {
  return ProblemFrom(e, ctx.req.target.substr(0, ctx.req.target.find('?')));
}

json UnitJson(const UnitRecord& u) {
  return {{"id", u.id},
          {"credit_code", u.credit_code},
          {"name_zh", u.name_zh},
          {"name_en", u.name_en},
          {"province", u.province},
          {"city", u.city},
          {"district", u.district},
          {"industry_code", u.industry_code}};
}

json InventorySummary(const InventoryRecord& inv) {
  return {{"id", inv.id},
          {"unit", inv.unit_id},
          {"year", inv.year},
          {"methodology", inv.methodology},
          {"status", InventoryStatusName(inv.status)},
          {"version", inv.version},
          {"supersedes", inv.supersedes},
          {"datasets", json::parse(inv.pins, nullptr, false)},
          {"created_at", inv.created_at},
          {"created_by", inv.created_by}};
}

const std::vector<Route>& Routes() {
  constexpr uint32_t kAnyone = kPublic;
  constexpr uint32_t kWriters = kProgramme | kUnitPeople;
  constexpr uint32_t kReaders = kProgramme | kUnitPeople | kVerifier;
  static const std::vector<Route> routes = {
      // operations
      {"GET", "/healthz", "health", "check health", kAnyone, Tenant::kNone, "", "", HealthRoute},
      {"GET", "/metrics", "metrics", "read metrics", kAnyone, Tenant::kNone, "", "", MetricsRoute},
      {"GET", "/api/v1/openapi.json", "openapi", "read the API description", kAnyone, Tenant::kNone,
       "", "", OpenApiRoute},
      // identity
      {"POST", "/api/v1/session", "signIn", "sign in", kAnyone, Tenant::kNone, "", "json",
       SignInRoute},
      {"GET", "/api/v1/session", "getSession", "read the session", kSignedIn | kToken,
       Tenant::kNone, "", "", SessionRoute},
      {"DELETE", "/api/v1/session", "signOut", "sign out", kSignedIn, Tenant::kNone, "", "",
       SignOutRoute},
      {"POST", "/api/v1/users", "createUser", "create users", kAdmin, Tenant::kNone, "", "json",
       CreateUserRoute},
      {"GET", "/api/v1/tokens", "listTokens", "list API tokens", kAdmin | kManager, Tenant::kNone,
       "", "", ListTokensRoute},
      {"POST", "/api/v1/tokens", "issueToken", "issue API tokens", kAdmin | kManager, Tenant::kNone,
       "", "json", IssueTokenRoute},
      {"DELETE", "/api/v1/tokens/{id}", "revokeToken", "revoke API tokens", kAdmin | kManager,
       Tenant::kToken, "", "", RevokeTokenRoute},
      // registry
      {"GET", "/api/v1/units", "listUnits", "list units", kSignedIn, Tenant::kNone, "totals", "",
       ListUnitsRoute},
      {"GET", "/api/v1/units/{unit}", "getUnit", "read units", kSignedIn, Tenant::kUnit, "totals",
       "", GetUnitRoute},
      {"PUT", "/api/v1/units/{unit}", "putUnit", "register units", kProgramme, Tenant::kNone, "",
       "json", PutUnitRoute},
      {"GET", "/api/v1/units/{unit}/sites", "listSites", "list sites", kReaders, Tenant::kUnit, "",
       "", ListSitesRoute},
      {"PUT", "/api/v1/units/{unit}/sites/{site}", "putSite", "register sites",
       kProgramme | kManager, Tenant::kUnit, "", "json", PutSiteRoute},
      {"GET", "/api/v1/units/{unit}/meters", "listMeters", "list meters", kReaders | kBank,
       Tenant::kUnit, "readings", "", ListMetersRoute},
      {"GET", "/api/v1/units/{unit}/meters/{meter}", "getMeter", "read meters", kReaders | kBank,
       Tenant::kUnit, "readings", "", GetMeterRoute},
      {"GET", "/api/v1/units/{unit}/meters/{meter}/readings", "meterReadings", "read readings",
       kReaders | kBank, Tenant::kUnit, "readings", "", MeterReadingsRoute},
      {"PUT", "/api/v1/units/{unit}/meters/{meter}", "putMeter", "register meters",
       kProgramme | kManager, Tenant::kUnit, "", "json", PutMeterRoute},
      {"GET", "/api/v1/units/{unit}/activities", "listActivities", "list activity records",
       kReaders, Tenant::kUnit, "", "", ListActivitiesRoute},
      // imports
      {"POST", "/api/v1/readings", "importReadings", "import readings", kWriters | kToken,
       Tenant::kNone, "", "upload", ImportReadingsRoute},
      {"POST", "/api/v1/activities", "importActivities", "import activity records",
       kWriters | kToken, Tenant::kNone, "", "upload", ImportActivitiesRoute},
      {"GET", "/api/v1/batches", "listBatches", "list import batches", kWriters | kToken,
       Tenant::kNone, "", "", ListBatchesRoute},
      {"GET", "/api/v1/batches/{id}", "getBatch", "read import batches", kWriters | kToken,
       Tenant::kBatch, "", "", GetBatchRoute},
      {"GET", "/api/v1/batches/{id}/rejects", "listRejects", "read rejected rows",
       kWriters | kToken, Tenant::kBatch, "", "", ListRejectsRoute},
      // inventories
      {"GET", "/api/v1/inventories", "listInventories", "list inventories", kAnyone, Tenant::kNone,
       "", "", ListInventoriesRoute},
      {"POST", "/api/v1/inventories", "computeInventory", "compute inventories", kWriters,
       Tenant::kNone, "", "json", CreateInventoryRoute},
      {"GET", "/api/v1/inventories/{id}", "getInventory", "read inventories", kAnyone,
       Tenant::kInventory, "totals", "", GetInventoryRoute},
      {"GET", "/api/v1/inventories/{id}/explanation", "explainInventory", "explain inventories",
       kReaders, Tenant::kInventory, "", "", ExplainInventoryRoute},
      {"POST", "/api/v1/inventories/{id}/submit", "submitInventory", "submit inventories",
       kAdmin | kManager, Tenant::kInventory, "", "json", SubmitRoute},
      {"POST", "/api/v1/inventories/{id}/verify", "verifyInventory", "verify inventories",
       kVerifier, Tenant::kInventory, "", "json", VerifyRoute},
      {"POST", "/api/v1/inventories/{id}/return", "returnInventory", "return inventories",
       kVerifier, Tenant::kInventory, "", "json", ReturnRoute},
      {"POST", "/api/v1/inventories/{id}/publish", "publishInventory", "publish inventories",
       kProgramme, Tenant::kInventory, "", "json", PublishRoute},
      {"POST", "/api/v1/inventories/{id}/corrections", "correctInventory", "correct inventories",
       kWriters, Tenant::kInventory, "", "json", CorrectRoute},
      {"POST", "/api/v1/inventories/{id}/restatement", "restateInventory", "restate inventories",
       kReaders, Tenant::kInventory, "", "json", RestateRoute},
      // verifiers and banks
      {"GET", "/api/v1/assignments", "listAssignments", "list verifier assignments", kReaders,
       Tenant::kNone, "", "", ListAssignmentsRoute},
      {"PUT", "/api/v1/assignments/{unit}/{year}", "assignVerifier", "assign verifiers", kProgramme,
       Tenant::kAssignment, "", "json", AssignRoute},
      {"GET", "/api/v1/consents", "listConsents", "list bank consents",
       kProgramme | kUnitPeople | kBank, Tenant::kNone, "", "", ListConsentsRoute},
      {"POST", "/api/v1/consents", "grantConsent", "grant bank consents", kManager, Tenant::kNone,
       "", "json", GrantConsentRoute},
      {"DELETE", "/api/v1/consents/{id}", "revokeConsent", "revoke bank consents", kManager,
       Tenant::kConsent, "", "", RevokeConsentRoute},
      // the programme office's views (programme_routes.cpp)
      {"GET", "/api/v1/overview", "cityOverview", "read the city overview", kAnyone, Tenant::kNone,
       "", "", OverviewRoute},
      {"GET", "/api/v1/completeness", "meterCompleteness", "read the completeness of readings",
       kProgramme | kUnitPeople, Tenant::kNone, "", "", CompletenessRoute},
      // reference data and the audit log
      {"GET", "/api/v1/datasets", "listDatasets", "list reference datasets", kAnyone, Tenant::kNone,
       "", "", ListDatasetsRoute},
      {"GET", "/api/v1/datasets/{dataset}/{version}", "getDataset", "read reference datasets",
       kAnyone, Tenant::kNone, "", "", GetDatasetRoute},
      {"PUT", "/api/v1/datasets/{dataset}/{version}", "publishDataset",
       "publish reference dataset versions", kAdmin, Tenant::kNone, "", "upload",
       PublishDatasetRoute},
      {"GET", "/api/v1/methodologies", "listMethodologies", "list methodologies", kAnyone,
       Tenant::kNone, "", "", ListMethodologiesRoute},
      {"GET", "/api/v1/audit", "listAudit", "read the audit log", kProgramme, Tenant::kNone, "", "",
       AuditRoute},
      {"GET", "/api/v1/audit/verification", "verifyAudit", "verify the audit log", kProgramme,
       Tenant::kNone, "", "", AuditVerifyRoute},
  };
  return routes;
}

}  // namespace cl::api
