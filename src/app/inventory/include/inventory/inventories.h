// Stored inventories as use cases: read (with or without the document), list,
// their reviews, and one step of the workflow (submit, verify, return,
// publish): the workflow's rule (InventoryTransitionAllowed, model/records.h)
// is checked here, in the step's transaction; the store only records it.
//
// Each function runs on the Store (one connection) it is given and keeps no
// state: calls on different connections may run on several threads at once.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h

Result<std::optional<InventoryRecord>> GetInventory(Store& store, int64_t id);
Result<std::optional<InventoryRecord>> GetInventoryHead(Store& store, int64_t id);
Result<std::vector<InventoryRecord>> ListInventorySummaries(Store& store);
Result<std::vector<ReviewRecord>> ListReviews(Store& store, int64_t inventory_id);
Status SetInventoryStatus(Store& store, int64_t id, InventoryStatus to, const Actor& by,
                          const std::string& reason);
// The verifier's step, with its structured conclusion: verified as "pass",
// or "pass_with_findings" with at least one finding; returned as "fail".
// At most 200 findings, each a text of 1 to 2,000 characters on a line of
// the inventory (its id) or on the whole (line empty). A mistake is an
// kInvalidInput naming its field ("conclusion", "findings/2/line").
Status ReviewInventory(Store& store, int64_t id, InventoryStatus to, const Actor& by,
                       const std::string& opinion, const ReviewDetails& review);

// The verifier's report file on an inventory under review (submitted): a
// PDF (it starts with "%PDF-"), not empty, named by a file name of 1 to 200
// characters without a path or control characters; stored with its SHA-256,
// replacing the one before. Its size is bounded by the caller (the server's
// upload limit). A mistake is kInvalidInput naming "report" or "file_name";
// an inventory not under review is kConflict: a report is part of a review
// and is frozen with the decision.
Status AttachReviewReport(Store& store, int64_t id, const std::string& file_name, std::string body,
                          const Actor& by);
Result<std::optional<ReviewReport>> GetReviewReport(Store& store, int64_t id, bool with_body);

}  // namespace cl
