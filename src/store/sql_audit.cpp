// The hash-chained audit log over sql::Db.
#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlAudit final : public AuditRepository, private Part {
 public:
  explicit SqlAudit(Session& session) : Part(session) {}

  Status AppendAudit(AuditEntry e) override { return s_.AppendAudit(std::move(e)); }

  Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int limit) override {
    auto st =
        Q("SELECT seq, recorded_at, actor, origin, action, entity, entity_id, before_json, "
          "after_json, reason, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq "
          "LIMIT ?");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, after_seq);
    (*st)->BindInt(2, limit);
    std::vector<AuditEntry> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({s->Int(0), s->Text(1), s->Text(2), s->Text(3), s->Text(4), s->Text(5),
                     s->Text(6), s->Text(7), s->Text(8), s->Text(9), s->Text(10), s->Text(11)});
    }
    return out;
  }

  Result<AuditCheck> VerifyAudit() override {
    AuditCheck check;
    std::string prev;
    int64_t expected = 1;
    int64_t after = 0;
    for (;;) {
      auto page = ListAudit(after, 10000);
      if (!page.ok()) return page.error();
      if (page->empty()) break;
      for (const auto& e : *page) {
        ++check.entries;
        std::string where = "audit entry " + std::to_string(e.seq);
        if (e.seq != expected)
          check.problems.push_back("audit entry " + std::to_string(expected) +
                                   " is missing (next is " + std::to_string(e.seq) + ")");
        if (e.prev_hash != prev)
          check.problems.push_back(where +
                                   ": does not follow the entry before it (removed, "
                                   "inserted or reordered entries)");
        if (Sha256Hex(AuditPayload(e)) != e.hash)
          check.problems.push_back(where + ": its content does not match its hash (edited)");
        prev = e.hash;
        expected = e.seq + 1;
        after = e.seq;
      }
    }
    auto head = Q("SELECT seq, hash FROM audit_head WHERE id=1");
    if (!head.ok()) return head.error();
    auto row = (*head)->Step();
    if (!row.ok()) return row.error();
    if (!*row) {
      check.problems.push_back("the audit head is missing");
    } else if ((*head)->Int(0) != after || (*head)->Text(1) != prev) {
      check.problems.push_back("the last " + std::to_string((*head)->Int(0) - after) +
                               " audit entries are missing (the head is at entry " +
                               std::to_string((*head)->Int(0)) + ")");
    }
    if (*row) CL_RETURN_IF_ERROR((*head)->Step());
    return check;
  }
};

}  // namespace

std::unique_ptr<AuditRepository> MakeSqlAudit(Session& session) {
  return std::make_unique<SqlAudit>(session);
}

}  // namespace cl::sql
