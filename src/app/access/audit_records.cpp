// Records that must never change, against what the audit log recorded for
// them (docs/decisions/0011). The entries already hold each record's fields
// (or, for an inventory, its document's SHA-256): a record's expected state
// is its entries' "after" objects merged in order.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "access/audit_anchor.h"
#include "store/audit_payload.h"
#include "store/store.h"

namespace cl {
namespace {

using nlohmann::json;
using Recorded = std::map<std::string, json>;  // entity id -> merged "after"

struct Expected {
  Recorded users;        // by login: role, units, disabled
  Recorded consents;     // by id
  Recorded inventories;  // by id: document_sha256, status, unit_id, year
};

void Merge(json& into, const json& after) {
  if (!into.is_object()) into = json::object();
  for (const auto& [k, v] : after.items()) into[k] = v;
}

void Note(Expected& x, const AuditEntry& e) {
  auto after = json::parse(e.after, nullptr, /*allow_exceptions=*/false);
  if (e.entity == "user" && e.action == "units" && after.is_array()) {
    x.users[e.entity_id]["units"] = after;
  } else if (e.entity == "user" && (e.action == "create" || e.action == "update") &&
             after.is_object()) {
    Merge(x.users[e.entity_id], after);
  } else if (e.entity == "consent" && after.is_object()) {
    Merge(x.consents[e.entity_id], after);
  } else if (e.entity == "inventory" && after.is_object()) {
    Merge(x.inventories[e.entity_id], after);
  }
}

Result<Expected> ReadExpected(Store& store) {
  Expected x;
  for (int64_t after = 0;;) {
    auto page = store.Audit().ListAudit(after, 10000);
    if (!page.ok()) return page.error();
    if (page->empty()) return x;
    for (const auto& e : *page) Note(x, e);
    after = page->back().seq;
  }
}

// "what: its FIELD is A but the audit log recorded B" when they differ.
void Differs(std::vector<std::string>& out, const std::string& what, const std::string& field,
             const json& now, const json& recorded) {
  if (now == recorded) return;
  out.push_back(what + ": its " + field + " is " + now.dump() + " but the audit log recorded " +
                recorded.dump() + " (changed outside the platform)");
}

Status CheckUsers(Store& store, const Recorded& users, std::vector<std::string>& out) {
  for (const auto& [login, rec] : users) {
    auto u = store.Identity().GetUser(login);
    if (!u.ok()) return u.error();
    std::string what = "user " + login;
    if (!u->has_value()) {
      out.push_back(what + ": recorded in the audit log but gone from the store");
      continue;
    }
    if (rec.contains("role")) Differs(out, what, "role", (*u)->role, rec["role"]);
    if (rec.contains("disabled")) Differs(out, what, "disabled", (*u)->disabled, rec["disabled"]);
    if (rec.contains("units")) {
      auto now = (*u)->units;
      auto then = rec["units"].get<std::vector<std::string>>();
      std::sort(now.begin(), now.end());
      std::sort(then.begin(), then.end());
      Differs(out, what, "units", now, then);
    }
  }
  return Ok{};
}

Status CheckConsents(Store& store, const Recorded& consents, std::vector<std::string>& out) {
  auto all = store.Access().ListConsents();
  if (!all.ok()) return all.error();
  std::map<std::string, const ConsentRecord*> by_id;
  for (const auto& c : *all) by_id[std::to_string(c.id)] = &c;
  for (const auto& [id, rec] : consents) {
    std::string what = "consent " + id;
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      out.push_back(what + ": recorded in the audit log but gone from the store");
      continue;
    }
    const ConsentRecord& c = *it->second;
    json now = {{"unit_id", c.unit_id},
                {"bank", c.bank},
                {"scopes", c.scopes},
                {"year_from", c.year_from},
                {"year_to", c.year_to},
                {"expires_at", c.expires_at},
                {"revoked_at", c.revoked_at ? json(*c.revoked_at) : json(nullptr)}};
    for (const auto& [k, v] : rec.items())
      if (now.contains(k)) Differs(out, what, k, now[k], v);
    if (!rec.contains("revoked_at") && c.revoked_at)
      Differs(out, what, "revoked_at", *c.revoked_at, nullptr);
  }
  return Ok{};
}

Status CheckInventories(Store& store, const Recorded& inventories, std::vector<std::string>& out) {
  for (const auto& [id, rec] : inventories) {
    auto inv = store.Inventories().GetInventory(std::stoll(id));
    if (!inv.ok()) return inv.error();
    std::string what = "inventory " + id;
    if (!inv->has_value()) {
      out.push_back(what + ": recorded in the audit log but gone from the store");
      continue;
    }
    const InventoryRecord& i = **inv;
    std::string status = rec.value("status", "draft");
    if (status == "locked") status = "published";  // renamed by schema version 5
    Differs(out, what, "status", InventoryStatusName(i.status), status);
    if (rec.contains("document_sha256") && Sha256Hex(i.document) != rec["document_sha256"])
      out.push_back(what + ": its document differs from what the audit log recorded");
    if (rec.contains("unit_id")) Differs(out, what, "unit", i.unit_id, rec["unit_id"]);
    if (rec.contains("year")) Differs(out, what, "year", i.year, rec["year"]);
  }
  return Ok{};
}

}  // namespace

Result<std::vector<std::string>> CheckProtectedRecords(Store& store) {
  auto x = ReadExpected(store);
  if (!x.ok()) return x.error();
  std::vector<std::string> out;
  CL_RETURN_IF_ERROR(CheckUsers(store, x->users, out));
  CL_RETURN_IF_ERROR(CheckConsents(store, x->consents, out));
  CL_RETURN_IF_ERROR(CheckInventories(store, x->inventories, out));
  return out;
}

}  // namespace cl
