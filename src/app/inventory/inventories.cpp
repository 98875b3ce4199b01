#include "inventory/inventories.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "store/audit_payload.h"
#include "store/store.h"

namespace cl {

Result<std::optional<InventoryRecord>> GetInventory(Store& store, int64_t id) {
  return store.Inventories().GetInventory(id);
}

Result<std::optional<InventoryRecord>> GetInventoryHead(Store& store, int64_t id) {
  return store.Inventories().GetInventoryHead(id);
}

Result<std::vector<InventoryRecord>> ListInventorySummaries(Store& store) {
  return store.Inventories().ListInventorySummaries();
}

Result<std::vector<ReviewRecord>> ListReviews(Store& store, int64_t inventory_id) {
  return store.Inventories().ListReviews(inventory_id);
}

namespace {

Status Step(Store& store, int64_t id, InventoryStatus to, const Actor& by,
            const std::string& reason, const ReviewDetails& review = {}) {
  CL_ASSIGN_OR_RETURN(auto head, store.Inventories().GetInventoryHead(id));
  if (!head)
    return Error::NotFound("inventory " + std::to_string(id) + " does not exist")
        .WithCode("inventory.not_found", {{"id", std::to_string(id)}});
  const InventoryStatus from = head->status;
  if (!InventoryTransitionAllowed(from, to))
    return Error::Conflict("inventory " + std::to_string(id) + " is " + InventoryStatusName(from) +
                           "; it cannot become " + InventoryStatusName(to))
        .WithCode("inventory.wrong_status", {{"id", std::to_string(id)},
                                             {"status", InventoryStatusName(from)},
                                             {"to", InventoryStatusName(to)}});
  return store.Inventories().SetInventoryStatus(id, to, by, reason, review);
}

constexpr size_t kMaxFindings = 200;
constexpr size_t kMaxFindingText = 2000;

Error Invalid(const std::string& message, const std::string& field, const std::string& code,
              ProblemParams params = {}) {
  params["field"] = field;
  return Error::InvalidInput(message, {"", 0, 0, field}).WithCode(code, std::move(params));
}

// The ids of an inventory document's lines.
std::set<std::string> LineIds(const std::string& document) {
  std::set<std::string> ids;
  auto doc = nlohmann::json::parse(document, nullptr, false);
  if (!doc.is_object()) return ids;
  for (const auto& u : doc.value("units", nlohmann::json::array()))
    for (const auto& l : u.value("lines", nlohmann::json::array()))
      if (l.is_object() && l.contains("id") && l["id"].is_string())
        ids.insert(l["id"].get<std::string>());
  return ids;
}

Status CheckReview(Store& store, int64_t id, InventoryStatus to, const ReviewDetails& review) {
  const bool verified = to == InventoryStatus::kVerified;
  if (!verified && to != InventoryStatus::kReturned)
    return Invalid("only a verification or a return has a conclusion", "conclusion",
                   "review.conclusion_not_review");
  if (verified && review.conclusion != "pass" && review.conclusion != "pass_with_findings")
    return Invalid("a verified inventory's conclusion is pass or pass_with_findings", "conclusion",
                   "review.conclusion_verified");
  if (!verified && review.conclusion != "fail")
    return Invalid("a returned inventory's conclusion is fail", "conclusion",
                   "review.conclusion_returned");
  if (review.conclusion == "pass_with_findings" && review.findings.empty())
    return Invalid("pass_with_findings needs at least one finding", "findings",
                   "review.findings_needed");
  if (review.findings.size() > kMaxFindings)
    return Invalid("at most 200 findings", "findings", "review.too_many_findings",
                   {{"max", "200"}});
  if (review.findings.empty()) return Ok{};
  CL_ASSIGN_OR_RETURN(auto inv, store.Inventories().GetInventory(id));
  if (!inv)
    return Error::NotFound("inventory " + std::to_string(id) + " does not exist")
        .WithCode("inventory.not_found", {{"id", std::to_string(id)}});
  const auto lines = LineIds(inv->document);
  for (size_t i = 0; i < review.findings.size(); ++i) {
    const auto& f = review.findings[i];
    const std::string at = "findings/" + std::to_string(i);
    if (f.text.empty() || f.text.size() > kMaxFindingText)
      return Invalid("a finding's text has 1 to 2000 characters", at + "/text",
                     "review.finding_text", {{"max", "2000"}});
    if (!f.line.empty() && !lines.contains(f.line))
      return Invalid("no line '" + f.line + "' in this inventory", at + "/line",
                     "review.unknown_line", {{"line", f.line}});
  }
  return Ok{};
}

}  // namespace

Status ReviewInventory(Store& store, int64_t id, InventoryStatus to, const Actor& by,
                       const std::string& opinion, const ReviewDetails& review) {
  CL_RETURN_IF_ERROR(store.Begin());
  Status st = CheckReview(store, id, to, review);
  if (st.ok()) st = Step(store, id, to, by, opinion, review);
  if (!st.ok()) {
    store.Rollback();
    return st;
  }
  return store.Commit();
}

namespace {

constexpr size_t kMaxReportName = 200;

// A file name as a person gave it: no path, no control characters.
bool PlainFileName(const std::string& name) {
  if (name.empty() || name.size() > kMaxReportName || name == "." || name == "..") return false;
  return std::ranges::none_of(name, [](unsigned char c) {
    return c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '"';
  });
}

}  // namespace

Status AttachReviewReport(Store& store, int64_t id, const std::string& file_name, std::string body,
                          const Actor& by) {
  if (!PlainFileName(file_name))
    return Invalid(
        "file_name must have 1 to 200 characters, without a path, quotes or control "
        "characters",
        "file_name", "report.bad_name", {{"max", "200"}});
  if (body.empty()) return Invalid("the report file is empty", "report", "report.empty");
  if (!body.starts_with("%PDF-"))
    return Invalid("the report must be a PDF file", "report", "report.not_pdf");
  CL_RETURN_IF_ERROR(store.Begin());
  auto attach = [&]() -> Status {
    CL_ASSIGN_OR_RETURN(auto inv, store.Inventories().GetInventoryHead(id));
    if (!inv)
      return Error::NotFound("inventory " + std::to_string(id) + " does not exist")
          .WithCode("inventory.not_found", {{"id", std::to_string(id)}});
    if (inv->status != InventoryStatus::kSubmitted)
      return Error::Conflict("a report is attached while the inventory is under review; it is " +
                             std::string(InventoryStatusName(inv->status)))
          .WithCode("report.not_under_review", {{"status", InventoryStatusName(inv->status)}});
    ReviewReport r;
    r.inventory_id = id;
    r.file_name = file_name;
    r.size_bytes = static_cast<int64_t>(body.size());
    r.sha256 = Sha256Hex(body);
    r.body = std::move(body);
    return store.Inventories().PutReviewReport(r, by);
  };
  if (Status st = attach(); !st.ok()) {
    store.Rollback();
    return st;
  }
  return store.Commit();
}

Result<std::optional<ReviewReport>> GetReviewReport(Store& store, int64_t id, bool with_body) {
  return store.Inventories().GetReviewReport(id, with_body);
}

Status SetInventoryStatus(Store& store, int64_t id, InventoryStatus to, const Actor& by,
                          const std::string& reason) {
  // The check and the step in one transaction: no other writer moves the
  // inventory in between.
  CL_RETURN_IF_ERROR(store.Begin());
  if (Status st = Step(store, id, to, by, reason); !st.ok()) {
    store.Rollback();
    return st;
  }
  return store.Commit();
}

}  // namespace cl
