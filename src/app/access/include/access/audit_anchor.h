// The audit log anchored outside the store (docs/decisions/0011): a
// programme key, an Ed25519 key pair in a file only its owner may read,
// signs checkpoints of the audit head (store, seq, hash, time), appended to a
// JSON-lines file beside the key. Whoever can write the database file but not
// the key cannot make a rewritten, truncated or wiped log agree with the last
// checkpoint again.
//
// Files: <dir>/audit.key (the secret key, hex, mode 0600, created on first
// use) and <dir>/audit-checkpoints.jsonl (public, append-only). No function
// here runs inside a store transaction: callers checkpoint after a commit.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class Store;  // store/store.h

struct AuditAnchor {
  std::filesystem::path dir;  // holds audit.key and audit-checkpoints.jsonl
  std::string store;          // AuditStoreIdentity(target): whose head is checkpointed
};

// One signed statement of the audit head.
struct AuditCheckpoint {
  std::string store;
  int64_t seq = 0;
  std::string hash;        // the hash of audit entry `seq` ("" for an empty log)
  std::string at;          // UTC, ISO 8601
  std::string public_key;  // Ed25519, hex
  std::string signature;   // Ed25519 over AuditCheckpointMessage, hex
};

// $CARBONLEDGER_HOME when set, else the current directory (as the default store).
std::filesystem::path DefaultAuditDir();
// A short stable name for a store target (a SQLite file's absolute path, or a
// PostgreSQL connection string, hashed so that no password is written).
std::string AuditStoreIdentity(const std::string& target);

// The programme's public key (hex), creating the key pair when the file is
// missing. Fails (kInvalidInput, naming the file and its mode) when the key
// file may be read by its group or others, or is not a key.
Result<std::string> AuditPublicKey(const std::filesystem::path& dir);

// The bytes a checkpoint's signature covers.
std::string AuditCheckpointMessage(const AuditCheckpoint& c);
bool AuditCheckpointSigned(const AuditCheckpoint& c);
std::string AuditCheckpointJson(const AuditCheckpoint& c);

// Signs the store's current head and appends it to the checkpoint file,
// unless the last checkpoint of this store already holds it. Refuses
// (kConflict) to sign when the store no longer holds the entry of the last
// checkpoint, so that a tampered log is never anchored. `known`, when given,
// is the caller's newest checkpoint: read from the file only while empty,
// then kept up to date, so that a server writing a checkpoint after every
// write does not read the whole file each time.
Result<AuditCheckpoint> WriteAuditCheckpoint(Store& store, const AuditAnchor& anchor,
                                             std::optional<AuditCheckpoint>* known = nullptr);

// The newest checkpoint of this store with a good signature, if any.
Result<std::optional<AuditCheckpoint>> LatestAuditCheckpoint(const AuditAnchor& anchor);

// What disagrees with the checkpoints: a line whose signature does not verify
// or that another key signed, and a log that no longer holds the last
// checkpoint's entry (rewritten, truncated or wiped). Empty when all agree.
Result<std::vector<std::string>> CheckAuditAnchor(Store& store, const AuditAnchor& anchor);

// Records that must never change without an audit entry, against what the
// log recorded for them: users' roles and units, consents, inventories'
// status and document (its SHA-256). One problem line per difference.
Result<std::vector<std::string>> CheckProtectedRecords(Store& store);

}  // namespace cl
