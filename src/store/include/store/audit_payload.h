// What an audit entry of the store records about a record, and how an entry
// is hashed into the chain. Shared by the SQL store and by test doubles that
// must write the same chain (tests/support/fake_store.h), so that
// AuditRepository::VerifyAudit means the same everywhere. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/records.h"

namespace cl {

using AuditJson = nlohmann::ordered_json;

// A record as its audit entry's before/after text.
AuditJson UnitJson(const UnitRecord& u);
AuditJson SiteJson(const SiteRecord& s);
AuditJson MeterJson(const MeterRecord& m);
AuditJson ActivityJson(const ActivityRow& a);
AuditJson BatchJson(const BatchRecord& b);
// The lowercase hex SHA-256 of `text` (libsodium; sodium_init must have run).
std::string Sha256Hex(const std::string& text);
// What the hash of an entry covers: every field, length-prefixed so that no
// two different entries serialise alike.
std::string AuditPayload(const AuditEntry& e);

}  // namespace cl
