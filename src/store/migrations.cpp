#include "migrations.h"

namespace cl::sql {
namespace {

// Large tables (reading_chunks, revisions, quality_flags, activities) lead
// their keys with unit_no, the column a Citus cluster would distribute them by
// (docs/store.md).
const char* kSqliteV1 = R"sql(
CREATE TABLE units (
  unit_no INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  credit_code TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  province TEXT NOT NULL,
  city TEXT NOT NULL,
  district TEXT NOT NULL,
  industry_code TEXT NOT NULL);
CREATE TABLE sites (
  unit_no INTEGER NOT NULL REFERENCES units(unit_no),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  district TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  PRIMARY KEY (unit_no, id));
CREATE TABLE meters (
  meter_no INTEGER PRIMARY KEY,
  unit_no INTEGER NOT NULL REFERENCES units(unit_no),
  id TEXT NOT NULL UNIQUE,
  site_id TEXT NOT NULL,
  carrier TEXT NOT NULL,
  unit_of_measure TEXT NOT NULL,
  reading_interval TEXT NOT NULL,
  kind TEXT NOT NULL,
  rollover REAL,
  multiplier REAL NOT NULL,
  time_zone TEXT NOT NULL);
CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  row_count INTEGER NOT NULL DEFAULT 0,
  accepted INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  revised INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  flagged INTEGER NOT NULL DEFAULT 0);
CREATE TABLE rejects (
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  seq INTEGER NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  col INTEGER NOT NULL,
  field TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (batch_id, seq)) WITHOUT ROWID;
CREATE TABLE reading_chunks (
  unit_no INTEGER NOT NULL,
  meter_no INTEGER NOT NULL,
  chunk_day INTEGER NOT NULL,
  count INTEGER NOT NULL,
  total REAL NOT NULL,
  batch_id INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (unit_no, meter_no, chunk_day)) WITHOUT ROWID;
CREATE TABLE revisions (
  unit_no INTEGER NOT NULL,
  meter_no INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  old_value REAL NOT NULL,
  old_batch INTEGER NOT NULL,
  new_value REAL NOT NULL,
  new_batch INTEGER NOT NULL,
  revised_at TEXT NOT NULL,
  revised_by TEXT NOT NULL);
CREATE INDEX revisions_meter ON revisions (meter_no, ts);
CREATE TABLE quality_flags (
  unit_no INTEGER NOT NULL,
  meter_no INTEGER NOT NULL,
  chunk_day INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  batch_id INTEGER NOT NULL);
CREATE INDEX quality_flags_chunk ON quality_flags (meter_no, chunk_day, kind);
CREATE TABLE activities (
  id INTEGER PRIMARY KEY,
  unit_no INTEGER NOT NULL REFERENCES units(unit_no),
  key TEXT NOT NULL,
  site_id TEXT NOT NULL,
  meter_id TEXT NOT NULL,
  activity TEXT NOT NULL,
  quantity REAL NOT NULL,
  unit_of_measure TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  data_source TEXT NOT NULL,
  instrument TEXT NOT NULL,
  instrument_ids TEXT NOT NULL,
  factor REAL,
  factor_unit TEXT NOT NULL,
  note TEXT NOT NULL,
  source_file TEXT NOT NULL,
  line INTEGER NOT NULL,
  batch_id INTEGER NOT NULL,
  UNIQUE (unit_no, key));
CREATE TABLE inventories (
  id INTEGER PRIMARY KEY,
  unit_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  methodology TEXT NOT NULL,
  pins TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'locked')),
  version INTEGER NOT NULL,
  supersedes INTEGER NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL);
CREATE TRIGGER inventories_frozen BEFORE UPDATE ON inventories
  WHEN OLD.status <> 'draft' AND (NEW.document IS NOT OLD.document OR NEW.pins IS NOT OLD.pins
    OR NEW.unit_id IS NOT OLD.unit_id OR NEW.year IS NOT OLD.year
    OR NEW.methodology IS NOT OLD.methodology OR NEW.version IS NOT OLD.version)
BEGIN
  SELECT RAISE(ABORT, 'a submitted inventory cannot be changed; create a corrected version');
END;
CREATE TRIGGER inventories_kept BEFORE DELETE ON inventories WHEN OLD.status <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'a submitted inventory cannot be deleted');
END;
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  recorded_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  origin TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  reason TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO audit_head VALUES (1, 0, '');
)sql";

const char* kPostgresV1 = R"sql(
CREATE TABLE units (
  unit_no BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  credit_code TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  province TEXT NOT NULL,
  city TEXT NOT NULL,
  district TEXT NOT NULL,
  industry_code TEXT NOT NULL);
CREATE TABLE sites (
  unit_no BIGINT NOT NULL REFERENCES units(unit_no),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  district TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  PRIMARY KEY (unit_no, id));
CREATE TABLE meters (
  meter_no BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  unit_no BIGINT NOT NULL REFERENCES units(unit_no),
  id TEXT NOT NULL UNIQUE,
  site_id TEXT NOT NULL,
  carrier TEXT NOT NULL,
  unit_of_measure TEXT NOT NULL,
  reading_interval TEXT NOT NULL,
  kind TEXT NOT NULL,
  rollover DOUBLE PRECISION,
  multiplier DOUBLE PRECISION NOT NULL,
  time_zone TEXT NOT NULL);
CREATE TABLE batches (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  row_count BIGINT NOT NULL DEFAULT 0,
  accepted BIGINT NOT NULL DEFAULT 0,
  unchanged BIGINT NOT NULL DEFAULT 0,
  revised BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  flagged BIGINT NOT NULL DEFAULT 0);
CREATE TABLE rejects (
  batch_id BIGINT NOT NULL REFERENCES batches(id),
  seq BIGINT NOT NULL,
  file TEXT NOT NULL,
  line BIGINT NOT NULL,
  col BIGINT NOT NULL,
  field TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (batch_id, seq));
CREATE TABLE reading_chunks (
  unit_no BIGINT NOT NULL,
  meter_no BIGINT NOT NULL,
  chunk_day INTEGER NOT NULL,
  count INTEGER NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  batch_id BIGINT NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (unit_no, meter_no, chunk_day));
CREATE TABLE revisions (
  unit_no BIGINT NOT NULL,
  meter_no BIGINT NOT NULL,
  ts BIGINT NOT NULL,
  old_value DOUBLE PRECISION NOT NULL,
  old_batch BIGINT NOT NULL,
  new_value DOUBLE PRECISION NOT NULL,
  new_batch BIGINT NOT NULL,
  revised_at TEXT NOT NULL,
  revised_by TEXT NOT NULL);
CREATE INDEX revisions_meter ON revisions (meter_no, ts);
CREATE TABLE quality_flags (
  unit_no BIGINT NOT NULL,
  meter_no BIGINT NOT NULL,
  chunk_day INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  batch_id BIGINT NOT NULL);
CREATE INDEX quality_flags_chunk ON quality_flags (meter_no, chunk_day, kind);
CREATE TABLE activities (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  unit_no BIGINT NOT NULL REFERENCES units(unit_no),
  key TEXT NOT NULL,
  site_id TEXT NOT NULL,
  meter_id TEXT NOT NULL,
  activity TEXT NOT NULL,
  quantity DOUBLE PRECISION NOT NULL,
  unit_of_measure TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  data_source TEXT NOT NULL,
  instrument TEXT NOT NULL,
  instrument_ids TEXT NOT NULL,
  factor DOUBLE PRECISION,
  factor_unit TEXT NOT NULL,
  note TEXT NOT NULL,
  source_file TEXT NOT NULL,
  line BIGINT NOT NULL,
  batch_id BIGINT NOT NULL,
  UNIQUE (unit_no, key));
CREATE TABLE inventories (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  unit_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  methodology TEXT NOT NULL,
  pins TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'verified', 'locked')),
  version INTEGER NOT NULL,
  supersedes BIGINT NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL);
CREATE FUNCTION inventories_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'a submitted inventory cannot be deleted';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND (NEW.document IS DISTINCT FROM OLD.document
      OR NEW.pins IS DISTINCT FROM OLD.pins OR NEW.unit_id IS DISTINCT FROM OLD.unit_id
      OR NEW.year IS DISTINCT FROM OLD.year OR NEW.methodology IS DISTINCT FROM OLD.methodology
      OR NEW.version IS DISTINCT FROM OLD.version) THEN
    RAISE EXCEPTION 'a submitted inventory cannot be changed; create a corrected version';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER inventories_frozen BEFORE UPDATE OR DELETE ON inventories
  FOR EACH ROW EXECUTE FUNCTION inventories_frozen();
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  recorded_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  origin TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  reason TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO audit_head VALUES (1, 0, '');
)sql";

// Saved column mappings for imports, by name. Same text in both dialects.
const char* kV2 = R"sql(
CREATE TABLE mapping_profiles (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  definition TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL);
)sql";

// Month totals per meter beside the chunks (roll-ups).
const char* kSqliteV3 = R"sql(
CREATE TABLE meter_months (
  unit_no INTEGER NOT NULL,
  meter_no INTEGER NOT NULL,
  month INTEGER NOT NULL,
  count INTEGER NOT NULL,
  total REAL NOT NULL,
  PRIMARY KEY (unit_no, meter_no, month)) WITHOUT ROWID;
INSERT INTO meter_months (unit_no, meter_no, month, count, total)
  SELECT c.unit_no, c.meter_no,
         CAST(strftime('%Y', c.chunk_day * 86400, 'unixepoch') AS INTEGER) * 12 +
           CAST(strftime('%m', c.chunk_day * 86400, 'unixepoch') AS INTEGER) - 1,
         SUM(c.count), SUM(c.total)
  FROM reading_chunks c JOIN meters m ON m.meter_no = c.meter_no
  WHERE m.reading_interval <> 'monthly'
  GROUP BY 1, 2, 3;
)sql";
const char* kPostgresV3 = R"sql(
CREATE TABLE meter_months (
  unit_no BIGINT NOT NULL,
  meter_no BIGINT NOT NULL,
  month INTEGER NOT NULL,
  count BIGINT NOT NULL,
  total DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (unit_no, meter_no, month));
INSERT INTO meter_months (unit_no, meter_no, month, count, total)
  SELECT c.unit_no, c.meter_no,
         (EXTRACT(YEAR FROM DATE '1970-01-01' + c.chunk_day)::int * 12 +
          EXTRACT(MONTH FROM DATE '1970-01-01' + c.chunk_day)::int - 1),
         SUM(c.count), SUM(c.total)
  FROM reading_chunks c JOIN meters m ON m.meter_no = c.meter_no
  WHERE m.reading_interval <> 'monthly'
  GROUP BY 1, 2, 3;
)sql";

// Identity: users and their units, API tokens, browser sessions. Secrets
// are stored hashed (argon2id for passwords, SHA-256 for random tokens).
const char* kSqliteV4 = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL);
CREATE TABLE user_units (
  user_id INTEGER NOT NULL REFERENCES users(id),
  unit_id TEXT NOT NULL,
  PRIMARY KEY (user_id, unit_id));
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  unit_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  label TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  created_at TEXT NOT NULL);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  origin TEXT NOT NULL);
)sql";
const char* kPostgresV4 = R"sql(
CREATE TABLE users (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL);
CREATE TABLE user_units (
  user_id BIGINT NOT NULL REFERENCES users(id),
  unit_id TEXT NOT NULL,
  PRIMARY KEY (user_id, unit_id));
CREATE TABLE api_tokens (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  unit_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  label TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  created_at TEXT NOT NULL);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  origin TEXT NOT NULL);
)sql";

// The tables migration 5 adds, the same in both dialects but for their
// surrogate keys (@PK@).
const char* kV5Tables = R"sql(
CREATE TABLE consents (
  id @PK@,
  unit_id TEXT NOT NULL,
  bank TEXT NOT NULL,
  scopes TEXT NOT NULL,
  year_from INTEGER NOT NULL,
  year_to INTEGER NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL);
CREATE INDEX consents_unit ON consents (unit_id);
CREATE TABLE verifier_assignments (
  unit_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  verifier TEXT NOT NULL,
  assigned_at TEXT NOT NULL,
  assigned_by TEXT NOT NULL,
  PRIMARY KEY (unit_id, year));
CREATE TABLE inventory_reviews (
  id @PK@,
  inventory_id BIGINT NOT NULL REFERENCES inventories(id),
  reviewer TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('verified', 'returned')),
  opinion TEXT NOT NULL,
  at TEXT NOT NULL);
CREATE INDEX inventory_reviews_inventory ON inventory_reviews (inventory_id);
CREATE INDEX inventories_unit ON inventories (unit_id, year);
)sql";

// kV5Tables with @PK@ spelled for a dialect.
std::string V5Tables(const std::string& pk) {
  std::string sql = kV5Tables;
  for (size_t at; (at = sql.find("@PK@")) != std::string::npos;) sql.replace(at, 4, pk);
  return sql;
}

const char* kSqliteV5 = R"sql(
ALTER TABLE users ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
-- The workflow gains 'returned'; its last step, called 'locked' so far, is 'published'.
CREATE TABLE inventories_v5 (
  id INTEGER PRIMARY KEY,
  unit_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  methodology TEXT NOT NULL,
  pins TEXT NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('draft', 'submitted', 'returned', 'verified', 'published')),
  version INTEGER NOT NULL,
  supersedes INTEGER NOT NULL,
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL);
INSERT INTO inventories_v5 SELECT id, unit_id, year, methodology, pins,
  CASE status WHEN 'locked' THEN 'published' ELSE status END, version, supersedes, document,
  created_at, created_by FROM inventories;
DROP TABLE inventories;
ALTER TABLE inventories_v5 RENAME TO inventories;
CREATE TRIGGER inventories_frozen BEFORE UPDATE ON inventories
  WHEN OLD.status <> 'draft' AND (NEW.document IS NOT OLD.document OR NEW.pins IS NOT OLD.pins
    OR NEW.unit_id IS NOT OLD.unit_id OR NEW.year IS NOT OLD.year
    OR NEW.methodology IS NOT OLD.methodology OR NEW.version IS NOT OLD.version
    OR NEW.supersedes IS NOT OLD.supersedes)
BEGIN
  SELECT RAISE(ABORT, 'a submitted inventory cannot be changed; create a corrected version');
END;
CREATE TRIGGER inventories_kept BEFORE DELETE ON inventories WHEN OLD.status <> 'draft'
BEGIN
  SELECT RAISE(ABORT, 'a submitted inventory cannot be deleted');
END;
)sql";
const char* kPostgresV5 = R"sql(
ALTER TABLE users ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
-- The workflow gains 'returned'; its last step, called 'locked' so far, is 'published'.
ALTER TABLE inventories DROP CONSTRAINT inventories_status_check;
UPDATE inventories SET status = 'published' WHERE status = 'locked';
ALTER TABLE inventories ADD CONSTRAINT inventories_status_check
  CHECK (status IN ('draft', 'submitted', 'returned', 'verified', 'published'));
)sql";
const char* kV6 = R"sql(
CREATE TABLE dataset_versions (
  dataset TEXT NOT NULL,
  version TEXT NOT NULL,
  title TEXT NOT NULL,
  published TEXT NOT NULL,
  notes TEXT NOT NULL,
  rows_csv TEXT NOT NULL,
  added_at TEXT NOT NULL,
  added_by TEXT NOT NULL,
  PRIMARY KEY (dataset, version));
)sql";
// An inventory past draft never goes back to draft (a correction is a new
// version): with the frozen columns, its document can never change, which
// is what lets the server keep it in memory (docs/decisions/0007).
const char* kSqliteV7 = R"sql(
CREATE TRIGGER inventories_forward BEFORE UPDATE OF status ON inventories
  WHEN OLD.status <> 'draft' AND NEW.status = 'draft'
BEGIN
  SELECT RAISE(ABORT, 'a submitted inventory cannot go back to draft; create a corrected version');
END;
)sql";
const char* kPostgresV7 = R"sql(
CREATE FUNCTION inventories_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' AND NEW.status = 'draft' THEN
    RAISE EXCEPTION 'a submitted inventory cannot go back to draft; create a corrected version';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER inventories_forward BEFORE UPDATE ON inventories
  FOR EACH ROW EXECUTE FUNCTION inventories_forward();
)sql";

// The figures read model (store/figures.h): an inventory's headline figures
// and its lines' energy and emissions, in the base units of core/units.h
// (MJ, kgCO2e, CNY). Keyed by unit_no first, like the other large tables, so
// that a Citus cluster can distribute them by unit (docs/store.md). No
// backfill here: a document holds tce and tCO2e, not the engine's MJ and
// kgCO2e, and JSON functions differ between the dialects; an inventory
// without figures is read from its document (app/overview).
const char* kV8Figures = R"sql(
CREATE TABLE inventory_figures (
  unit_no @INT@ NOT NULL REFERENCES units(unit_no),
  inventory_id @INT@ NOT NULL,
  year INTEGER NOT NULL,
  methodology TEXT NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'verified', 'published')),
  datasets TEXT NOT NULL,
  energy_mj @REAL@ NOT NULL,
  scope1_kgco2e @REAL@ NOT NULL,
  scope2_kgco2e @REAL@ NOT NULL,
  scope2_location_kgco2e @REAL@ NOT NULL,
  scope2_market_kgco2e @REAL@,
  scope3_kgco2e @REAL@ NOT NULL,
  total_kgco2e @REAL@ NOT NULL,
  biogenic_co2_kg @REAL@,
  output_value_cny @REAL@,
  tce_per_10k_cny @REAL@,
  tco2e_per_10k_cny @REAL@,
  PRIMARY KEY (unit_no, inventory_id));
CREATE INDEX inventory_figures_year ON inventory_figures (year, methodology);
CREATE INDEX inventory_figures_inventory ON inventory_figures (inventory_id);
CREATE TABLE inventory_line_figures (
  unit_no @INT@ NOT NULL,
  inventory_id @INT@ NOT NULL,
  line INTEGER NOT NULL,
  carrier TEXT NOT NULL,
  scope INTEGER NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  energy_mj @REAL@ NOT NULL,
  emissions_kgco2e @REAL@ NOT NULL,
  PRIMARY KEY (unit_no, inventory_id, line),
  FOREIGN KEY (unit_no, inventory_id) REFERENCES inventory_figures (unit_no, inventory_id));
)sql";

// Accounts (docs/roles.md §Accounts): a temporary password that must be
// changed, valid until `temporary_until` (UTC seconds; 0: a password the
// user chose); failed sign-ins counted per login and client address, so
// that the answer is the same for logins that exist and those that do not
// and nobody can lock someone else out from elsewhere. A row is kept until
// it has been quiet for a while (identity.h, IdentityPolicy).
const char* kV9Accounts = R"sql(
ALTER TABLE users ADD COLUMN temporary_until @INT@ NOT NULL DEFAULT 0;
CREATE TABLE sign_in_backoff (
  login TEXT NOT NULL,
  address TEXT NOT NULL,
  failures INTEGER NOT NULL,
  locked_until @INT@ NOT NULL,
  updated_at @INT@ NOT NULL,
  PRIMARY KEY (login, address));
CREATE INDEX sign_in_backoff_updated ON sign_in_backoff (updated_at);
CREATE INDEX sessions_user ON sessions (user_id);
)sql";

// Why a version corrects the one it supersedes, on the version itself (it
// was in the audit log only, which a unit's people cannot read): the history
// of an inventory shows it.
const char* kV10CorrectionReasons = R"sql(
ALTER TABLE inventories ADD COLUMN reason TEXT NOT NULL DEFAULT '';
)sql";

// A verifier's structured conclusion and findings on its review, and when
// an inventory was submitted (the verifier's queue shows how long it waits).
const char* kV11ReviewConclusions = R"sql(
ALTER TABLE inventory_reviews ADD COLUMN conclusion TEXT NOT NULL DEFAULT '';
ALTER TABLE inventory_reviews ADD COLUMN findings TEXT NOT NULL DEFAULT '[]';
ALTER TABLE inventories ADD COLUMN submitted_at TEXT NOT NULL DEFAULT '';
)sql";

// A unit's gross floor area: buildings are compared per m², not per output
// value (docs/roles.md, fair comparisons).
const char* kV12FloorArea = R"sql(
ALTER TABLE units ADD COLUMN floor_area_m2 @REAL@;
)sql";

// A verifier's report file (a PDF) on an inventory, kept in the store with
// the inventory it is about (backed up and replicated with it).
const char* kV13ReviewReports = R"sql(
CREATE TABLE inventory_review_reports (
  inventory_id @INT@ PRIMARY KEY REFERENCES inventories (id),
  file_name TEXT NOT NULL,
  size_bytes @INT@ NOT NULL,
  sha256 TEXT NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL,
  body @BLOB@ NOT NULL);
)sql";

// SQL with its @INT@ and @REAL@ types spelled for a dialect.
std::string Typed(const char* text, const std::string& integer, const std::string& real,
                  const std::string& blob = "BLOB") {
  std::string sql = text;
  for (size_t at; (at = sql.find("@BLOB@")) != std::string::npos;) sql.replace(at, 6, blob);
  for (size_t at; (at = sql.find("@INT@")) != std::string::npos;) sql.replace(at, 5, integer);
  for (size_t at; (at = sql.find("@REAL@")) != std::string::npos;) sql.replace(at, 6, real);
  return sql;
}

}  // namespace

const std::vector<Migration>& Migrations(Dialect dialect) {
  static const std::string sqlite_v5 = kSqliteV5 + V5Tables("INTEGER PRIMARY KEY");
  static const std::string postgres_v5 =
      kPostgresV5 + V5Tables("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  static const std::string sqlite_v8 = Typed(kV8Figures, "INTEGER", "REAL");
  static const std::string postgres_v8 = Typed(kV8Figures, "BIGINT", "DOUBLE PRECISION");
  static const std::string sqlite_v9 = Typed(kV9Accounts, "INTEGER", "REAL");
  static const std::string postgres_v9 = Typed(kV9Accounts, "BIGINT", "DOUBLE PRECISION");
  static const std::string sqlite_v12 = Typed(kV12FloorArea, "INTEGER", "REAL");
  static const std::string postgres_v12 = Typed(kV12FloorArea, "BIGINT", "DOUBLE PRECISION");
  static const std::string sqlite_v13 = Typed(kV13ReviewReports, "INTEGER", "REAL", "BLOB");
  static const std::string postgres_v13 =
      Typed(kV13ReviewReports, "BIGINT", "DOUBLE PRECISION", "BYTEA");
  static const std::vector<Migration> sqlite = {
      {1, "initial schema", kSqliteV1},
      {2, "mapping profiles", kV2},
      {3, "month totals", kSqliteV3},
      {4, "identity", kSqliteV4},
      {5, "workflow, consents, assignments", sqlite_v5.c_str()},
      {6, "published dataset versions", kV6},
      {7, "inventories never back to draft", kSqliteV7},
      {8, "inventory figures", sqlite_v8.c_str()},
      {9, "accounts", sqlite_v9.c_str()},
      {10, "correction reasons", kV10CorrectionReasons},
      {11, "review conclusions", kV11ReviewConclusions},
      {12, "floor area", sqlite_v12.c_str()},
      {13, "review reports", sqlite_v13.c_str()}};
  static const std::vector<Migration> postgres = {
      {1, "initial schema", kPostgresV1},
      {2, "mapping profiles", kV2},
      {3, "month totals", kPostgresV3},
      {4, "identity", kPostgresV4},
      {5, "workflow, consents, assignments", postgres_v5.c_str()},
      {6, "published dataset versions", kV6},
      {7, "inventories never back to draft", kPostgresV7},
      {8, "inventory figures", postgres_v8.c_str()},
      {9, "accounts", postgres_v9.c_str()},
      {10, "correction reasons", kV10CorrectionReasons},
      {11, "review conclusions", kV11ReviewConclusions},
      {12, "floor area", postgres_v12.c_str()},
      {13, "review reports", postgres_v13.c_str()}};
  return dialect == Dialect::kSqlite ? sqlite : postgres;
}

}  // namespace cl::sql
