// Roles and tenancy, for every route, in one place (docs/api.md has the table).
#include <algorithm>
#include <charconv>

#include "api_impl.h"

namespace cl::api {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

uint32_t Bit(const Principal& who) {
  if (who.kind == Principal::Kind::kPublic) return kPublic;
  if (who.kind == Principal::Kind::kToken) return kToken;
  switch (who.role) {
    case Role::kProgrammeAdmin:
      return kAdmin;
    case Role::kProgrammeStaff:
      return kStaff;
    case Role::kUnitManager:
      return kManager;
    case Role::kUnitMember:
      return kMember;
    case Role::kVerifier:
      return kVerifier;
    case Role::kBankAnalyst:
      return kBank;
  }
  return 0;
}

}  // namespace

std::optional<int64_t> PathId(const std::string& text) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

Error Hidden(const std::string& what, const char* code, ProblemParams params) {
  return Error::NotFound(what + " does not exist").WithCode(code, std::move(params));
}

namespace {

bool Assigned(Ctx& ctx, const std::string& unit_id, std::optional<int> year) {
  auto all = ListAssignments(ctx.store);
  if (!all.ok()) return false;
  for (const auto& a : *all)
    if (a.unit_id == unit_id && a.verifier == ctx.who.login && (!year || a.year == *year))
      return true;
  return false;
}

}  // namespace

bool Programme(const Principal& who) {
  return who.kind == Principal::Kind::kUser && SeesEveryUnit(who.role);
}

InventoryRecord WholeInventory(const Ctx& ctx) {
  const auto& loaded = ctx.Loaded<LoadedInventory>();
  InventoryRecord whole = loaded.head;
  whole.document = *loaded.document;
  return whole;
}

bool RoleAllowed(const Principal& who, uint32_t allow) {
  if (allow & kPublic) return true;
  if (who.kind == Principal::Kind::kToken && who.token_scope != "ingest") return false;
  return (allow & Bit(who)) != 0;
}

std::optional<std::vector<std::string>> WritableUnits(const Principal& who) {
  if (Programme(who)) return std::nullopt;
  return who.units;
}

bool BankMay(Ctx& ctx, const std::string& unit_id, std::string_view scope,
             std::optional<int> year) {
  if (ctx.who.kind != Principal::Kind::kUser || ctx.who.role != Role::kBankAnalyst ||
      ctx.who.organisation.empty())
    return false;
  auto covers = ConsentCovers(ctx.store, ctx.who.organisation, unit_id, scope, year, ctx.now);
  return covers.ok() && *covers;
}

bool MayReadYears(Ctx& ctx, const std::string& unit_id, int from_year, int to_year) {
  const Principal& who = ctx.who;
  if (who.kind != Principal::Kind::kUser) return who.kind == Principal::Kind::kToken;
  for (int y = from_year; y <= to_year; ++y) {
    if (who.role == Role::kBankAnalyst && !BankMay(ctx, unit_id, "readings", y)) return false;
    if (who.role == Role::kVerifier && !Assigned(ctx, unit_id, y)) return false;
  }
  return true;
}

bool VisibleUnit(Ctx& ctx, const std::string& unit_id, std::string_view bank_scope) {
  const Principal& who = ctx.who;
  if (Programme(who)) return true;
  if (who.kind == Principal::Kind::kPublic) return false;
  if (who.kind == Principal::Kind::kToken) return Has(who.units, unit_id);
  switch (who.role) {
    case Role::kUnitManager:
    case Role::kUnitMember:
      return Has(who.units, unit_id);
    case Role::kVerifier:
      return Assigned(ctx, unit_id, std::nullopt);
    case Role::kBankAnalyst:
      return !bank_scope.empty() && BankMay(ctx, unit_id, bank_scope, std::nullopt);
    default:
      return false;
  }
}

bool VisibleInventory(Ctx& ctx, const InventoryRecord& inv, bool published_is_public) {
  const Principal& who = ctx.who;
  if (published_is_public && inv.status == InventoryStatus::kPublished) return true;
  if (Programme(who)) return true;
  if (who.kind != Principal::Kind::kUser) return false;
  switch (who.role) {
    case Role::kUnitManager:
    case Role::kUnitMember:
      return Has(who.units, inv.unit_id);
    case Role::kVerifier:
      return inv.status != InventoryStatus::kDraft && Assigned(ctx, inv.unit_id, inv.year);
    case Role::kBankAnalyst:
      return inv.status == InventoryStatus::kVerified &&
             BankMay(ctx, inv.unit_id, "totals", inv.year);
    default:
      return false;
  }
}

bool VisibleBatch(Ctx& ctx, const BatchRecord& batch) {
  const Principal& who = ctx.who;
  if (Programme(who) || batch.created_by == who.Name()) return true;
  if (who.kind != Principal::Kind::kUser ||
      (who.role != Role::kUnitManager && who.role != Role::kUnitMember))
    return false;
  // Made by "token:N" (Principal::Name): the unit that token acts for.
  constexpr std::string_view kToken = "token:";
  std::string_view maker = batch.created_by;
  if (maker.substr(0, kToken.size()) != kToken) return false;
  auto id = PathId(std::string(maker.substr(kToken.size())));
  if (!id) return false;
  auto known = ctx.token_units.find(*id);
  if (known == ctx.token_units.end()) {
    auto t = GetApiToken(ctx.store, *id);
    if (!t.ok()) return false;  // not remembered: the next batch asks again
    known = ctx.token_units.emplace(*id, t->has_value() ? (*t)->unit_id : std::string()).first;
  }
  return !known->second.empty() && Has(who.units, known->second);
}

bool VisibleConsent(const Ctx& ctx, const ConsentRecord& c) {
  const Principal& who = ctx.who;
  if (Programme(who)) return true;
  if (who.kind != Principal::Kind::kUser) return false;
  if (who.role == Role::kUnitManager || who.role == Role::kUnitMember)
    return Has(who.units, c.unit_id);
  if (who.role == Role::kBankAnalyst)
    return c.bank == who.organisation && !who.organisation.empty();
  return false;
}

Status Authorize(Ctx& ctx, const Route& route) {
  const Principal& who = ctx.who;
  if (!RoleAllowed(who, route.allow)) {
    if (who.kind == Principal::Kind::kPublic)
      return Error::Unauthenticated("sign in, or send an API token")
          .WithCode("session.sign_in_required");
    const std::string role = who.kind == Principal::Kind::kToken ? "api_token" : RoleName(who.role);
    return Error::Forbidden("the role '" + role + "' may not " + route.summary)
        .WithCode("access.role_forbidden", {{"role", role}});
  }
  return route.resolve ? route.resolve(ctx, route) : Status(Ok{});
}

}  // namespace cl::api
