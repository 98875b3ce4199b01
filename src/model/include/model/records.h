// The platform's records as plain values: what the store keeps and what the
// use cases and the server pass around (the model layer, below the store).
// Ids are the user's text ids; the store adds integer surrogates (unit_no,
// meter_no) for compact keys. Plain values: safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cl {

struct UnitRecord {
  std::string id;
  std::string credit_code;
  std::string name_zh;
  std::string name_en;
  std::string province;
  std::string city;
  std::string district;
  std::string industry_code;
  // Gross floor area in m², for units compared per m² (buildings): none
  // when not reported.
  std::optional<double> floor_area_m2;
  bool operator==(const UnitRecord&) const = default;
};

struct SiteRecord {
  std::string id;
  std::string unit_id;
  std::string name;
  std::string district;
  std::string time_zone = "Asia/Shanghai";
  bool operator==(const SiteRecord&) const = default;
};

// Reading intervals a meter may have. Minutes for the sub-daily ones.
enum class MeterInterval { k1Min, k5Min, k15Min, k30Min, k60Min, kDaily, kMonthly };
const char* MeterIntervalName(MeterInterval i);  // "15min", "daily", ...
Result<MeterInterval> ParseMeterInterval(std::string_view text);
int IntervalSeconds(MeterInterval i);  // 0 for daily and monthly (calendar based)

enum class MeterKind {
  kInterval,  // each reading is the consumption of its interval
  kRegister,  // each reading is a cumulative register value
};
const char* MeterKindName(MeterKind k);
Result<MeterKind> ParseMeterKind(std::string_view text);

struct MeterRecord {
  std::string id;  // unique across the store, e.g. "SH-CHEM-01/E1"
  std::string unit_id;
  std::string site_id;
  std::string carrier;          // activity code: electricity, natural_gas, heat, ...
  std::string unit_of_measure;  // kWh, m3, GJ, ...
  MeterInterval interval = MeterInterval::k15Min;
  MeterKind kind = MeterKind::kInterval;
  std::optional<double> rollover;  // register maximum before it wraps to 0
  double multiplier = 1.0;         // CT x PT ratio
  std::string time_zone = "Asia/Shanghai";
  int64_t meter_no = 0;  // set by the store
  int64_t unit_no = 0;   // set by the store
  bool SameDefinition(const MeterRecord& o) const;
};

// Who does something, from where (recorded in the audit log).
struct Actor {
  std::string user = "cli";
  std::string origin = "local";
};

enum class BatchKind { kReadings, kActivities };
const char* BatchKindName(BatchKind k);

struct BatchRecord {
  int64_t id = 0;
  BatchKind kind = BatchKind::kReadings;
  std::string source;  // file name(s)
  std::string created_at;
  std::string created_by;
  int64_t rows = 0;       // data rows read
  int64_t accepted = 0;   // stored new
  int64_t unchanged = 0;  // identical to what was stored
  int64_t revised = 0;    // replaced a different stored value
  int64_t rejected = 0;
  int64_t flagged = 0;
};

struct RejectRecord {
  int64_t batch_id = 0;
  std::string file;
  int64_t line = 0;
  int column = 0;
  std::string field;
  std::string kind;  // bad_number, unknown_meter, duplicate, ... (docs/ingest.md)
  std::string message;
  bool operator==(const RejectRecord&) const = default;
};

// A data-quality finding that did not reject the reading.
struct FlagRecord {
  int64_t meter_no = 0;
  int64_t unit_no = 0;
  int32_t chunk_day = 0;  // chunk the finding belongs to (local day count)
  int32_t slot = -1;      // -1 for the whole chunk
  std::string kind;       // gap, spike, register_reset, incomplete_day, ...
  std::string detail;
  int64_t batch_id = 0;
  bool operator==(const FlagRecord&) const = default;
};

struct RevisionRecord {
  int64_t meter_no = 0;
  int64_t unit_no = 0;
  int64_t ts = 0;  // UTC seconds of the reading
  double old_value = 0;
  int64_t old_batch = 0;
  double new_value = 0;
  int64_t new_batch = 0;
  std::string revised_at;
  std::string revised_by;
};

struct StoredChunk {
  int64_t unit_no = 0;
  int64_t meter_no = 0;
  int32_t chunk_day = 0;  // local day count of the chunk's first day
  int32_t count = 0;      // readings present
  double total = 0;       // consumption in the meter's unit after multiplier
  int64_t batch_id = 0;   // the last batch that wrote it
  std::string data;       // EncodeChunk
};

struct ActivityRow {
  int64_t id = 0;
  std::string unit_id;
  std::string site_id;
  std::string meter_id;  // a bill of this meter, when set
  std::string activity;  // code, with ":qualifier"/":mobile" as in the template
  double quantity = 0;
  std::string unit_of_measure;
  std::string period_start;  // YYYY-MM-DD
  std::string period_end;
  std::string data_source;  // meter, bill, manual, estimate
  std::string instrument;
  std::string instrument_ids;
  std::optional<double> factor;
  std::string factor_unit;
  std::string note;
  std::string source_file;
  int64_t line = 0;
  int64_t batch_id = 0;
  // Two rows with the same key describe the same thing; a different quantity
  // is a revision.
  std::string Key() const;
};

// draft -> submitted (frozen) -> verified -> published, or submitted ->
// returned (the verifier's opinion says why; a corrected version follows).
enum class InventoryStatus { kDraft, kSubmitted, kReturned, kVerified, kPublished };
const char* InventoryStatusName(InventoryStatus s);
bool InventoryTransitionAllowed(InventoryStatus from, InventoryStatus to);
Result<InventoryStatus> ParseInventoryStatus(std::string_view text);

struct InventoryRecord {
  int64_t id = 0;
  std::string unit_id;  // empty for a programme-wide inventory
  int year = 0;
  std::string methodology;
  std::string pins;  // JSON object: dataset -> version used
  InventoryStatus status = InventoryStatus::kDraft;
  int version = 1;
  int64_t supersedes = 0;  // the inventory this corrects
  std::string document;    // JSON: totals and lines with provenance
  std::string created_at;
  std::string created_by;
  std::string reason;        // why a correction was made (kept with it and in the audit log)
  std::string submitted_at;  // when it was submitted (UTC, ISO 8601); empty while a draft
};

// A person (or the programme office's machine account) who signs in. The
// role names are those of docs/roles.md; units are the tenants a unit
// manager or member may see.
struct UserRecord {
  int64_t id = 0;
  std::string login;
  std::string display_name;
  std::string role;
  std::string password_hash;  // argon2id, libsodium's encoded form
  // A temporary password (set by a reset) is valid until then, UTC seconds,
  // and must be changed before anything else; 0: a password the user chose.
  int64_t temporary_until = 0;
  bool disabled = false;
  std::string created_at;
  std::vector<std::string> units;
  // The bank of a bank analyst, the verification body of a verifier.
  std::string organisation;
};

// A unit lets one bank see some of its data for some years, until it expires
// or the unit revokes it (docs/roles.md §Consent).
struct ConsentRecord {
  int64_t id = 0;
  std::string unit_id;
  std::string bank;                 // organisation of the bank's analysts
  std::vector<std::string> scopes;  // ConsentScopes()
  int year_from = 0;                // reporting years covered, inclusive
  int year_to = 0;
  int64_t expires_at = 0;  // UTC seconds
  std::optional<int64_t> revoked_at;
  std::string created_at;
  std::string created_by;
  bool Allows(std::string_view scope, int year, int64_t now) const;
};
// totals, intensities, licence, readings.
const std::vector<std::string>& ConsentScopes();

// The verifier (a user's login) engaged for one unit's inventory of one year;
// it sees every version of that inventory.
struct AssignmentRecord {
  std::string unit_id;
  int year = 0;
  std::string verifier;
  std::string assigned_at;
  std::string assigned_by;
};

// A reference dataset version published by the programme admin through the
// API (beside the bundled ones in data/reference): its rows file as sent.
struct DatasetVersionRecord {
  std::string dataset;
  std::string version;
  std::string title;
  std::string published;  // ISO date or empty
  std::string notes;
  std::string rows_csv;
  std::string added_at;
  std::string added_by;
};

// One finding of a verification: on a line of the inventory (its id in the
// document's lines) or on the whole (line empty).
struct ReviewFinding {
  std::string line;
  std::string text;
  bool operator==(const ReviewFinding&) const = default;
};

// A verifier's structured conclusion (ISO 14064-3 style): pass,
// pass_with_findings (verified, findings to note) or fail (returned to be
// corrected), with its findings.
struct ReviewDetails {
  std::string conclusion;
  std::vector<ReviewFinding> findings;
};

// A verifier's decision on a submitted inventory.
struct ReviewRecord {
  int64_t id = 0;
  int64_t inventory_id = 0;
  std::string reviewer;
  std::string decision;  // verified, returned
  std::string opinion;
  std::string at;
  std::string conclusion;  // ReviewDetails; empty for reviews made before conclusions
  std::vector<ReviewFinding> findings;
};

// A verifier's report file on a submitted inventory (a PDF), one per
// inventory, with its SHA-256 (hex); `body` is empty when only its
// description was read.
struct ReviewReport {
  int64_t inventory_id = 0;
  std::string file_name;
  int64_t size_bytes = 0;
  std::string sha256;
  std::string uploaded_by;
  std::string uploaded_at;
  std::string body;
};

// A machine's credential: scoped to one unit and one scope ("ingest"),
// expiring and revocable; only its SHA-256 is stored.
struct ApiTokenRecord {
  int64_t id = 0;
  std::string token_hash;
  int64_t user_id = 0;
  std::string unit_id;
  std::string scope;
  std::string label;
  int64_t expires_at = 0;
  std::optional<int64_t> revoked_at;
  std::string created_at;
};

// A browser session: the cookie's and the CSRF token's SHA-256.
// Failed sign-ins of one login from one client address (identity.h): the
// back-off that answers the same whether the login exists or not.
struct SignInBackoff {
  std::string login;
  std::string address;
  int failures = 0;
  int64_t locked_until = 0;  // UTC seconds; 0 = not waiting
  int64_t updated_at = 0;    // UTC seconds
};

// One sign-in's outcome, as the store records it: a success clears the
// back-off of its login and address, a failure stores `failures` and
// `locked_until`. Rows quiet since `forget_before` go. `user_id` is 0 for a
// login that does not exist (nothing to audit then).
struct SignInOutcome {
  std::string login;
  std::string address;
  int64_t user_id = 0;
  bool success = false;
  int failures = 0;
  int64_t locked_until = 0;
  int64_t at = 0;
  int64_t forget_before = 0;
};

struct SessionRecord {
  std::string token_hash;
  int64_t user_id = 0;
  std::string csrf_hash;
  int64_t expires_at = 0;
  std::string created_at;
  std::string origin;
};

struct AuditEntry {
  int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string origin;
  std::string action;  // create, update, import, status, ...
  std::string entity;  // unit, site, meter, batch, activity, inventory
  std::string entity_id;
  std::string before;  // JSON or empty
  std::string after;   // JSON or empty
  std::string reason;
  std::string prev_hash;
  std::string hash;
};

// What a Put did: a new record, an identical one (nothing written), or a
// change (audited).
enum class WriteOutcome { kInserted, kUnchanged, kUpdated };

// The result of checking the audit chain.
struct AuditCheck {
  int64_t entries = 0;
  std::vector<std::string> problems;  // empty when the chain is intact
};

}  // namespace cl
