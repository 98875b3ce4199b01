// Imports that meet a store failure at any of their writes leave nothing
// behind: for every N, the Nth write of the import fails (or the connection
// drops there, tests/support/failing_store.h), and the real store afterwards
// holds no batch row, chunk, month total, flag, revision, reject, activity,
// registry change or audit entry from it, and no open transaction. N runs
// over every write of the import until it succeeds untouched. On SQLite,
// PostgreSQL and the in-memory FakeStore.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "ingest/activities_import.h"
#include "ingest/ingest.h"
#include "refdata/reference_store.h"
#include "store/store.h"
#include "store_fixture.h"
#include "support/failing_store.h"
#include "support/store_trace.h"

namespace cl {
namespace {

namespace fs = std::filesystem;
using testing::FaultPlan;
using testing::StoreTrace;
using testing::TraceOf;

const ReferenceData& Data() {
  static auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  EXPECT_TRUE(data.ok());
  return *data.value();
}

class StoreFailureTest : public ::testing::TestWithParam<std::tuple<std::string, FaultPlan::Mode>> {
 protected:
  void SetUp() override {
    const std::string kind = std::get<0>(GetParam());
    dir_ = fs::temp_directory_path() /
           ("cl_failure_" + std::to_string(::getpid()) + "_" + kind + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fixture_ = std::make_unique<testing::TestStore>(kind);
    bool skip = false;
    fixture_->Create(&skip);
    if (skip) GTEST_SKIP() << "PostgreSQL not configured";
    auto s = fixture_->Open();
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
    const std::string reg = std::string(CL_INGEST_DIR) + "/registry/";
    ASSERT_TRUE(ImportUnits(*store_, reg + "units.csv", Data().regions, actor_).ok());
    ASSERT_TRUE(ImportSites(*store_, reg + "sites.csv", actor_).ok());
    ASSERT_TRUE(ImportMeters(*store_, reg + "meters.csv", Data().catalog, actor_).ok());
    auto vee = LoadVeeSettings(CL_SOURCE_DATA_DIR);
    ASSERT_TRUE(vee.ok()) << vee.error().ToString();
    options_.vee = *vee;
    options_.actor = actor_;
    options_.now = *ParseInstant("2026-01-01T00:00:00Z");
  }
  void TearDown() override {
    store_.reset();
    fixture_.reset();
    fs::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }

  // 96 readings of one local day of SH-CHEM-01/E1 (slots from..to skipped).
  static std::string Day(const std::string& date, double base, int skip_from = 96,
                         int skip_to = 96) {
    std::string s;
    for (int i = 0; i < 96; ++i) {
      if (i >= skip_from && i < skip_to) continue;
      char buf[128];
      std::snprintf(buf, sizeof buf, "SH-CHEM-01/E1,%sT%02d:%02d:00+08:00,%.2f\n", date.c_str(),
                    i / 4, (i % 4) * 15, base + i * 0.25);
      s += buf;
    }
    return s;
  }

  // Runs `op` on a FailingStore over the real store with the Nth write
  // failing, for N = 1, 2, ... until op meets no fault; after each failure
  // the real store must be exactly as before and have no open transaction.
  // Returns the number of writes of the successful run.
  template <typename Op>
  int FailEveryWrite(Op op) {
    auto plan = std::make_shared<FaultPlan>();
    for (int n = 1; n < 10'000; ++n) {
      StoreTrace before = TraceOf(*store_);
      plan->Arm(n, std::get<1>(GetParam()));
      auto failing = testing::MakeFailingStore(*store_, plan);
      std::optional<Error> error = op(*failing);
      failing.reset();
      if (!plan->fired()) {
        EXPECT_FALSE(error.has_value()) << error->ToString();
        return plan->writes();
      }
      SCOPED_TRACE("write " + std::to_string(n) + " failed");
      EXPECT_TRUE(error.has_value()) << "a failed write was not reported";
      if (error) {
        EXPECT_EQ(error->kind(), ErrorKind::kIo) << error->ToString();
      }
      auto begin = store_->Begin();
      EXPECT_TRUE(begin.ok()) << "the import left its transaction open: "
                              << begin.error().ToString();
      if (begin.ok()) store_->Rollback();
      EXPECT_TRUE(TraceOf(*store_) == before) << "the failed import left something behind";
      EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());
      if (::testing::Test::HasFailure()) return -1;
    }
    ADD_FAILURE() << "the operation never succeeded";
    return -1;
  }

  // No batch id up to the last one has rejects unless its batch was committed.
  void ExpectNoOrphanRejects() {
    auto batches = *store_->Imports().ListBatches();
    ASSERT_FALSE(batches.empty());
    std::set<int64_t> kept;
    for (const auto& b : batches) kept.insert(b.id);
    for (int64_t id = 1; id <= batches.back().id + 1; ++id)
      if (!kept.contains(id)) {
        EXPECT_TRUE(store_->Imports().ListRejects(id)->empty()) << id;
      }
  }

  static std::optional<Error> ErrorOf(const Result<ImportResult>& r) {
    if (r.ok()) return std::nullopt;
    return r.error();
  }
  static std::optional<Error> ErrorOf(const Checked<RegistryResult>& r) {
    if (r.ok()) return std::nullopt;
    return r.errors().errors().front();
  }

  fs::path dir_;
  std::unique_ptr<testing::TestStore> fixture_;
  std::unique_ptr<Store> store_;
  Actor actor_{"tester", "unit-test"};
  ImportOptions options_;
};

TEST_P(StoreFailureTest, ReadingsImportIsAllOrNothingAtEveryWrite) {
  // Stored first: one day, which the faulty import then revises.
  auto first = ImportReadings(
      *store_, Write("day1.csv", "meter_id,timestamp,value\n" + Day("2025-03-03", 10)), {},
      options_);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  // Revisions, a new day with a gap (flags), a rejected row, an unknown meter.
  std::string path = Write("day2.csv", "meter_id,timestamp,value\n" + Day("2025-03-03", 11) +
                                           Day("2025-03-04", 10, 40, 60) +
                                           "SH-CHEM-01/E1,2025-03-05T00:00:00+08:00,abc\n"
                                           "NOPE/E9,2025-03-05T00:00:00+08:00,1\n");
  int writes =
      FailEveryWrite([&](Store& s) { return ErrorOf(ImportReadings(s, path, {}, options_)); });
  EXPECT_GT(writes, 4);
  auto batches = *store_->Imports().ListBatches();
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches.back().rejected, 2);
  EXPECT_EQ(store_->Imports().ListRejects(batches.back().id)->size(), 2u);
  ExpectNoOrphanRejects();
  EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());
}

TEST_P(StoreFailureTest, ActivitiesImportIsAllOrNothingAtEveryWrite) {
  std::string path =
      Write("acts.csv",
            "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,"
            "data_source,instrument,instrument_ids,factor,factor_unit,note,meter_id\n"
            "SH-CHEM-01,,diesel:mobile,1,t,2025-01-01,2025-03-31,bill,,,,,,\n"
            "SH-CHEM-01,,diesel:mobile,x,t,2025-04-01,2025-06-30,bill,,,,,,\n"
            "SH-CHEM-01,,diesel:mobile,2,t,2025-07-01,2025-09-30,bill,,,,,,\n");
  int writes =
      FailEveryWrite([&](Store& s) { return ErrorOf(ImportActivities(s, Data(), path, actor_)); });
  EXPECT_GE(writes, 5);  // batch, two rows, rejects, finish, commit
  EXPECT_EQ(store_->Activities().ListActivities("SH-CHEM-01")->size(), 2u);
  ExpectNoOrphanRejects();
}

TEST_P(StoreFailureTest, RegistryImportIsAllOrNothingAtEveryWrite) {
  std::string sites = Write("sites.csv",
                            "unit_id,site_id,name,district,time_zone\n"
                            "SH-CHEM-01,S1,Jinshan plant (north),金山区,Asia/Shanghai\n"
                            "SH-CHEM-01,S2,Jinshan plant 2,金山区,Asia/Shanghai\n");
  int writes = FailEveryWrite([&](Store& s) { return ErrorOf(ImportSites(s, sites, actor_)); });
  EXPECT_GE(writes, 3);  // two puts and the commit
  std::string meters = Write("meters.csv",
                             "meter_id,unit_id,site_id,carrier,unit_of_measure,interval,kind\n"
                             "SH-CHEM-01/E7,SH-CHEM-01,S2,electricity,kWh,15min,interval\n"
                             "SH-CHEM-01/E8,SH-CHEM-01,S2,electricity,kWh,60min,interval\n");
  writes = FailEveryWrite(
      [&](Store& s) { return ErrorOf(ImportMeters(s, meters, Data().catalog, actor_)); });
  EXPECT_GE(writes, 3);
  EXPECT_TRUE(store_->Registry().GetMeter("SH-CHEM-01/E8")->has_value());
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreFailureTest,
                         ::testing::Combine(::testing::Values("sqlite", "postgres", "fake"),
                                            ::testing::Values(FaultPlan::Mode::kFailWrite,
                                                              FaultPlan::Mode::kDropConnection)),
                         [](const auto& p) {
                           return std::get<0>(p.param) +
                                  (std::get<1>(p.param) == FaultPlan::Mode::kFailWrite
                                       ? "_FailWrite"
                                       : "_DropConnection");
                         });

}  // namespace
}  // namespace cl
