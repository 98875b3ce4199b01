// What several resources' handlers share: JSON of records, request fields, answers.
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

std::string FormatUtc(int64_t seconds) {
  return FormatInstant(Instant{std::chrono::seconds(seconds)});
}

ApiResponse NoContent() { return {204, "", "", {}}; }

// The caller may write data of this unit (programme roles: any unit).
bool MayWriteUnit(const Ctx& ctx, const std::string& unit_id) {
  if (Programme(ctx.who)) return true;
  return std::find(ctx.who.units.begin(), ctx.who.units.end(), unit_id) != ctx.who.units.end();
}

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
          {"industry_code", u.industry_code},
          {"floor_area_m2", u.floor_area_m2 ? json(*u.floor_area_m2) : json(nullptr)}};
}

json InventorySummary(const InventoryRecord& inv) {
  json j = {{"id", inv.id},
            {"unit", inv.unit_id},
            {"year", inv.year},
            {"methodology", inv.methodology},
            {"status", InventoryStatusName(inv.status)},
            {"version", inv.version},
            {"supersedes", inv.supersedes},
            {"datasets", json::parse(inv.pins, nullptr, false)},
            {"created_at", inv.created_at},
            {"created_by", inv.created_by}};
  if (!inv.reason.empty()) j["reason"] = inv.reason;
  if (!inv.submitted_at.empty()) j["submitted_at"] = inv.submitted_at;
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

}  // namespace cl::api
