// Operations: health, metrics, the API description, and the audit log.
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

ApiResponse AuditRoute(Ctx& ctx);
ApiResponse AuditVerifyRoute(Ctx& ctx);
ApiResponse AuditCheckpointRoute(Ctx& ctx);
ApiResponse HealthRoute(Ctx& ctx);
ApiResponse MetricsRoute(Ctx& ctx);
ApiResponse OpenApiRoute(Ctx& /*unused*/);

}  // namespace

std::vector<Route> OpsRoutes() {
  return {
      {"GET", "/healthz", "health", "check health", kAnyone, nullptr, "", "", HealthRoute},
      {"GET", "/metrics", "metrics", "read metrics", kAnyone, nullptr, "", "", MetricsRoute},
      {"GET", "/api/v1/openapi.json", "openapi", "read the API description", kAnyone, nullptr, "",
       "", OpenApiRoute},
      {"GET", "/api/v1/audit", "listAudit", "read the audit log", kProgramme, nullptr, "", "",
       AuditRoute},
      {"GET", "/api/v1/audit/verification", "verifyAudit", "verify the audit log", kProgramme,
       nullptr, "", "", AuditVerifyRoute},
      {"GET", "/api/v1/audit/checkpoint", "auditCheckpoint",
       "read the latest signed checkpoint of the audit log", kAnyone, nullptr, "", "",
       AuditCheckpointRoute},
  };
}

namespace {

ApiResponse AuditRoute(Ctx& ctx) {
  int64_t after = 0;
  int64_t limit = 100;
  try {
    if (auto a = ctx.Query("after"); !a.empty()) after = std::stoll(a);
    if (auto l = ctx.Query("limit"); !l.empty()) limit = std::stoll(l);
  } catch (const std::exception&) {
    return Problem(422, "Invalid input", "after and limit must be integers", ctx.req.target,
                   "after", "field.not_integer", {{"field", "after"}});
  }
  limit = std::clamp<int64_t>(limit, 1, 1000);
  auto entries = ListAudit(ctx.store, std::max<int64_t>(after, 0), static_cast<int>(limit));
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
  auto check = VerifyAudit(ctx.store, State(ctx).Anchor());
  if (!check.ok()) return Fail(ctx, check.error());
  return Json(200, {{"entries", check->entries},
                    {"intact", check->problems.empty()},
                    {"problems", check->problems}});
}

// Public: anyone may check the log's head against the programme's key offline.
ApiResponse AuditCheckpointRoute(Ctx& ctx) {
  const AuditAnchor* anchor = State(ctx).Anchor();
  if (anchor == nullptr)
    return Problem(503, "Service unavailable", "this server keeps no audit checkpoints",
                   ctx.req.target);
  auto last = LatestAuditCheckpoint(*anchor);
  if (!last.ok()) return Fail(ctx, last.error());
  if (!*last) return Problem(404, "Not found", "no audit checkpoint yet", ctx.req.target);
  const AuditCheckpoint& c = **last;
  return Json(200, {{"store", c.store},
                    {"seq", c.seq},
                    {"hash", c.hash},
                    {"at", c.at},
                    {"public_key", c.public_key},
                    {"signature", c.signature},
                    {"signed", AuditCheckpointMessage(c)}});
}

ApiResponse HealthRoute(Ctx& ctx) {
  auto v = StorePool::SchemaVersion(ctx.store);
  if (!v.ok()) return Problem(503, "Unavailable", "the store does not answer", "/healthz");
  return Json(200, {{"status", "ok"}, {"store", StorePool::Kind(ctx.store)}, {"schema", *v}});
}

ApiResponse MetricsRoute(Ctx& ctx) {
  std::string text = State(ctx).metrics().Render();
  // How often a read had to compute an inventory again to tell whether the
  // data under it changed (inventory/data_changes.h): once per inventory and
  // write, the rest are kept.
  text +=
      "# HELP carbonledger_inventory_data_checks_total Inventories computed again on read to "
      "check the data under them.\n"
      "# TYPE carbonledger_inventory_data_checks_total counter\n"
      "carbonledger_inventory_data_checks_total " +
      std::to_string(State(ctx).DataChanges().computed()) + "\n";
  return {200, "text/plain; version=0.0.4", std::move(text), {}};
}

ApiResponse OpenApiRoute(Ctx& /*unused*/) { return RawJson(200, OpenApiDocument()); }

}  // namespace
}  // namespace cl::api
