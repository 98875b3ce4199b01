// Activity records over sql::Db.
#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlActivities final : public ActivitiesRepository, private Part {
 public:
  explicit SqlActivities(Session& session) : Part(session) {}

  Result<WriteOutcome> PutActivity(ActivityRow a, const Actor& by) override {
    return InTxn<WriteOutcome>([&]() -> Result<WriteOutcome> {
      auto unit_no = UnitNo(a.unit_id);
      if (!unit_no.ok()) return unit_no.error();
      const std::string key = a.Key();
      auto old = FindActivity(*unit_no, key, a);
      if (!old.ok()) return old.error();
      if (old->has_value()) return UpdateActivity(**old, a, by);
      return InsertActivity(*unit_no, key, a, by);
    });
  }

  Result<std::vector<ActivityRow>> ListActivities(const std::string& unit_id) override {
    auto st =
        Q("SELECT a.id, u.id, a.site_id, a.meter_id, a.activity, a.quantity, "
          "a.unit_of_measure, a.period_start, a.period_end, a.data_source, a.instrument, "
          "a.instrument_ids, a.factor, a.factor_unit, a.note, a.source_file, a.line, "
          "a.batch_id FROM activities a JOIN units u ON u.unit_no = a.unit_no "
          "WHERE ? = '' OR u.id = ? ORDER BY u.id, a.id");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, unit_id);
    (*st)->BindText(2, unit_id);
    std::vector<ActivityRow> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      ActivityRow a;
      a.id = s->Int(0);
      a.unit_id = s->Text(1);
      a.site_id = s->Text(2);
      a.meter_id = s->Text(3);
      a.activity = s->Text(4);
      a.quantity = s->Double(5);
      a.unit_of_measure = s->Text(6);
      a.period_start = s->Text(7);
      a.period_end = s->Text(8);
      a.data_source = s->Text(9);
      a.instrument = s->Text(10);
      a.instrument_ids = s->Text(11);
      a.factor = s->IsNull(12) ? std::nullopt : std::optional<double>(s->Double(12));
      a.factor_unit = s->Text(13);
      a.note = s->Text(14);
      a.source_file = s->Text(15);
      a.line = s->Int(16);
      a.batch_id = s->Int(17);
      out.push_back(std::move(a));
    }
    return out;
  }

 private:
  // The stored activity under (unit_no, key), its other fields taken from `a`, or nullopt.
  Result<std::optional<ActivityRow>> FindActivity(int64_t unit_no, const std::string& key,
                                                  const ActivityRow& a) {
    auto q =
        Q("SELECT id, quantity, unit_of_measure, factor, factor_unit, note, source_file, "
          "line, batch_id FROM activities WHERE unit_no=? AND key=?");
    if (!q.ok()) return q.error();
    (*q)->BindInt(1, unit_no);
    (*q)->BindText(2, key);
    auto row = (*q)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<ActivityRow>();
    Statement* s = *q;
    ActivityRow old = a;
    old.id = s->Int(0);
    old.quantity = s->Double(1);
    old.unit_of_measure = s->Text(2);
    old.factor = s->IsNull(3) ? std::nullopt : std::optional<double>(s->Double(3));
    old.factor_unit = s->Text(4);
    old.note = s->Text(5);
    old.source_file = s->Text(6);
    old.line = s->Int(7);
    old.batch_id = s->Int(8);
    CL_RETURN_IF_ERROR(s->Step());
    return std::optional<ActivityRow>(std::move(old));
  }

  static void BindFactor(Statement* s, int i, const std::optional<double>& factor) {
    if (factor) {
      s->BindDouble(i, *factor);
    } else {
      s->BindNull(i);
    }
  }

  // Unchanged unless the quantity, unit or factor differ; otherwise rewrites
  // the row and audits the revision.
  Result<WriteOutcome> UpdateActivity(const ActivityRow& old, const ActivityRow& a,
                                      const Actor& by) {
    if (old.quantity == a.quantity && old.unit_of_measure == a.unit_of_measure &&
        old.factor == a.factor && old.factor_unit == a.factor_unit)
      return WriteOutcome::kUnchanged;
    auto up =
        Q("UPDATE activities SET quantity=?, unit_of_measure=?, factor=?, "
          "factor_unit=?, note=?, source_file=?, line=?, batch_id=? WHERE id=?");
    if (!up.ok()) return up.error();
    Statement* u = *up;
    u->BindDouble(1, a.quantity);
    u->BindText(2, a.unit_of_measure);
    BindFactor(u, 3, a.factor);
    u->BindText(4, a.factor_unit);
    u->BindText(5, a.note);
    u->BindText(6, a.source_file);
    u->BindInt(7, a.line);
    u->BindInt(8, a.batch_id);
    u->BindInt(9, old.id);
    CL_RETURN_IF_ERROR(u->Step());
    CL_RETURN_IF_ERROR(Audit(by, "update", "activity", std::to_string(old.id),
                             ActivityJson(old).dump(), ActivityJson(a).dump(),
                             "revised by import batch " + std::to_string(a.batch_id)));
    return WriteOutcome::kUpdated;
  }

  Result<WriteOutcome> InsertActivity(int64_t unit_no, const std::string& key, const ActivityRow& a,
                                      const Actor& by) {
    auto st =
        Q("INSERT INTO activities (unit_no, key, site_id, meter_id, activity, quantity, "
          "unit_of_measure, period_start, period_end, data_source, instrument, "
          "instrument_ids, factor, factor_unit, note, source_file, line, batch_id) "
          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    if (!st.ok()) return st.error();
    Statement* s = *st;
    s->BindInt(1, unit_no);
    s->BindText(2, key);
    s->BindText(3, a.site_id);
    s->BindText(4, a.meter_id);
    s->BindText(5, a.activity);
    s->BindDouble(6, a.quantity);
    s->BindText(7, a.unit_of_measure);
    s->BindText(8, a.period_start);
    s->BindText(9, a.period_end);
    s->BindText(10, a.data_source);
    s->BindText(11, a.instrument);
    s->BindText(12, a.instrument_ids);
    BindFactor(s, 13, a.factor);
    s->BindText(14, a.factor_unit);
    s->BindText(15, a.note);
    s->BindText(16, a.source_file);
    s->BindInt(17, a.line);
    s->BindInt(18, a.batch_id);
    auto r = s->Step();
    if (!r.ok()) return r.error();
    int64_t id = s->Int(0);
    CL_RETURN_IF_ERROR(s->Step());
    CL_RETURN_IF_ERROR(
        Audit(by, "create", "activity", std::to_string(id), "", ActivityJson(a).dump(), ""));
    return WriteOutcome::kInserted;
  }
};

}  // namespace

std::unique_ptr<ActivitiesRepository> MakeSqlActivities(Session& session) {
  return std::make_unique<SqlActivities>(session);
}

}  // namespace cl::sql
