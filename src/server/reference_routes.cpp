// Reference datasets (read, and new versions published by the admin) and methodologies.
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

ApiResponse ListDatasetsRoute(Ctx& ctx);
ApiResponse GetDatasetRoute(Ctx& ctx);
ApiResponse PublishDatasetRoute(Ctx& ctx);
ApiResponse ListMethodologiesRoute(Ctx& ctx);

}  // namespace

std::vector<Route> ReferenceRoutes() {
  return {
      {"GET", "/api/v1/datasets", "listDatasets", "list reference datasets", kAnyone, nullptr, "",
       "", ListDatasetsRoute},
      {"GET", "/api/v1/datasets/{dataset}/{version}", "getDataset", "read reference datasets",
       kAnyone, nullptr, "", "", GetDatasetRoute},
      {"PUT", "/api/v1/datasets/{dataset}/{version}", "publishDataset",
       "publish reference dataset versions", kAdmin, nullptr, "", "upload", PublishDatasetRoute},
      {"GET", "/api/v1/methodologies", "listMethodologies", "list methodologies", kAnyone, nullptr,
       "", "", ListMethodologiesRoute},
  };
}

namespace {

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
    return Fail(
        ctx,
        Error::NotFound("no dataset " + ctx.path["dataset"] + " version " + ctx.path["version"])
            .WithCode("inventory.dataset_missing",
                      {{"dataset", ctx.path["dataset"]}, {"version", ctx.path["version"]}}));
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
                   "title", "field.required", {{"field", "title"}});
  if (!r.published.empty() && !ParseDate(r.published).ok())
    return Problem(422, "Invalid input", "published must be a date YYYY-MM-DD", ctx.req.target,
                   "published", "field.not_date", {{"field", "published"}});
  auto rows = ReadFile(ctx.req.body_file);
  if (!rows.ok()) return Fail(ctx, rows.error());
  r.rows_csv = std::move(*rows);
  ErrorList errors = CheckDatasetVersion(Data(ctx), r);
  if (!errors.empty()) return Fail(ctx, Error::Several(errors));
  CL_API_TRY(AddDatasetVersion(ctx.store, r, ctx.actor));
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

}  // namespace
}  // namespace cl::api
