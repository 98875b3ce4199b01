// Published dataset versions over sql::Db.
#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlDatasets final : public DatasetsRepository, private Part {
 public:
  explicit SqlDatasets(Session& session) : Part(session) {}

  Status AddDatasetVersion(const DatasetVersionRecord& r, const Actor& by) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      CL_ASSIGN_OR_RETURN(
          auto q,
          Q("INSERT INTO dataset_versions (dataset, version, title, published, notes, rows_csv, "
            "added_at, added_by) VALUES (?,?,?,?,?,?,?,?)",
            r.dataset, r.version, r.title, r.published, r.notes, r.rows_csv, NowUtc(), by.user));
      if (auto row = q.Run(); !row.ok()) {
        if (row.error().kind() == ErrorKind::kConflict)
          return Error::Conflict("dataset " + r.dataset + " version " + r.version +
                                 " is already published; a change is a new version")
              .WithCode("reference.dataset_exists",
                        {{"dataset", r.dataset}, {"version", r.version}});
        return row.error();
      }
      CL_RETURN_IF_ERROR(Audit(by, "publish", "dataset", r.dataset + "/" + r.version, "",
                               json{{"title", r.title},
                                    {"published", r.published},
                                    {"notes", r.notes},
                                    {"rows_sha256", Sha256Hex(r.rows_csv)}}
                                   .dump(),
                               ""));
      return Ok{};
    });
  }

  Result<std::vector<DatasetVersionRecord>> ListDatasetVersions() override {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT dataset, version, title, published, notes, rows_csv, "
                                  "added_at, added_by FROM dataset_versions "
                                  "ORDER BY dataset, version"));
    return q.All([](Row& r) {
      return DatasetVersionRecord{r.Text(), r.Text(), r.Text(), r.Text(),
                                  r.Text(), r.Text(), r.Text(), r.Text()};
    });
  }
};

}  // namespace

std::unique_ptr<DatasetsRepository> MakeSqlDatasets(Session& session) {
  return std::make_unique<SqlDatasets>(session);
}

}  // namespace cl::sql
