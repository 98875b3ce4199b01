#include "access/access.h"

#include <algorithm>
#include <chrono>

#include "core/period.h"
#include "core/timestamp.h"
#include "identity/identity.h"
#include "store/store.h"

namespace cl {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kFirstYear = 1990;
constexpr int64_t kLastYear = 2100;

Error Invalid(const std::string& message, const std::string& field, const std::string& code,
              ProblemParams params = {}) {
  params["field"] = field;
  return Error::InvalidInput(message, {"", 0, 0, field}).WithCode(code, std::move(params));
}

Status CheckScopes(const std::vector<std::string>& scopes) {
  if (scopes.empty())
    return Invalid("scopes must be a non-empty array of: totals, intensities, licence, readings",
                   "scopes", "consent.scopes_empty");
  const auto& known = ConsentScopes();
  for (size_t i = 0; i < scopes.size(); ++i)
    if (std::find(known.begin(), known.end(), scopes[i]) == known.end())
      return Invalid("unknown scope; use totals, intensities, licence or readings",
                     "scopes/" + std::to_string(i), "consent.unknown_scope",
                     {{"scope", scopes[i]}});
  return Ok{};
}

Status CheckYears(const ConsentGrant& g) {
  for (auto [year, field] : {std::pair{g.year_from, "year_from"}, {g.year_to, "year_to"}})
    if (year < kFirstYear || year > kLastYear)
      return Invalid(std::string(field) + " must be between 1990 and 2100", field,
                     "field.out_of_range", {{"min", "1990"}, {"max", "2100"}});
  if (g.year_to < g.year_from)
    return Invalid("year_to is before year_from", "year_to", "consent.years_reversed");
  return Ok{};
}

// The end of the day `expires`, UTC seconds.
Result<int64_t> ExpiryOf(const std::string& expires, int64_t now) {
  auto date = ParseDate(expires);
  if (!date.ok()) return Invalid("expires must be a date YYYY-MM-DD", "expires", "field.not_date");
  const int64_t end = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::sys_days{*date}.time_since_epoch())
                          .count() +
                      kSecondsPerDay;
  if (end <= now) return Invalid("expires is in the past", "expires", "consent.expires_past");
  return end;
}

Status CheckBank(Store& store, const std::string& bank) {
  CL_ASSIGN_OR_RETURN(auto banks, RegisteredBanks(store));
  if (std::find(banks.begin(), banks.end(), bank) == banks.end())
    return Invalid(
        "bank '" + bank + "' is not registered on the platform; choose a registered bank", "bank",
        "consent.bank_unregistered", {{"bank", bank}});
  return Ok{};
}

}  // namespace

Result<std::vector<std::string>> RegisteredBanks(Store& store) {
  CL_ASSIGN_OR_RETURN(auto users, store.Identity().ListUsers());
  std::vector<std::string> banks;
  for (const auto& u : users)
    if (u.role == RoleName(Role::kBankAnalyst) && !u.disabled && !u.organisation.empty())
      banks.push_back(u.organisation);
  std::sort(banks.begin(), banks.end());
  banks.erase(std::unique(banks.begin(), banks.end()), banks.end());
  return banks;
}

Result<ConsentRecord> GrantConsent(Store& store, const ConsentGrant& grant, int64_t now,
                                   const Actor& by) {
  CL_RETURN_IF_ERROR(CheckBank(store, grant.bank));
  CL_RETURN_IF_ERROR(CheckScopes(grant.scopes));
  CL_RETURN_IF_ERROR(CheckYears(grant));
  ConsentRecord c;
  CL_ASSIGN_OR_RETURN(c.expires_at, ExpiryOf(grant.expires, now));
  c.unit_id = grant.unit_id;
  c.bank = grant.bank;
  c.scopes = grant.scopes;
  c.year_from = static_cast<int>(grant.year_from);
  c.year_to = static_cast<int>(grant.year_to);
  CL_ASSIGN_OR_RETURN(c.id, store.Access().CreateConsent(c, by));
  c.created_by = by.user;
  c.created_at = NowUtc();
  return c;
}

Result<int64_t> CreateConsent(Store& store, const ConsentRecord& consent, const Actor& by) {
  return store.Access().CreateConsent(consent, by);
}

Result<std::vector<ConsentRecord>> ListConsents(Store& store) {
  return store.Access().ListConsents();
}

Result<bool> ConsentCovers(Store& store, const std::string& bank, const std::string& unit_id,
                           std::string_view scope, std::optional<int> year, int64_t now) {
  if (bank.empty()) return false;
  CL_ASSIGN_OR_RETURN(auto consents, store.Access().ListConsents());
  for (const auto& c : consents) {
    if (c.unit_id != unit_id || c.bank != bank) continue;
    if (year ? c.Allows(scope, *year, now)
             : (c.Allows(scope, c.year_from, now) || c.Allows(scope, c.year_to, now)))
      return true;
  }
  return false;
}

Status RevokeConsent(Store& store, int64_t id, int64_t at, const Actor& by) {
  return store.Access().RevokeConsent(id, at, by);
}

Status AssignVerifier(Store& store, const AssignmentRecord& assignment, const Actor& by) {
  return store.Access().AssignVerifier(assignment, by);
}

Result<std::vector<AssignmentRecord>> ListAssignments(Store& store) {
  return store.Access().ListAssignments();
}

}  // namespace cl
