// Inventories, their workflow states and reviews over sql::Db.
#include "sql_session.h"

namespace cl::sql {
namespace {

// Findings as stored: a JSON array of {"line","text"}.
json FindingsJson(const std::vector<ReviewFinding>& findings) {
  json out = json::array();
  for (const auto& f : findings) out.push_back({{"line", f.line}, {"text", f.text}});
  return out;
}

std::vector<ReviewFinding> FindingsOf(const std::string& text) {
  std::vector<ReviewFinding> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& f : j)
    if (f.is_object()) out.push_back({f.value("line", ""), f.value("text", "")});
  return out;
}

// A report file as the audit log describes it (not its bytes).
json ReportJson(const ReviewReport& r) {
  return {{"report", r.file_name}, {"size_bytes", r.size_bytes}, {"sha256", r.sha256}};
}

class SqlInventories final : public InventoriesRepository, private Part {
 public:
  explicit SqlInventories(Session& session) : Part(session) {}

  Result<int64_t> CreateInventory(InventoryRecord inv, const Actor& by) override {
    return InTxn<int64_t>([&]() -> Result<int64_t> {
      if (inv.created_at.empty()) inv.created_at = NowUtc();
      if (inv.created_by.empty()) inv.created_by = by.user;
      if (inv.supersedes != 0) {
        auto old = GetInventory(inv.supersedes);
        if (!old.ok()) return old.error();
        if (!old->has_value())
          return Error::NotFound("inventory " + std::to_string(inv.supersedes) +
                                 " to correct does not exist");
        if ((*old)->unit_id != inv.unit_id || (*old)->year != inv.year)
          return Error::InvalidInput("a correction must be of the same unit and year",
                                     {"", 0, 0, "supersedes"});
        if ((*old)->status != InventoryStatus::kDraft && inv.reason.empty())
          return Error::InvalidInput("a correction of a submitted inventory needs a reason",
                                     {"", 0, 0, "reason"});
        inv.version = (*old)->version + 1;
      }
      CL_ASSIGN_OR_RETURN(int64_t id, InsertInventory(inv));
      json after = {{"unit_id", inv.unit_id},
                    {"year", inv.year},
                    {"methodology", inv.methodology},
                    {"pins", inv.pins},
                    {"version", inv.version},
                    {"supersedes", inv.supersedes},
                    {"document_sha256", Sha256Hex(inv.document)}};
      CL_RETURN_IF_ERROR(Audit(by, inv.supersedes ? "correct" : "create", "inventory",
                               std::to_string(id), "", after.dump(), inv.reason));
      return id;
    });
  }

  Result<std::optional<InventoryRecord>> GetInventory(int64_t id) override {
    auto all = Inventories("", id);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<InventoryRecord>();
    return std::optional<InventoryRecord>(std::move(all->front()));
  }

  Result<std::optional<InventoryRecord>> GetInventoryHead(int64_t id) override {
    auto all = Inventories("", id, /*with_document=*/false);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<InventoryRecord>();
    return std::optional<InventoryRecord>(std::move(all->front()));
  }

  Result<std::vector<InventoryRecord>> ListInventories(const std::string& unit_id) override {
    return Inventories(unit_id, 0);
  }

  using InventoriesRepository::SetInventoryStatus;
  Status SetInventoryStatus(int64_t id, InventoryStatus to, const Actor& by,
                            const std::string& reason, const ReviewDetails& review) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto inv = GetInventory(id);
      if (!inv.ok()) return inv.error();
      if (!inv->has_value())
        return Error::NotFound("inventory " + std::to_string(id) + " does not exist");
      InventoryStatus from = (*inv)->status;
      const std::string now = NowUtc();
      CL_ASSIGN_OR_RETURN(
          auto q, to == InventoryStatus::kSubmitted
                      ? Q("UPDATE inventories SET status=?, submitted_at=? WHERE id=? AND status=?",
                          InventoryStatusName(to), now, id, InventoryStatusName(from))
                      : Q("UPDATE inventories SET status=? WHERE id=? AND status=?",
                          InventoryStatusName(to), id, InventoryStatusName(from)));
      CL_ASSIGN_OR_RETURN(int64_t changed, q.Run());
      if (changed != 1)
        return Error::Conflict("inventory " + std::to_string(id) + " changed meanwhile")
            .WithCode("inventory.changed_meanwhile", {{"id", std::to_string(id)}});
      CL_RETURN_IF_ERROR(FiguresFollow(**inv, to));
      if (to == InventoryStatus::kVerified || to == InventoryStatus::kReturned) {
        CL_ASSIGN_OR_RETURN(
            auto rv,
            Q("INSERT INTO inventory_reviews (inventory_id, reviewer, decision, opinion, at, "
              "conclusion, findings) VALUES (?,?,?,?,?,?,?)",
              id, by.user, InventoryStatusName(to), reason, now, review.conclusion,
              FindingsJson(review.findings).dump()));
        CL_RETURN_IF_ERROR(rv.Run());
      }
      json after = {{"status", InventoryStatusName(to)}};
      if (!review.conclusion.empty()) after["conclusion"] = review.conclusion;
      if (!review.findings.empty()) after["findings"] = FindingsJson(review.findings);
      CL_RETURN_IF_ERROR(Audit(by, "status", "inventory", std::to_string(id),
                               json{{"status", InventoryStatusName(from)}}.dump(), after.dump(),
                               reason));
      return Ok{};
    });
  }

  Result<std::vector<ReviewRecord>> ListReviews(int64_t inventory_id) override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT id, inventory_id, reviewer, decision, opinion, at, "
                                  "conclusion, findings FROM inventory_reviews "
                                  "WHERE inventory_id=? ORDER BY id",
                                  inventory_id));
    return q.All([](Row& r) {
      ReviewRecord rv{r.Int(), r.Int(), r.Text(), r.Text(), r.Text(), r.Text(), r.Text(), {}};
      rv.findings = FindingsOf(r.Text());
      return rv;
    });
  }

  Result<std::vector<InventoryRecord>> ListInventorySummaries() override {
    return Inventories("", 0, /*with_document=*/false);
  }

  Status PutReviewReport(const ReviewReport& report, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto old = GetReviewReport(report.inventory_id, /*with_body=*/false);
      if (!old.ok()) return old.error();
      CL_ASSIGN_OR_RETURN(auto del, Q("DELETE FROM inventory_review_reports WHERE inventory_id=?",
                                      report.inventory_id));
      CL_RETURN_IF_ERROR(del.Run());
      CL_ASSIGN_OR_RETURN(
          auto q, Q("INSERT INTO inventory_review_reports (inventory_id, file_name, size_bytes, "
                    "sha256, uploaded_by, uploaded_at, body) VALUES (?,?,?,?,?,?,?)",
                    report.inventory_id, report.file_name, report.size_bytes, report.sha256,
                    by.user, NowUtc(), BlobParam{report.body}));
      CL_RETURN_IF_ERROR(q.Run());
      CL_RETURN_IF_ERROR(Audit(by, old->has_value() ? "replace report" : "attach report",
                               "inventory", std::to_string(report.inventory_id),
                               old->has_value() ? ReportJson(**old).dump() : "",
                               ReportJson(report).dump(), ""));
      return Ok{};
    });
  }

  Result<std::optional<ReviewReport>> GetReviewReport(int64_t inventory_id,
                                                      bool with_body) override {
    CL_ASSIGN_OR_RETURN(
        auto q, Q(with_body ? "SELECT inventory_id, file_name, size_bytes, sha256, uploaded_by, "
                              "uploaded_at, body FROM inventory_review_reports WHERE inventory_id=?"
                            : "SELECT inventory_id, file_name, size_bytes, sha256, uploaded_by, "
                              "uploaded_at FROM inventory_review_reports WHERE inventory_id=?",
                  inventory_id));
    return q.First([&](Row& r) {
      ReviewReport out{r.Int(), r.Text(), r.Int(), r.Text(), r.Text(), r.Text(), {}};
      if (with_body) out.body = std::string(r.Blob());
      return out;
    });
  }

 private:
  // The figures read model keeps its state in step with the workflow.
  Status FiguresFollow(const InventoryRecord& inv, InventoryStatus to) {
    if (inv.unit_id.empty()) return Ok{};
    auto unit_no = UnitNo(inv.unit_id);
    if (!unit_no.ok())  // no such unit: no figures either
      return unit_no.error().kind() == ErrorKind::kNotFound ? Status(Ok{})
                                                            : Status(unit_no.error());
    CL_ASSIGN_OR_RETURN(auto q, Q("UPDATE inventory_figures SET state=? WHERE unit_no=? AND "
                                  "inventory_id=?",
                                  InventoryStatusName(to), *unit_no, inv.id));
    CL_RETURN_IF_ERROR(q.Run());
    return Ok{};
  }

  Result<std::vector<InventoryRecord>> Inventories(const std::string& unit_id, int64_t id,
                                                   bool with_document = true) {
    // One statement per shape, so that each uses its index (an "x = ? OR
    // ? = 0" condition would scan every document).
    const std::string columns =
        std::string("SELECT id, unit_id, year, methodology, pins, status, version, supersedes, ") +
        (with_document ? "document" : "''") +
        ", created_at, created_by, reason, submitted_at FROM inventories ";
    CL_ASSIGN_OR_RETURN(auto q, id != 0 ? Q(columns + "WHERE id = ?", id)
                                : unit_id.empty()
                                    ? Q(columns + "ORDER BY id")
                                    : Q(columns + "WHERE unit_id = ? ORDER BY id", unit_id));
    return q.All([](Row& r) -> Result<InventoryRecord> {
      InventoryRecord i;
      i.id = r.Int();
      i.unit_id = r.Text();
      i.year = r.Int32();
      i.methodology = r.Text();
      i.pins = r.Text();
      CL_ASSIGN_OR_RETURN(i.status, ParseInventoryStatus(r.Text()));
      i.version = r.Int32();
      i.supersedes = r.Int();
      i.document = r.Text();
      i.created_at = r.Text();
      i.created_by = r.Text();
      i.reason = r.Text();
      i.submitted_at = r.Text();
      return i;
    });
  }

  // The id of the new inventory row, a draft.
  Result<int64_t> InsertInventory(const InventoryRecord& inv) {
    CL_ASSIGN_OR_RETURN(
        auto q,
        Q("INSERT INTO inventories (unit_id, year, methodology, pins, status, version, "
          "supersedes, document, created_at, created_by, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
          "RETURNING id",
          inv.unit_id, inv.year, inv.methodology, inv.pins,
          InventoryStatusName(InventoryStatus::kDraft), inv.version, inv.supersedes, inv.document,
          inv.created_at, inv.created_by, inv.reason));
    CL_ASSIGN_OR_RETURN(auto id, q.First([](Row& r) { return r.Int(); }));
    return id.value_or(0);  // RETURNING: always a row
  }
};

}  // namespace

std::unique_ptr<InventoriesRepository> MakeSqlInventories(Session& session) {
  return std::make_unique<SqlInventories>(session);
}

}  // namespace cl::sql
