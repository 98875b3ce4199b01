// Who may see what beyond a unit's own people, as use cases: bank consents
// (granted, listed, revoked) and verifier assignments (docs/roles.md).
//
// Each function runs on the Store (one connection) it is given and keeps no
// state: calls on different connections may run on several threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h

// A unit's grant of consent to a bank, as asked for (the API, the web).
struct ConsentGrant {
  std::string unit_id;
  std::string bank;
  std::vector<std::string> scopes;  // ConsentScopes()
  int64_t year_from = 0;            // reporting years covered, inclusive, 1990–2100
  int64_t year_to = 0;
  std::string expires;  // YYYY-MM-DD: the consent holds through that day, UTC
};
// The banks registered on the platform: the organisations of the bank
// analysts that are not disabled, each once, in order. A consent can only
// name one of them (a typo would show a unit's data to nobody, or to a bank
// registered later under that name).
Result<std::vector<std::string>> RegisteredBanks(Store& store);
// Checks a grant (a registered bank; known scopes, at least one; years in
// order; expiry in the future at `now`, UTC seconds) and keeps it. Every
// mistake is an kInvalidInput naming its field ("bank", "scopes/1",
// "year_to", "expires"). Whether the caller may grant for the unit is the
// caller's to check.
Result<ConsentRecord> GrantConsent(Store& store, const ConsentGrant& grant, int64_t now,
                                   const Actor& by);
Result<int64_t> CreateConsent(Store& store, const ConsentRecord& consent, const Actor& by);
Result<std::vector<ConsentRecord>> ListConsents(Store& store);
// Whether one of the unit's consents to `bank` allows `scope` for `year` at
// `now` (UTC seconds); no year: for any year a consent covers. A year is
// never a wildcard: year 0 is a year no consent covers.
Result<bool> ConsentCovers(Store& store, const std::string& bank, const std::string& unit_id,
                           std::string_view scope, std::optional<int> year, int64_t now);
Status RevokeConsent(Store& store, int64_t id, int64_t at, const Actor& by);
Status AssignVerifier(Store& store, const AssignmentRecord& assignment, const Actor& by);
Result<std::vector<AssignmentRecord>> ListAssignments(Store& store);

}  // namespace cl
