// Bank consents: granted by a unit's manager, listed, revoked.
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

ApiResponse ListConsentsRoute(Ctx& ctx);
ApiResponse GrantConsentRoute(Ctx& ctx);
ApiResponse RevokeConsentRoute(Ctx& ctx);
Status ConsentTenant(Ctx& ctx, const Route& route);

}  // namespace

std::vector<Route> ConsentRoutes() {
  return {
      {"GET", "/api/v1/consents", "listConsents", "list bank consents",
       kProgramme | kUnitPeople | kBank, nullptr, "", "", ListConsentsRoute},
      {"POST", "/api/v1/consents", "grantConsent", "grant bank consents", kManager, nullptr, "",
       "json", GrantConsentRoute},
      {"DELETE", "/api/v1/consents/{id}", "revokeConsent", "revoke bank consents", kManager,
       ConsentTenant, "", "", RevokeConsentRoute},
  };
}

namespace {

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

// {id} of a consent: visible to its unit's people, its bank and the programme.
Status ConsentTenant(Ctx& ctx, const Route&) {
  const std::string& text = ctx.path["id"];
  auto id = PathId(text);
  auto all = ListConsents(ctx.store);
  if (!all.ok()) return all.error();
  for (const auto& c : *all)
    if (id && c.id == *id && VisibleConsent(ctx, c)) {
      ctx.resource = c;
      return Ok{};
    }
  return Hidden("consent '" + text + "'");
}

ApiResponse ListConsentsRoute(Ctx& ctx) {
  auto all = ListConsents(ctx.store);
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
  auto id = CreateConsent(ctx.store, c, ctx.actor);
  if (!id.ok()) return Fail(ctx, id.error());
  c.id = *id;
  c.created_by = ctx.actor.user;
  c.created_at = NowUtc();
  return Json(201, ConsentJson(c, ctx.now));
}

ApiResponse RevokeConsentRoute(Ctx& ctx) {
  if (!MayWriteUnit(ctx, ctx.Loaded<ConsentRecord>().unit_id) || Programme(ctx.who))
    return Fail(ctx, Error::Forbidden("only the unit revokes its consent"));
  CL_API_TRY(RevokeConsent(ctx.store, ctx.Loaded<ConsentRecord>().id, ctx.now, ctx.actor));
  return NoContent();
}

}  // namespace
}  // namespace cl::api
