// The hash-chained audit log over sql::Db.
#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlAudit final : public AuditRepository, private Part {
 public:
  explicit SqlAudit(Session& session) : Part(session) {}

  Status AppendAudit(AuditEntry e) override { return s_.AppendAudit(std::move(e)); }

  Result<std::vector<AuditEntry>> ListAudit(int64_t after_seq, int limit) override {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT seq, recorded_at, actor, origin, action, entity, entity_id, before_json, "
                  "after_json, reason, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq "
                  "LIMIT ?",
                  after_seq, limit));
    return q.All([](Row& r) {
      return AuditEntry{r.Int(),  r.Text(), r.Text(), r.Text(), r.Text(), r.Text(),
                        r.Text(), r.Text(), r.Text(), r.Text(), r.Text(), r.Text()};
    });
  }

  Result<std::vector<AuditEntry>> ListAuditOf(const std::string& action, const std::string& entity,
                                              const std::string& entity_id) override {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT seq, recorded_at, actor, origin, action, entity, entity_id, before_json, "
                  "after_json, reason, prev_hash, hash FROM audit_log WHERE action=? AND entity=? "
                  "AND entity_id=? ORDER BY seq",
                  action, entity, entity_id));
    return q.All([](Row& r) {
      return AuditEntry{r.Int(),  r.Text(), r.Text(), r.Text(), r.Text(), r.Text(),
                        r.Text(), r.Text(), r.Text(), r.Text(), r.Text(), r.Text()};
    });
  }

  Result<AuditPosition> Head() override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT seq, hash FROM audit_head WHERE id=1"));
    CL_ASSIGN_OR_RETURN(auto head, q.First([](Row& r) {
      return AuditPosition{r.Int(), r.Text()};
    }));
    if (!head) return Error::Internal("the audit head is missing");
    return *head;
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
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT seq, hash FROM audit_head WHERE id=1"));
    CL_ASSIGN_OR_RETURN(auto head, q.First([](Row& r) {
      return std::pair<int64_t, std::string>{r.Int(), r.Text()};
    }));
    if (!head) {
      check.problems.emplace_back("the audit head is missing");
    } else if (head->first != after || head->second != prev) {
      check.problems.push_back("the last " + std::to_string(head->first - after) +
                               " audit entries are missing (the head is at entry " +
                               std::to_string(head->first) + ")");
    }
    return check;
  }
};

}  // namespace

std::unique_ptr<AuditRepository> MakeSqlAudit(Session& session) {
  return std::make_unique<SqlAudit>(session);
}

}  // namespace cl::sql
