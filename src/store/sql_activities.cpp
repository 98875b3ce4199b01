// Activity records over sql::Db.
#include <algorithm>
#include <charconv>

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
      auto outcome =
          old->has_value() ? UpdateActivity(**old, a, by) : InsertActivity(*unit_no, key, a, by);
      if (outcome.ok() && *outcome != WriteOutcome::kUnchanged) NoteChange(*unit_no, a);
      return outcome;
    });
  }

  Result<std::vector<ActivityRow>> ListActivities(const std::string& unit_id) override {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT a.id, u.id, a.site_id, a.meter_id, a.activity, a.quantity, "
                  "a.unit_of_measure, a.period_start, a.period_end, a.data_source, a.instrument, "
                  "a.instrument_ids, a.factor, a.factor_unit, a.note, a.source_file, a.line, "
                  "a.batch_id FROM activities a JOIN units u ON u.unit_no = a.unit_no "
                  "WHERE ? = '' OR u.id = ? ORDER BY u.id, a.id",
                  unit_id, unit_id));
    return q.All([](Row& r) {
      ActivityRow a;
      a.id = r.Int();
      a.unit_id = r.Text();
      a.site_id = r.Text();
      a.meter_id = r.Text();
      a.activity = r.Text();
      a.quantity = r.Double();
      a.unit_of_measure = r.Text();
      a.period_start = r.Text();
      a.period_end = r.Text();
      a.data_source = r.Text();
      a.instrument = r.Text();
      a.instrument_ids = r.Text();
      a.factor = r.OptDouble();
      a.factor_unit = r.Text();
      a.note = r.Text();
      a.source_file = r.Text();
      a.line = r.Int();
      a.batch_id = r.Int();
      return a;
    });
  }

 private:
  // Notes the years of a record's period as changed by its batch (FinishBatch
  // names the inventories past draft under them).
  void NoteChange(int64_t unit_no, const ActivityRow& a) {
    auto year = [](const std::string& date) {
      int y = 0;
      std::from_chars(date.data(), date.data() + std::min<size_t>(date.size(), 4), y);
      return y;
    };
    const int last = std::max(year(a.period_start), year(a.period_end));
    for (int y = year(a.period_start); y <= last && y > 0; ++y)
      s_.NoteDataChange(a.batch_id, unit_no, y, a.period_start + "/" + a.period_end);
  }

  // The stored activity under (unit_no, key), its other fields taken from `a`, or nullopt.
  Result<std::optional<ActivityRow>> FindActivity(int64_t unit_no, const std::string& key,
                                                  const ActivityRow& a) {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT id, quantity, unit_of_measure, factor, factor_unit, "
                                  "note, source_file, line, batch_id FROM activities "
                                  "WHERE unit_no=? AND key=?",
                                  unit_no, key));
    return q.First([&](Row& r) {
      ActivityRow old = a;
      old.id = r.Int();
      old.quantity = r.Double();
      old.unit_of_measure = r.Text();
      old.factor = r.OptDouble();
      old.factor_unit = r.Text();
      old.note = r.Text();
      old.source_file = r.Text();
      old.line = r.Int();
      old.batch_id = r.Int();
      return old;
    });
  }

  // Unchanged unless the quantity, unit or factor differ; otherwise rewrites
  // the row and audits the revision.
  Result<WriteOutcome> UpdateActivity(const ActivityRow& old, const ActivityRow& a,
                                      const Actor& by) {
    if (old.quantity == a.quantity && old.unit_of_measure == a.unit_of_measure &&
        old.factor == a.factor && old.factor_unit == a.factor_unit)
      return WriteOutcome::kUnchanged;
    CL_ASSIGN_OR_RETURN(auto q, Q("UPDATE activities SET quantity=?, unit_of_measure=?, factor=?, "
                                  "factor_unit=?, note=?, source_file=?, line=?, batch_id=? "
                                  "WHERE id=?",
                                  a.quantity, a.unit_of_measure, a.factor, a.factor_unit, a.note,
                                  a.source_file, a.line, a.batch_id, old.id));
    CL_RETURN_IF_ERROR(q.Run());
    CL_RETURN_IF_ERROR(Audit(by, "update", "activity", std::to_string(old.id),
                             ActivityJson(old).dump(), ActivityJson(a).dump(),
                             "revised by import batch " + std::to_string(a.batch_id)));
    return WriteOutcome::kUpdated;
  }

  Result<WriteOutcome> InsertActivity(int64_t unit_no, const std::string& key, const ActivityRow& a,
                                      const Actor& by) {
    int64_t id = 0;
    {
      CL_ASSIGN_OR_RETURN(
          auto q, Q("INSERT INTO activities (unit_no, key, site_id, meter_id, activity, quantity, "
                    "unit_of_measure, period_start, period_end, data_source, instrument, "
                    "instrument_ids, factor, factor_unit, note, source_file, line, batch_id) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                    unit_no, key, a.site_id, a.meter_id, a.activity, a.quantity, a.unit_of_measure,
                    a.period_start, a.period_end, a.data_source, a.instrument, a.instrument_ids,
                    a.factor, a.factor_unit, a.note, a.source_file, a.line, a.batch_id));
      CL_ASSIGN_OR_RETURN(auto row, q.First([](Row& r) { return r.Int(); }));
      id = row.value_or(0);  // RETURNING: always a row
    }
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
