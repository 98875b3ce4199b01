// Inside the API: the route table, the request context handlers see, and the
// authorization rules (authz.cpp) every route goes through.
#pragma once

#include <any>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/access.h"
#include "access/audit_anchor.h"
#include "access/audit_log.h"
#include "connections/pool.h"
#include "identity/accounts.h"
#include "ingest/batches.h"
#include "inventory/data_changes.h"
#include "inventory/inventories.h"
#include "inventory/worklist.h"
#include "refdata/published_datasets.h"
#include "registry/registry.h"
#include "server/api.h"

namespace cl {
class Store;  // store/store.h: only ever passed on to the use cases
}  // namespace cl

namespace cl::api {

using json = nlohmann::json;

// Who may call a route, as bits.
enum Allow : uint32_t {
  kPublic = 1u << 0,    // anyone, signed in or not
  kAdmin = 1u << 1,     // programme admin
  kStaff = 1u << 2,     // programme staff
  kManager = 1u << 3,   // unit manager
  kMember = 1u << 4,    // unit member
  kVerifier = 1u << 5,  // verifier
  kBank = 1u << 6,      // bank analyst
  kToken = 1u << 7,     // an API token with the ingest scope
};
constexpr uint32_t kProgramme = kAdmin | kStaff;
constexpr uint32_t kUnitPeople = kManager | kMember;
constexpr uint32_t kSignedIn = kProgramme | kUnitPeople | kVerifier | kBank;

// Who may call what, for the route rows.
constexpr uint32_t kAnyone = kPublic;
constexpr uint32_t kWriters = kProgramme | kUnitPeople;
constexpr uint32_t kReaders = kProgramme | kUnitPeople | kVerifier;

class AnswerCache;  // answer_cache.h
struct Ctx;
struct Route;
using Handler = ApiResponse (*)(Ctx&);
// Loads the resource the path names into Ctx::resource and decides whether
// the caller may see it: kNotFound when it does not exist or belongs to a
// tenant the caller may not see (indistinguishable on purpose). nullptr in a
// row: a collection, whose handler filters what it lists with the Visible*
// rules. Each resource's file defines its resolvers beside its routes.
using Resolver = Status (*)(Ctx&, const Route&);

struct Route {
  const char* method;
  const char* path;  // "/api/v1/units/{unit}"
  const char* operation;
  const char* summary;
  uint32_t allow;
  Resolver resolve;
  const char* bank_scope;  // the consent scope a bank needs ("" = banks never)
  const char* body;        // request body: "" none, "json", "upload"
  Handler handler;
};
// Every route: the rows of each resource's file (*_routes.cpp), in one table.
const std::vector<Route>& Routes();
std::vector<Route> OpsRoutes();       // ops_routes.cpp
std::vector<Route> IdentityRoutes();  // identity_routes.cpp
// What a user signed in with a temporary password may do before changing it.
bool AllowedBeforePasswordChange(const Route& route);
std::vector<Route> UnitRoutes();       // unit_routes.cpp
std::vector<Route> ImportRoutes();     // import_routes.cpp
std::vector<Route> InventoryRoutes();  // inventory_routes.cpp
std::vector<Route> ConsentRoutes();    // consent_routes.cpp
std::vector<Route> ProgrammeRoutes();  // programme_routes.cpp
std::vector<Route> ReferenceRoutes();  // reference_routes.cpp

// An inventory a route's path names: its head (without the document) and
// its stored document, shared with the cache of frozen inventories.
struct LoadedInventory {
  InventoryRecord head;
  std::shared_ptr<const std::string> document;
};

// What a handler works with. Resources named by the path are loaded by
// Authorize before the handler runs.
struct Ctx {
  const ApiRequest& req;
  Api::Impl& api;
  Store& store;
  Principal who;
  Actor actor;
  std::map<std::string, std::string> path;
  std::multimap<std::string, std::string> query;
  json body = {};  // parsed JSON body, when the route takes one
  // What the route's resolver loaded: a UnitRecord, a LoadedInventory, a
  // BatchRecord, a ConsentRecord or an ApiTokenRecord (empty on collections).
  std::any resource = {};
  std::map<int64_t, std::string> token_units = {};  // API token -> its unit, as looked up
  int64_t now = 0;                                  // UTC seconds
  // The reference data as it was when the request came in (a dataset
  // published meanwhile does not change a request halfway).
  std::shared_ptr<const ReferenceData> data;

  std::string Query(const std::string& name) const;  // "" when absent
  // The resource the resolver loaded, as the type the route's resolver stores
  // (asking for another type is a programming error: bad_any_cast).
  template <typename T>
  const T& Loaded() const {
    return std::any_cast<const T&>(resource);
  }
};

// --- authorization (authz.cpp): the one place ---------------------------------

// Decides for every route: 401 without credentials where they are needed, 403
// when the caller's role may not use the route; then the route's resolver
// loads its resource (404 when hidden).
Status Authorize(Ctx& ctx, const Route& route);
bool RoleAllowed(const Principal& who, uint32_t allow);
// Visibility rules used by Authorize and by the handlers that list.
bool VisibleUnit(Ctx& ctx, const std::string& unit_id, std::string_view bank_scope);
// `published_is_public`: on routes open to the public, a published
// inventory is visible to everyone; elsewhere the tenancy rules apply.
bool VisibleInventory(Ctx& ctx, const InventoryRecord& inv, bool published_is_public = true);
// A batch: its maker's and the programme's; one sent with a unit's API token
// (a meter gateway) is also that unit's people's.
bool VisibleBatch(Ctx& ctx, const BatchRecord& batch);
bool VisibleConsent(const Ctx& ctx, const ConsentRecord& consent);
// A bank sees only what its live consents cover: `scope` for `year` (no
// year: for any year one of them covers).
bool BankMay(Ctx& ctx, const std::string& unit_id, std::string_view scope, std::optional<int> year);
// Whether the caller, who may see the unit, may read its data of every year
// from `from_year` to `to_year`: a bank only years its readings consent
// covers (and not past its expiry), a verifier only the years it is assigned
// to (docs/roles.md, "Years"); everyone else who sees the unit, any year.
bool MayReadYears(Ctx& ctx, const std::string& unit_id, int from_year, int to_year);
// The units a caller may write data for (manager, member, token: possibly
// none), or nothing for programme roles, who may write every unit.
std::optional<std::vector<std::string>> WritableUnits(const Principal& who);

// --- responses ----------------------------------------------------------------

ApiResponse Json(int status, const json& body);
ApiResponse RawJson(int status, std::string body);
// RFC 9457 problem details; `pointer` is a JSON pointer into the request
// body ("#/year") or names a query/path parameter. `code` (core/problem_codes.h)
// and its parameters let the web app say it in the user's language; ""
// answers the generic code of the status.
ApiResponse Problem(int status, const std::string& title, const std::string& detail,
                    const std::string& instance, const std::string& pointer = "",
                    const std::string& code = "", const ProblemParams& params = {});
ApiResponse ProblemFrom(const Error& error, const std::string& instance);
// The 500 answer to a response that held a number that is not finite
// (logged; nothing of the response is shown).
ApiResponse NonFiniteProblem(const std::string& instance);
int StatusOf(ErrorKind kind);
const char* Title(int status);        // "Not found", ...
const char* GenericCode(int status);  // "not_found", ...: a code for any error of the status

// --- request body fields, with the JSON pointer of a bad one ------------------

Result<std::string> StringField(const json& body, const char* name, bool required,
                                size_t max_length = 200);
Result<int64_t> IntField(const json& body, const char* name, bool required, int64_t min,
                         int64_t max, int64_t fallback = 0);
// An array of strings; absent or null: empty. An item that is not a string
// is named by its pointer ("units/2").
Result<std::vector<std::string>> StringArrayField(const json& body, const char* name,
                                                  size_t max_items = 1000);
Status OnlyFields(const json& body, std::initializer_list<const char*> names);
// An optional positive finite number: absent or null is none.
Result<std::optional<double>> PositiveField(const json& body, const char* name);
// An invalid field (or query parameter) named by `field`, with `code` and
// its parameters besides {"field": field}.
Error FieldError(const std::string& field, const char* code, const std::string& message,
                 ProblemParams params = {});

// --- shared state -------------------------------------------------------------

class ApiState {
 public:
  virtual ~ApiState() = default;
  virtual std::shared_ptr<const ReferenceData> Data() = 0;
  // Rebuilds the reference data from the bundled files and the versions
  // published in the store, and serves it from the next request on.
  virtual Status Republish(Store& store) = 0;
  virtual const VeeSettings& vee() const = 0;
  // data/programme.toml: when inventories are due.
  virtual const ProgrammeCalendar& calendar() const = 0;
  virtual const ServerConfig& config() const = 0;
  virtual Metrics& metrics() = 0;
  // An inventory's stored document. Those past draft cannot change (the
  // schema refuses it), so they are kept in memory, up to the configured
  // size, and shared by every request that reads them.
  virtual Result<std::shared_ptr<const std::string>> InventoryDocument(
      Store& store, const InventoryRecord& head) = 0;
  // Answers from published data only, kept per audit head (answer_cache.h).
  virtual AnswerCache& PublicAnswers() = 0;
  // Whether data under an inventory past draft changed, kept per audit head
  // (inventory/data_changes.h).
  virtual DataChangeCache& DataChanges() = 0;
  // Where checkpoints of the audit head are kept ([audit] dir), or nothing.
  virtual const AuditAnchor* Anchor() const = 0;
};
ApiState& State(Ctx& ctx);
inline const ReferenceData& Data(const Ctx& ctx) { return *ctx.data; }

json UnitJson(const UnitRecord& u);

// The request's inventory with its document, for code that takes a whole
// record.
InventoryRecord WholeInventory(const Ctx& ctx);
// Programme admin or staff: every unit, every state (authz.cpp).
bool Programme(const Principal& who);
// The problem answer for an error; its instance is the request's path (routes.cpp).
ApiResponse Fail(const Ctx& ctx, const Error& e);

json InventorySummary(const InventoryRecord& inv);
// An import batch as api/openapi.json's Batch.
json BatchJson(const BatchRecord& b);
ApiResponse NoContent();
// The caller may write data of this unit (programme roles: any unit).
bool MayWriteUnit(const Ctx& ctx, const std::string& unit_id);
// "2026-11-28T23:54:33Z" of UTC seconds.
std::string FormatUtc(int64_t seconds);
// A positive id of a path segment, or nothing.
std::optional<int64_t> PathId(const std::string& text);
// What a resolver answers for a resource the caller may not see: "<what>
// does not exist", with the code of its kind ("unit.not_found") and its id.
Error Hidden(const std::string& what, const char* code, ProblemParams params);

// Returns the problem answer from a handler when `expr` (a Status) failed.
#define CL_API_TRY(expr)                                             \
  do {                                                               \
    if (auto _st = (expr); !_st.ok()) return Fail(ctx, _st.error()); \
  } while (0)

// Assigns the value of a Result to `lhs`, or answers with its error.
#define CL_API_ASSIGN(lhs, expr)                \
  do {                                          \
    auto _r = (expr);                           \
    if (!_r.ok()) return Fail(ctx, _r.error()); \
    (lhs) = std::move(_r).value();              \
  } while (0)

}  // namespace cl::api
