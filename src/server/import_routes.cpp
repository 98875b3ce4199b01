// Imports of readings and activity records, their batches and rejected rows.
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

ApiResponse ImportReadingsRoute(Ctx& ctx);
ApiResponse ImportActivitiesRoute(Ctx& ctx);
ApiResponse ListBatchesRoute(Ctx& ctx);
ApiResponse GetBatchRoute(Ctx& ctx);
ApiResponse ListRejectsRoute(Ctx& ctx);
// A page of rejects: at most this many (the API's limit).
constexpr int64_t kRejectsPage = 1000;
Status BatchTenant(Ctx& ctx, const Route& route);

}  // namespace

std::vector<Route> ImportRoutes() {
  return {
      {"POST", "/api/v1/readings", "importReadings", "import readings", kWriters | kToken, nullptr,
       "", "upload", ImportReadingsRoute},
      {"POST", "/api/v1/activities", "importActivities", "import activity records",
       kWriters | kToken, nullptr, "", "upload", ImportActivitiesRoute},
      {"GET", "/api/v1/batches", "listBatches", "list import batches", kWriters | kToken, nullptr,
       "", "", ListBatchesRoute},
      {"GET", "/api/v1/batches/{id}", "getBatch", "read import batches", kWriters | kToken,
       BatchTenant, "", "", GetBatchRoute},
      {"GET", "/api/v1/batches/{id}/rejects", "listRejects", "read rejected rows",
       kWriters | kToken, BatchTenant, "", "", ListRejectsRoute},
  };
}

namespace {

// {id} of an import batch: its maker's, the programme's, and a unit's people's
// when sent with their unit's API token.
Status BatchTenant(Ctx& ctx, const Route& /*unused*/) {
  const std::string& text = ctx.path["id"];
  auto id = PathId(text);
  if (!id) return Hidden("batch '" + text + "'", "import.batch_not_found", {{"id", text}});
  auto b = GetBatch(ctx.store, *id);
  if (!b.ok()) return b.error();
  if (!b->has_value() || !VisibleBatch(ctx, **b))
    return Hidden("batch " + text, "import.batch_not_found", {{"id", text}});
  ctx.resource = std::move(**b);
  return Ok{};
}

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
    return Problem(422, "Invalid input", "format must be csv or jsonl", ctx.req.target, "format",
                   "import.bad_format", {{"field", "format"}});
  std::string profile = ctx.Query("profile");
  if (!profile.empty()) {
    auto saved = GetMappingProfile(ctx.store, profile, "readings");
    if (!saved.ok()) return Fail(ctx, saved.error());
    if (!saved->has_value())
      return Problem(404, "Not found", "no mapping profile '" + profile + "'", ctx.req.target,
                     "profile", "import.no_profile", {{"profile", profile}});
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
  auto all = ListBatches(ctx.store);
  if (!all.ok()) return Fail(ctx, all.error());
  json out = json::array();
  for (const auto& b : *all)
    if (VisibleBatch(ctx, b)) out.push_back(BatchJson(b));
  return Json(200, {{"batches", out}});
}

ApiResponse GetBatchRoute(Ctx& ctx) { return Json(200, BatchJson(ctx.Loaded<BatchRecord>())); }

// A whole number query parameter within [min, max], or `fallback` when absent.
Result<int64_t> WholeQuery(const Ctx& ctx, const std::string& name, int64_t fallback, int64_t min,
                           int64_t max) {
  const std::string text = ctx.Query(name);
  if (text.empty()) return fallback;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max)
    return FieldError(
        name, "field.out_of_range",
        name + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max),
        {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
  return v;
}

ApiResponse ListRejectsRoute(Ctx& ctx) {
  const auto& batch = ctx.Loaded<BatchRecord>();
  const bool csv_file = ctx.Query("format") == "csv";
  int64_t offset = 0;
  int64_t limit = 0;
  CL_API_ASSIGN(offset, WholeQuery(ctx, "offset", 0, 0, kMaxRejectsKept));
  CL_API_ASSIGN(limit, WholeQuery(ctx, "limit", kRejectsPage, 1, kRejectsPage));
  // The CSV file is every kept reject (at most kMaxRejectsKept rows); a JSON
  // page one more than asked, to know whether another follows.
  auto all = csv_file ? ListRejects(ctx.store, batch.id)
                      : ListRejectsPage(ctx.store, batch.id, offset, static_cast<int>(limit + 1));
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
    res.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"batch-" +
                                 std::to_string(ctx.Loaded<BatchRecord>().id) + "-rejects.csv\"");
    return res;
  }
  const bool more = static_cast<int64_t>(all->size()) > limit;
  if (more) all->pop_back();
  json out = json::array();
  for (const auto& r : *all)
    out.push_back({{"file", r.file},
                   {"line", r.line},
                   {"column", r.column},
                   {"field", r.field},
                   {"kind", r.kind},
                   {"message", r.message}});
  json next = nullptr;
  if (more)
    next = "/api/v1/batches/" + std::to_string(batch.id) +
           "/rejects?offset=" + std::to_string(offset + limit) + "&limit=" + std::to_string(limit);
  return Json(200, {{"batch", batch.id},
                    {"rejected", batch.rejected},
                    {"offset", offset},
                    {"limit", limit},
                    {"next", next},
                    {"rejects", out}});
}

}  // namespace
}  // namespace cl::api
