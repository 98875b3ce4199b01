// Bank consents: granted by a unit's manager, listed, revoked.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

#include "api_impl.h"
#include "core/timestamp.h"
#include "server/openapi.h"

namespace cl::api {
namespace {

ApiResponse ListConsentsRoute(Ctx& ctx);
ApiResponse GrantConsentRoute(Ctx& ctx);
ApiResponse RevokeConsentRoute(Ctx& ctx);
ApiResponse ListBanksRoute(Ctx& ctx);
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
      {"GET", "/api/v1/banks", "listBanks", "list the registered banks", kProgramme | kManager,
       nullptr, "", "", ListBanksRoute},
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
Status ConsentTenant(Ctx& ctx, const Route& /*unused*/) {
  const std::string& text = ctx.path["id"];
  auto id = PathId(text);
  auto all = ListConsents(ctx.store);
  if (!all.ok()) return all.error();
  for (const auto& c : *all)
    if (id && c.id == *id && VisibleConsent(ctx, c)) {
      ctx.resource = c;
      return Ok{};
    }
  return Hidden("consent '" + text + "'", "consent.not_found", {{"id", text}});
}

ApiResponse ListConsentsRoute(Ctx& ctx) {
  auto all = ListConsents(ctx.store);
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& c : *all)
    if (VisibleConsent(ctx, c)) out.push_back(ConsentJson(c, ctx.now));
  return Json(200, {{"consents", out}});
}

// Years are checked by the use case (GrantConsent), not here.
constexpr std::pair<int64_t, int64_t> kAnyInt = {std::numeric_limits<int64_t>::min(),
                                                 std::numeric_limits<int64_t>::max()};

ApiResponse GrantConsentRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"unit", "bank", "scopes", "year_from", "year_to", "expires"}));
  ConsentGrant grant;
  CL_API_ASSIGN(grant.unit_id, StringField(ctx.body, "unit", true));
  if (!MayWriteUnit(ctx, grant.unit_id) || Programme(ctx.who))
    return Fail(ctx, Error::NotFound("unit '" + grant.unit_id + "' does not exist")
                         .WithCode("unit.not_found", {{"unit", grant.unit_id}}));
  CL_API_ASSIGN(grant.bank, StringField(ctx.body, "bank", true));
  CL_API_ASSIGN(grant.scopes, StringArrayField(ctx.body, "scopes"));
  CL_API_ASSIGN(grant.year_from,
                IntField(ctx.body, "year_from", true, kAnyInt.first, kAnyInt.second));
  CL_API_ASSIGN(grant.year_to, IntField(ctx.body, "year_to", true, kAnyInt.first, kAnyInt.second));
  CL_API_ASSIGN(grant.expires, StringField(ctx.body, "expires", true));
  auto c = GrantConsent(ctx.store, grant, ctx.now, ctx.actor);
  if (!c.ok()) return Fail(ctx, c.error());
  return Json(201, ConsentJson(*c, ctx.now));
}

// The banks a consent may name (RegisteredBanks), for the unit's manager to
// choose from.
ApiResponse ListBanksRoute(Ctx& ctx) {
  auto banks = RegisteredBanks(ctx.store);
  if (!banks.ok()) return Fail(ctx, banks.error());
  json out = json::array();
  for (const auto& name : *banks) out.push_back({{"name", name}});
  return Json(200, {{"banks", out}});
}

ApiResponse RevokeConsentRoute(Ctx& ctx) {
  if (!MayWriteUnit(ctx, ctx.Loaded<ConsentRecord>().unit_id) || Programme(ctx.who))
    return Fail(
        ctx,
        Error::Forbidden("only the unit revokes its consent").WithCode("consent.revoke_not_unit"));
  CL_API_TRY(RevokeConsent(ctx.store, ctx.Loaded<ConsentRecord>().id, ctx.now, ctx.actor));
  return NoContent();
}

}  // namespace
}  // namespace cl::api
