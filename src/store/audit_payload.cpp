#include "store/audit_payload.h"

#include <sodium.h>

namespace cl {

using json = AuditJson;

json UnitJson(const UnitRecord& u) {
  return {{"id", u.id},
          {"credit_code", u.credit_code},
          {"name_zh", u.name_zh},
          {"name_en", u.name_en},
          {"province", u.province},
          {"city", u.city},
          {"district", u.district},
          {"industry_code", u.industry_code},
          {"floor_area_m2", u.floor_area_m2 ? json(*u.floor_area_m2) : json(nullptr)}};
}
json SiteJson(const SiteRecord& s) {
  return {{"id", s.id},
          {"unit_id", s.unit_id},
          {"name", s.name},
          {"district", s.district},
          {"time_zone", s.time_zone}};
}
json MeterJson(const MeterRecord& m) {
  json j = {{"id", m.id},
            {"unit_id", m.unit_id},
            {"site_id", m.site_id},
            {"carrier", m.carrier},
            {"unit_of_measure", m.unit_of_measure},
            {"interval", MeterIntervalName(m.interval)},
            {"kind", MeterKindName(m.kind)},
            {"multiplier", m.multiplier},
            {"time_zone", m.time_zone}};
  if (m.rollover) j["rollover"] = *m.rollover;
  return j;
}
json ActivityJson(const ActivityRow& a) {
  json j = {{"unit_id", a.unit_id},
            {"site_id", a.site_id},
            {"meter_id", a.meter_id},
            {"activity", a.activity},
            {"quantity", a.quantity},
            {"unit_of_measure", a.unit_of_measure},
            {"period_start", a.period_start},
            {"period_end", a.period_end},
            {"data_source", a.data_source},
            {"source_file", a.source_file},
            {"line", a.line},
            {"batch_id", a.batch_id}};
  if (a.factor) j["factor"] = *a.factor;
  return j;
}
json BatchJson(const BatchRecord& b) {
  return {{"kind", BatchKindName(b.kind)}, {"source", b.source},       {"rows", b.rows},
          {"accepted", b.accepted},        {"unchanged", b.unchanged}, {"revised", b.revised},
          {"rejected", b.rejected},        {"flagged", b.flagged}};
}

std::string Sha256Hex(const std::string& text) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : out) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

// What the hash of an entry covers: every field, length-prefixed so that no
// two different entries serialise alike.
std::string AuditPayload(const AuditEntry& e) {
  std::string p;
  for (const std::string* f : {&e.prev_hash, &e.at, &e.actor, &e.origin, &e.action, &e.entity,
                               &e.entity_id, &e.before, &e.after, &e.reason}) {
    p += std::to_string(f->size());
    p += ':';
    p += *f;
  }
  return std::to_string(e.seq) + '|' + p;
}

// Steps a statement to its end, calling f on every row.

}  // namespace cl
