// Inventories: computing, reading, explaining, the workflow (submit, verify, return,
// publish), corrections, restatements, and the verifiers assigned to them.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "api_impl.h"
#include "core/encoding.h"
#include "core/timestamp.h"
#include "ingest/activities_import.h"
#include "inventory/bank_view.h"
#include "inventory/stored_inventory.h"
#include "metering/metering.h"
#include "server/openapi.h"

namespace cl::api {
namespace {

ApiResponse ListInventoriesRoute(Ctx& ctx);
ApiResponse CreateInventoryRoute(Ctx& ctx);
ApiResponse GetInventoryRoute(Ctx& ctx);
ApiResponse ExplainInventoryRoute(Ctx& ctx);
ApiResponse SubmitRoute(Ctx& ctx);
ApiResponse VerifyRoute(Ctx& ctx);
ApiResponse ReturnRoute(Ctx& ctx);
ApiResponse PublishRoute(Ctx& ctx);
ApiResponse CorrectRoute(Ctx& ctx);
ApiResponse RestateRoute(Ctx& ctx);
ApiResponse AssignRoute(Ctx& ctx);
ApiResponse ListAssignmentsRoute(Ctx& ctx);
ApiResponse PutReportRoute(Ctx& ctx);
ApiResponse GetReportRoute(Ctx& ctx);
Status InventoryTenant(Ctx& ctx, const Route& route);
Status AssignmentTenant(Ctx& ctx, const Route& route);

}  // namespace

std::vector<Route> InventoryRoutes() {
  return {
      {"GET", "/api/v1/inventories", "listInventories", "list inventories", kAnyone, nullptr, "",
       "", ListInventoriesRoute},
      {"POST", "/api/v1/inventories", "computeInventory", "compute inventories", kWriters, nullptr,
       "", "json", CreateInventoryRoute},
      {"GET", "/api/v1/inventories/{id}", "getInventory", "read inventories", kAnyone,
       InventoryTenant, "totals", "", GetInventoryRoute},
      {"GET", "/api/v1/inventories/{id}/explanation", "explainInventory", "explain inventories",
       kReaders, InventoryTenant, "", "", ExplainInventoryRoute},
      {"POST", "/api/v1/inventories/{id}/submit", "submitInventory", "submit inventories",
       kAdmin | kManager, InventoryTenant, "", "json", SubmitRoute},
      {"POST", "/api/v1/inventories/{id}/verify", "verifyInventory", "verify inventories",
       kVerifier, InventoryTenant, "", "json", VerifyRoute},
      {"POST", "/api/v1/inventories/{id}/return", "returnInventory", "return inventories",
       kVerifier, InventoryTenant, "", "json", ReturnRoute},
      {"PUT", "/api/v1/inventories/{id}/report", "putReviewReport", "attach review reports",
       kVerifier, InventoryTenant, "", "upload", PutReportRoute},
      {"GET", "/api/v1/inventories/{id}/report", "getReviewReport", "read review reports", kReaders,
       InventoryTenant, "", "", GetReportRoute},
      {"POST", "/api/v1/inventories/{id}/publish", "publishInventory", "publish inventories",
       kProgramme, InventoryTenant, "", "json", PublishRoute},
      {"POST", "/api/v1/inventories/{id}/corrections", "correctInventory", "correct inventories",
       kWriters, InventoryTenant, "", "json", CorrectRoute},
      {"POST", "/api/v1/inventories/{id}/restatement", "restateInventory", "restate inventories",
       kReaders, InventoryTenant, "", "json", RestateRoute},
      {"GET", "/api/v1/assignments", "listAssignments", "list verifier assignments", kReaders,
       nullptr, "", "", ListAssignmentsRoute},
      {"PUT", "/api/v1/assignments/{unit}/{year}", "assignVerifier", "assign verifiers", kProgramme,
       AssignmentTenant, "", "json", AssignRoute},
  };
}

namespace {

// Dataset pins from a body field {"grid-electricity": "2024.12", ...}.
Result<DatasetPins> PinsField(const json& body, const char* name) {
  DatasetPins pins;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return pins;
  if (!it->is_object())
    return FieldError(name, "inventory.pins_not_object",
                      std::string(name) + " must be an object of dataset: version");
  for (const auto& [k, v] : it->items()) {
    if (!v.is_string())
      return FieldError(std::string(name) + "/" + k, "inventory.pin_not_string",
                        "a dataset version must be a string", {{"dataset", k}});
    pins[k] = v.get<std::string>();
  }
  return pins;
}

// {id} of an inventory: its head decides; the document comes from the cache
// of frozen inventories (decision 0007) or the store.
Status InventoryTenant(Ctx& ctx, const Route& route) {
  const std::string& text = ctx.path["id"];
  auto id = PathId(text);
  if (!id) return Hidden("inventory '" + text + "'", "inventory.not_found", {{"id", text}});
  auto inv = GetInventoryHead(ctx.store, *id);
  if (!inv.ok()) return inv.error();
  if (!inv->has_value() || !VisibleInventory(ctx, **inv, (route.allow & kPublic) != 0))
    return Hidden("inventory " + text, "inventory.not_found", {{"id", text}});
  auto doc = State(ctx).InventoryDocument(ctx.store, **inv);
  if (!doc.ok()) return doc.error();
  ctx.resource = LoadedInventory{std::move(**inv), std::move(*doc)};
  return Ok{};
}

// {unit} of an assignment: the unit, visible to the caller (no bank scope).
Status AssignmentTenant(Ctx& ctx, const Route& /*unused*/) {
  const std::string& id = ctx.path["unit"];
  auto u = GetUnit(ctx.store, id);
  if (!u.ok()) return u.error();
  if (!u->has_value() || !VisibleUnit(ctx, id, ""))
    return Hidden("unit '" + id + "'", "unit.not_found", {{"unit", id}});
  ctx.resource = std::move(**u);
  return Ok{};
}

bool IsBank(const Ctx& ctx) {
  return ctx.who.kind == Principal::Kind::kUser && ctx.who.role == Role::kBankAnalyst;
}

ApiResponse ListInventoriesRoute(Ctx& ctx) {
  auto all = ListInventorySummaries(ctx.store);
  if (!all.ok()) return Fail(ctx, all.error());
  std::string unit = ctx.Query("unit");
  std::string year = ctx.Query("year");
  std::string status = ctx.Query("status");
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
    return Fail(ctx, Error::NotFound("unit '" + *unit + "' does not exist")
                         .WithCode("unit.not_found", {{"unit", *unit}}));
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
  auto inv = GetInventory(ctx.store, *id);
  if (!inv.ok() || !inv->has_value()) return Fail(ctx, Error::Internal("read it back"));
  ApiResponse res = Json(201, InventorySummary(**inv));
  res.headers.emplace_back("Location", "/api/v1/inventories/" + std::to_string(*id));
  return res;
}

// The verifier's report file as the inventory describes it.
json ReportJson(const ReviewReport& r) {
  return {{"file_name", r.file_name},
          {"size_bytes", r.size_bytes},
          {"sha256", r.sha256},
          {"uploaded_by", r.uploaded_by},
          {"uploaded_at", r.uploaded_at}};
}

ApiResponse PutReportRoute(Ctx& ctx) {
  const InventoryRecord& inv = ctx.Loaded<LoadedInventory>().head;
  auto body = ReadFile(ctx.req.body_file);
  if (!body.ok()) return Fail(ctx, body.error());
  Status st =
      AttachReviewReport(ctx.store, inv.id, ctx.Query("file_name"), std::move(*body), ctx.actor);
  if (!st.ok()) return Fail(ctx, st.error());
  auto stored = GetReviewReport(ctx.store, inv.id, /*with_body=*/false);
  if (!stored.ok()) return Fail(ctx, stored.error());
  if (!stored->has_value()) return Fail(ctx, Error::Internal("the report was not kept"));
  return Json(201, ReportJson(**stored));
}

// RFC 6266 / RFC 8187: the file's own name, in UTF-8, percent-encoded.
std::string AttachmentHeader(const std::string& name) {
  std::string encoded;
  for (unsigned char c : name) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (plain || c == '.' || c == '-' || c == '_')
      encoded += static_cast<char>(c);
    else
      encoded += fmt::format("%{:02X}", c);
  }
  return "attachment; filename=\"report.pdf\"; filename*=UTF-8''" + encoded;
}

ApiResponse GetReportRoute(Ctx& ctx) {
  const InventoryRecord& inv = ctx.Loaded<LoadedInventory>().head;
  auto r = GetReviewReport(ctx.store, inv.id, /*with_body=*/true);
  if (!r.ok()) return Fail(ctx, r.error());
  if (!r->has_value())
    return Problem(404, "Not found", "inventory " + std::to_string(inv.id) + " has no report",
                   ctx.req.target, "", "report.none", {{"id", std::to_string(inv.id)}});
  ApiResponse res{200, "application/pdf", std::move((*r)->body), {}};
  res.headers.emplace_back("Content-Disposition", AttachmentHeader((*r)->file_name));
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

ApiResponse GetInventoryRoute(Ctx& ctx) {
  const InventoryRecord& inv = ctx.Loaded<LoadedInventory>().head;
  json head = InventorySummary(inv);
  auto reviews = ListReviews(ctx.store, inv.id);
  if (!reviews.ok()) return Fail(ctx, reviews.error());
  json rv = json::array();
  for (const auto& r : *reviews) {
    json one = {
        {"reviewer", r.reviewer}, {"decision", r.decision}, {"opinion", r.opinion}, {"at", r.at}};
    if (!r.conclusion.empty()) one["conclusion"] = r.conclusion;
    json findings = json::array();
    for (const auto& f : r.findings) findings.push_back({{"line", f.line}, {"text", f.text}});
    one["findings"] = std::move(findings);
    rv.push_back(std::move(one));
  }
  head["reviews"] = rv;
  // The report file, to those who may read it (not the public, not banks).
  if (ctx.who.kind == Principal::Kind::kUser && !IsBank(ctx)) {
    auto report = GetReviewReport(ctx.store, inv.id, /*with_body=*/false);
    if (!report.ok()) return Fail(ctx, report.error());
    head["report"] = report->has_value() ? ReportJson(**report) : json(nullptr);
  }
  if (IsBank(ctx) && inv.status != InventoryStatus::kPublished) {
    // A bank sees figures only, not the lines a difference would name.
    head["figures"] = BankFigures(*ctx.Loaded<LoadedInventory>().document,
                                  BankMay(ctx, inv.unit_id, "intensities", inv.year));
    return Json(200, head);
  }
  // Data changed under it since it was computed (issue 14, item 8): kept per
  // audit head, so a read without a new import costs one row.
  auto changed = State(ctx).DataChanges().Check(ctx.store, Data(ctx), State(ctx).vee(), inv,
                                                *ctx.Loaded<LoadedInventory>().document);
  if (!changed.ok()) return Fail(ctx, changed.error());
  head["data_changed"] = **changed;
  // The stored document goes out as stored, without parsing it again.
  std::string text = head.dump(-1, ' ', false, json::error_handler_t::replace);
  text.pop_back();
  text.reserve(text.size() + ctx.Loaded<LoadedInventory>().document->size() + 16);
  text += ",\"document\":";
  text += *ctx.Loaded<LoadedInventory>().document;
  text += '}';
  return RawJson(200, std::move(text));
}

ApiResponse ExplainInventoryRoute(Ctx& ctx) {
  std::optional<std::string> line;
  if (auto l = ctx.Query("line"); !l.empty()) line = l;
  auto text =
      ExplainStoredInventory(ctx.store, Data(ctx), State(ctx).vee(), WholeInventory(ctx), line);
  if (!text.ok()) return Fail(ctx, text.error());
  return Json(200, {{"inventory", ctx.Loaded<LoadedInventory>().head.id}, {"explanation", *text}});
}

// submit or publish, with an optional reason.
ApiResponse Step(Ctx& ctx, InventoryStatus to) {
  CL_API_TRY(OnlyFields(ctx.body, {"reason"}));
  auto reason = StringField(ctx.body, "reason", false, 20000);
  if (!reason.ok()) return Fail(ctx, reason.error());
  CL_API_TRY(
      SetInventoryStatus(ctx.store, ctx.Loaded<LoadedInventory>().head.id, to, ctx.actor, *reason));
  auto inv = GetInventory(ctx.store, ctx.Loaded<LoadedInventory>().head.id);
  if (!inv.ok() || !inv->has_value()) return Fail(ctx, Error::Internal("read it back"));
  return Json(200, InventorySummary(**inv));
}

ApiResponse SubmitRoute(Ctx& ctx) {
  if (!MayWriteUnit(ctx, ctx.Loaded<LoadedInventory>().head.unit_id))
    return Fail(ctx, Error::Forbidden("only the unit submits its inventory")
                         .WithCode("inventory.submit_not_unit"));
  return Step(ctx, InventoryStatus::kSubmitted);
}

// The findings of a review: an array of {"line"?, "text"}; absent: none.
Result<std::vector<ReviewFinding>> FindingsField(const json& body) {
  std::vector<ReviewFinding> out;
  if (!body.contains("findings") || body["findings"].is_null()) return out;
  const json& all = body["findings"];
  if (!all.is_array())
    return Error::InvalidInput("findings must be an array", {"", 0, 0, "findings"})
        .WithCode("review.findings_not_array", {{"field", "findings"}});
  for (size_t i = 0; i < all.size(); ++i) {
    const std::string at = "findings/" + std::to_string(i);
    if (!all[i].is_object())
      return Error::InvalidInput("a finding is an object {line, text}", {"", 0, 0, at})
          .WithCode("review.finding_not_object", {{"field", at}});
    for (const auto& [k, v] : all[i].items()) {
      if (k == "line" || k == "text") continue;
      std::string field = at;
      field += '/';
      field += k;
      return Error::InvalidInput("unknown field", {"", 0, 0, field})
          .WithCode("field.unknown", {{"field", field}});
    }
    ReviewFinding f;
    auto line = StringField(all[i], "line", false);
    if (!line.ok())
      return Error::InvalidInput(line.error().message(), {"", 0, 0, at + "/line"})
          .WithCode("review.finding_line", {{"field", at + "/line"}});
    auto text = StringField(all[i], "text", true, 2000);
    if (!text.ok())
      return Error::InvalidInput(text.error().message(), {"", 0, 0, at + "/text"})
          .WithCode("review.finding_text", {{"field", at + "/text"}, {"max", "2000"}});
    out.push_back({*line, *text});
  }
  return out;
}

// verify or return: the opinion, and the structured conclusion (verified:
// pass, or pass_with_findings when there are findings, unless told;
// returned: fail) with its findings (ReviewInventory checks them).
ApiResponse Review(Ctx& ctx, InventoryStatus to) {
  CL_API_TRY(OnlyFields(ctx.body, {"opinion", "conclusion", "findings"}));
  auto opinion = StringField(ctx.body, "opinion", true, 20000);
  if (!opinion.ok()) return Fail(ctx, opinion.error());
  ReviewDetails review;
  CL_API_ASSIGN(review.findings, FindingsField(ctx.body));
  CL_API_ASSIGN(review.conclusion, StringField(ctx.body, "conclusion", false));
  if (review.conclusion.empty())
    review.conclusion = to == InventoryStatus::kReturned ? "fail"
                        : review.findings.empty()        ? "pass"
                                                         : "pass_with_findings";
  CL_API_TRY(ReviewInventory(ctx.store, ctx.Loaded<LoadedInventory>().head.id, to, ctx.actor,
                             *opinion, review));
  auto inv = GetInventory(ctx.store, ctx.Loaded<LoadedInventory>().head.id);
  if (!inv.ok() || !inv->has_value()) return Fail(ctx, Error::Internal("read it back"));
  return Json(200, InventorySummary(**inv));
}

ApiResponse VerifyRoute(Ctx& ctx) { return Review(ctx, InventoryStatus::kVerified); }

ApiResponse ReturnRoute(Ctx& ctx) { return Review(ctx, InventoryStatus::kReturned); }

ApiResponse PublishRoute(Ctx& ctx) { return Step(ctx, InventoryStatus::kPublished); }

ApiResponse CorrectRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"reason", "datasets"}));
  if (!MayWriteUnit(ctx, ctx.Loaded<LoadedInventory>().head.unit_id))
    return Fail(ctx, Error::Forbidden("only the unit corrects its inventory")
                         .WithCode("inventory.correct_not_unit"));
  auto reason = StringField(ctx.body, "reason", true, 2000);
  if (!reason.ok()) return Fail(ctx, reason.error());
  StoredInventoryRequest r;
  r.unit_id = ctx.Loaded<LoadedInventory>().head.unit_id;
  r.year = ctx.Loaded<LoadedInventory>().head.year;
  r.methodology = ctx.Loaded<LoadedInventory>().head.methodology;
  auto pins = PinsField(ctx.body, "datasets");
  if (!pins.ok()) return Fail(ctx, pins.error());
  if (pins->empty()) {
    json old = json::parse(ctx.Loaded<LoadedInventory>().head.pins, nullptr, false);
    if (old.is_object())
      for (const auto& [k, v] : old.items())
        if (v.is_string()) (*pins)[k] = v.get<std::string>();
  }
  r.pins = *pins;
  r.supersedes = ctx.Loaded<LoadedInventory>().head.id;
  r.reason = *reason;
  auto id = ComputeAndSaveInventory(ctx.store, Data(ctx), State(ctx).vee(), r, ctx.actor);
  if (!id.ok()) return Fail(ctx, id.error());
  auto inv = GetInventory(ctx.store, *id);
  if (!inv.ok() || !inv->has_value()) return Fail(ctx, Error::Internal("read it back"));
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

ApiResponse AssignRoute(Ctx& ctx) {
  CL_API_TRY(OnlyFields(ctx.body, {"verifier"}));
  auto verifier = StringField(ctx.body, "verifier", true);
  if (!verifier.ok()) return Fail(ctx, verifier.error());
  const std::string& y = ctx.path["year"];
  if (y.size() != 4 ||
      !std::all_of(y.begin(), y.end(), [](unsigned char c) { return c >= '0' && c <= '9'; }))
    return Problem(422, "Invalid input", "year must be four digits", ctx.req.target, "year",
                   "field.not_year", {{"field", "year"}});
  const int year = std::stoi(y);
  if (year < 1990 || year > 2100)
    return Problem(422, "Invalid input", "year must be between 1990 and 2100", ctx.req.target,
                   "year", "field.out_of_range",
                   {{"field", "year"}, {"min", "1990"}, {"max", "2100"}});
  AssignmentRecord a{ctx.Loaded<UnitRecord>().id, year, *verifier, "", ""};
  auto st = AssignVerifier(ctx.store, a, ctx.actor);
  if (!st.ok()) {
    Error e = st.error();
    if (e.kind() == ErrorKind::kInvalidInput)
      e = Error::InvalidInput(e.message(), {"", 0, 0, "verifier"}).WithCode(e.code(), e.params());
    return Fail(ctx, e);
  }
  return Json(200, {{"unit", a.unit_id}, {"year", a.year}, {"verifier", a.verifier}});
}

ApiResponse ListAssignmentsRoute(Ctx& ctx) {
  auto all = ListAssignments(ctx.store);
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

}  // namespace
}  // namespace cl::api
