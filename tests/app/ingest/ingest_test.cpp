// Importing readings and activities into a real SQLite store: the malformed
// corpus and its documented rejects, idempotency, revisions, VEE flags,
// register rollovers and resets, encodings, roll-ups and the bridge.
#include "ingest/ingest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/encoding.h"
#include "ingest/activities_import.h"
#include "inventory/compute.h"
#include "inventory/store_bridge.h"
#include "metering/metering.h"
#include "refdata/reference_store.h"
#include "store/chunk.h"
#include "store/store.h"
#include "store_fixture.h"

namespace cl {
namespace {

namespace fs = std::filesystem;

const ReferenceData& Data() {
  static auto data = LoadReferenceData(CL_SOURCE_DATA_DIR);
  EXPECT_TRUE(data.ok());
  return *data.value();
}

// Every case runs on SQLite and on the PostgreSQL test server.
class IngestTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cl_ingest_" + std::to_string(::getpid()) + "_" + GetParam() + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fixture_ = std::make_unique<testing::TestStore>(GetParam());
    bool skip = false;
    std::string target = fixture_->Create(&skip);
    if (skip) GTEST_SKIP() << "PostgreSQL not configured";
    auto s = OpenStore(target);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
    const std::string reg = std::string(CL_INGEST_DIR) + "/registry/";
    auto u = ImportUnits(*store_, reg + "units.csv", Data().regions, actor_);
    ASSERT_TRUE(u.ok()) << u.errors().ToString();
    auto si = ImportSites(*store_, reg + "sites.csv", actor_);
    ASSERT_TRUE(si.ok()) << si.errors().ToString();
    auto m = ImportMeters(*store_, reg + "meters.csv", Data().catalog, actor_);
    ASSERT_TRUE(m.ok()) << m.errors().ToString();
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

  ImportResult Import(const std::string& path, ReadingsMapping mapping = {}) {
    auto r = ImportReadings(*store_, path, mapping, options_);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : ImportResult{};
  }

  // 96 readings of one local day for meter E1, value = base + slot/4.
  static std::string Day(const std::string& date, double base, int skip_from = 96,
                         int skip_to = 96) {
    std::string s = "meter_id,timestamp,value\n";
    for (int i = 0; i < 96; ++i) {
      if (i >= skip_from && i < skip_to) continue;
      char buf[128];
      std::snprintf(buf, sizeof buf, "SH-CHEM-01/E1,%sT%02d:%02d:00+08:00,%.2f\n", date.c_str(),
                    i / 4, (i % 4) * 15, base + i * 0.25);
      s += buf;
    }
    return s;
  }

  MeterRecord Meter(const std::string& id) { return **store_->Registry().GetMeter(id); }

  std::vector<FlagRecord> Flags(const std::string& meter) {
    return *store_->Readings().ListFlags(Meter(meter).meter_no, 0, 100000);
  }

  fs::path dir_;
  std::unique_ptr<testing::TestStore> fixture_;
  std::unique_ptr<Store> store_;
  Actor actor_{"tester", "unit-test"};
  ImportOptions options_;
};

TEST_P(IngestTest, MeterFilesAreCheckedAndStoredWholeOrNotAtAll) {
  std::string path =
      Write("meters.csv",
            "meter_id,unit_id,site_id,carrier,unit_of_measure,interval,kind,rollover\n"
            "X/1,SH-CHEM-01,S1,electricity,kWh,15min,interval,\n"
            "X/2,SH-CHEM-01,S1,steam_power,kWh,15min,interval,\n"
            "X/3,SH-CHEM-01,S1,natural_gas,kWh,60min,interval,\n"
            "X/4,SH-CHEM-01,S1,electricity,kWh,7min,interval,\n"
            "X/5,SH-CHEM-01,S1,electricity,kWh,15min,interval,999\n");
  auto r = ImportMeters(*store_, path, Data().catalog, actor_);
  ASSERT_FALSE(r.ok());
  std::vector<std::string> where;
  for (const auto& e : r.errors().errors())
    where.push_back(std::to_string(e.where().line) + ":" + std::to_string(e.where().column) + " " +
                    e.where().field);
  EXPECT_EQ(where, (std::vector<std::string>{"3:4 carrier", "4:5 unit_of_measure", "5:6 interval",
                                             "6:8 rollover"}));
  EXPECT_FALSE(
      store_->Registry().GetMeter("X/1")->has_value());  // nothing stored from a file with errors
}

// Every corpus file produces exactly the rejects its .expect file documents.
TEST_P(IngestTest, MalformedCorpusProducesItsDocumentedRejects) {
  const fs::path corpus = fs::path(CL_INGEST_DIR) / "corpus";
  int files = 0;
  std::vector<fs::path> expects;
  for (const auto& e : fs::directory_iterator(corpus))
    if (e.path().extension() == ".expect") expects.push_back(e.path());
  std::sort(expects.begin(), expects.end());
  for (const fs::path& expect : expects) {
    fs::path data = expect;
    data.replace_extension(fs::exists(fs::path(expect).replace_extension(".jsonl")) ? ".jsonl"
                                                                                    : ".csv");
    SCOPED_TRACE(data.filename().string());
    std::ifstream in(expect);
    std::string line;
    std::vector<std::string> want;
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#') want.push_back(line);
    ImportResult r = Import(data.string());
    auto rejects = store_->Imports().ListRejects(r.batch.id);
    ASSERT_TRUE(rejects.ok());
    std::vector<std::string> got;
    for (const auto& rj : *rejects) {
      got.push_back(std::to_string(rj.line) + " " + rj.kind + " " +
                    (rj.field.empty() ? "-" : rj.field));
      EXPECT_EQ(rj.file, data.filename().string());
      EXPECT_FALSE(rj.message.empty());
    }
    EXPECT_EQ(got, want);
    EXPECT_EQ(r.batch.rejected, static_cast<int64_t>(want.size()));
    ++files;
  }
  EXPECT_GE(files, 9);
}

TEST_P(IngestTest, RejectMessagesNameTheProblem) {
  ImportResult r = Import((fs::path(CL_INGEST_DIR) / "corpus" / "bad_numbers.csv").string());
  auto rejects = *store_->Imports().ListRejects(r.batch.id);
  ASSERT_FALSE(rejects.empty());
  EXPECT_EQ(rejects[0].column, 3);
  EXPECT_NE(rejects[0].message.find("'abc' is not a number"), std::string::npos);
  EXPECT_EQ(r.batch.accepted, 2);  // lines 2 and 8
}

TEST_P(IngestTest, SendingTheSameReadingsAgainChangesNothing) {
  std::string path = Write("day.csv", Day("2025-03-01", 10));
  ImportResult first = Import(path);
  EXPECT_EQ(first.batch.accepted, 96);
  auto before = store_->Readings().GetChunk(
      Meter("SH-CHEM-01/E1").unit_no, Meter("SH-CHEM-01/E1").meter_no,
      static_cast<int32_t>(
          std::chrono::sys_days(*ParseDate("2025-03-01")).time_since_epoch().count()));
  ASSERT_TRUE(before.ok() && before->has_value());
  ImportResult again = Import(path);
  EXPECT_EQ(again.batch.accepted, 0);
  EXPECT_EQ(again.batch.unchanged, 96);
  EXPECT_EQ(again.batch.revised, 0);
  auto after =
      store_->Readings().GetChunk((*before)->unit_no, (*before)->meter_no, (*before)->chunk_day);
  EXPECT_EQ((*after)->data, (*before)->data);
  EXPECT_EQ((*after)->batch_id, first.batch.id);  // not even rewritten
  // Hand calculation: sum of 10 + i/4 for i = 0..95 = 960 + 0.25 * 4560 = 2100.
  EXPECT_DOUBLE_EQ((*after)->total, 2100.0);
}

TEST_P(IngestTest, ADifferentValueIsARevisionKeptInHistory) {
  ImportResult first = Import(Write("day.csv", Day("2025-03-02", 10)));
  ImportResult fix = Import(Write("fix.csv",
                                  "meter_id,timestamp,value\n"
                                  "SH-CHEM-01/E1,2025-03-02T08:00:00+08:00,55.5\n"
                                  "SH-CHEM-01/E1,2025-03-02T08:15:00+08:00,18.25\n"));
  EXPECT_EQ(fix.batch.revised, 1);
  EXPECT_EQ(fix.batch.unchanged, 1);
  auto revs = *store_->Readings().ListRevisions(Meter("SH-CHEM-01/E1").meter_no);
  ASSERT_EQ(revs.size(), 1u);
  EXPECT_DOUBLE_EQ(revs[0].old_value, 18.0);  // slot 32: 10 + 32/4
  EXPECT_EQ(revs[0].old_batch, first.batch.id);
  EXPECT_DOUBLE_EQ(revs[0].new_value, 55.5);
  EXPECT_EQ(revs[0].new_batch, fix.batch.id);
  EXPECT_EQ(revs[0].revised_by, "tester");
  EXPECT_EQ(FormatInstant(Instant(std::chrono::seconds(revs[0].ts))), "2025-03-02T00:00:00Z");
  auto rows = Rollup(*store_, options_.vee, RollupGrain::kDay, RollupBy::kMeter,
                     *ParseDate("2025-03-02"), *ParseDate("2025-03-02"));
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_DOUBLE_EQ((*rows)[0].quantity, 2100.0 - 18.0 + 55.5);
}

// Monthly and yearly roll-ups read the month totals kept beside the chunks;
// they must always equal the sum of the days, through revisions and
// register refreshes, for whole and partial months.
TEST_P(IngestTest, MonthTotalsAlwaysEqualTheSumOfDays) {
  Import(Write("a.csv", Day("2025-03-31", 10)));
  Import(Write("b.csv", Day("2025-04-01", 20)));
  Import(
      Write("fix.csv", "meter_id,timestamp,value\nSH-CHEM-01/E1,2025-03-31T10:00:00+08:00,99\n"));
  Import(Write("g1.csv",
               "meter_id,timestamp,value\n"
               "SH-CHEM-01/G1,2025-04-01T00:00:00+08:00,100\n"
               "SH-CHEM-01/G1,2025-04-01T01:00:00+08:00,110\n"));
  // Backfill of the day before: the April chunk's first step changes.
  Import(Write("g0.csv", "meter_id,timestamp,value\nSH-CHEM-01/G1,2025-03-31T23:00:00+08:00,90\n"));
  auto sum_days = [&](const char* a, const char* b) {
    std::map<std::string, double> by_meter;
    auto rows = Rollup(*store_, options_.vee, RollupGrain::kDay, RollupBy::kMeter, *ParseDate(a),
                       *ParseDate(b));
    for (const auto& r : *rows) by_meter[r.key] += r.quantity;
    return by_meter;
  };
  auto sum_grain = [&](RollupGrain g, const char* a, const char* b) {
    std::map<std::string, double> by_meter;
    auto rows = Rollup(*store_, options_.vee, g, RollupBy::kMeter, *ParseDate(a), *ParseDate(b));
    for (const auto& r : *rows) by_meter[r.key] += r.quantity;
    return by_meter;
  };
  for (auto [a, b] : {std::pair{"2025-03-01", "2025-04-30"}, std::pair{"2025-03-15", "2025-04-01"},
                      std::pair{"2025-01-01", "2025-12-31"}}) {
    SCOPED_TRACE(std::string(a) + ".." + b);
    auto days = sum_days(a, b);
    for (RollupGrain g : {RollupGrain::kMonth, RollupGrain::kYear}) {
      auto months = sum_grain(g, a, b);
      ASSERT_EQ(months.size(), days.size());
      for (const auto& [k, v] : days) EXPECT_NEAR(months[k], v, 1e-9) << k;
    }
  }
  // Hand calculation: E1 = 2100 - (10 + 40/4) + 99 + 20*96 + 0.25*4560; G1 = 10 + 10.
  auto year = sum_grain(RollupGrain::kYear, "2025-01-01", "2025-12-31");
  EXPECT_NEAR(year["SH-CHEM-01/E1"], 2100 - 20 + 99 + 1920 + 1140, 1e-9);
  EXPECT_NEAR(year["SH-CHEM-01/G1"], 20, 1e-9);
}

// A chunk that an unsorted file reopens: its earlier rows left the stored
// value unchanged, and a later row for the same time is still a duplicate,
// not a revision.
TEST_P(IngestTest, DuplicatesAcrossReopenedChunksAreRejected) {
  Import(
      Write("first.csv", "meter_id,timestamp,value\nSH-CHEM-01/E1,2025-05-10T00:00:00+08:00,5\n"));
  ImportResult r = Import(Write("unsorted.csv",
                                "meter_id,timestamp,value\n"
                                "SH-CHEM-01/E1,2025-05-10T00:00:00+08:00,5\n"
                                "SH-CHEM-01/E1,2025-05-11T00:00:00+08:00,7\n"
                                "SH-CHEM-01/E1,2025-05-10T00:00:00+08:00,9\n"));
  EXPECT_EQ(r.batch.unchanged, 1);
  EXPECT_EQ(r.batch.accepted, 1);
  EXPECT_EQ(r.batch.revised, 0);
  auto rejects = *store_->Imports().ListRejects(r.batch.id);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].line, 4);
  EXPECT_EQ(rejects[0].kind, "conflicting_duplicate");
  EXPECT_TRUE(store_->Readings().ListRevisions(Meter("SH-CHEM-01/E1").meter_no)->empty());
}

TEST_P(IngestTest, ActivityRejectsKeepTheirLinesPastMultiLineFields) {
  std::string acts =
      "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
      "instrument,instrument_ids,factor,factor_unit,note,meter_id\n"
      "SH-CHEM-01,,diesel:mobile,1,t,2025-01-01,2025-03-31,bill,,,,,\"two\nlines\",\n"
      "SH-CHEM-01,,diesel:mobile,x,t,2025-04-01,2025-06-30,bill,,,,,,\n"
      "SH-CHEM-01,,diesel:mobile,2,t,2025-07-01,2025-09-30,bill,,,,,,\n";
  auto r = ImportActivities(*store_, Data(), Write("acts.csv", acts), actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->batch.accepted, 2);
  auto rejects = *store_->Imports().ListRejects(r->batch.id);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].line, 4);
  auto rows = *store_->Activities().ListActivities("SH-CHEM-01");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_EQ(rows[1].line, 5);
  EXPECT_EQ(rows[0].note, "two\nlines");
}

// Activities were read whole (31 MB peaked at 1.3 GB): now streamed, with
// the readings' bound on kept rejects and a bad row that spoils only itself.
TEST_P(IngestTest, ActivityImportKeepsTheFirstRejectsAndCountsAll) {
  std::string acts =
      "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
      "instrument,instrument_ids,factor,factor_unit,note,meter_id\n"
      "SH-CHEM-01,,diesel:mobile,1,t,2025-01-01,2025-01-31,bill,,,,,,\n";
  for (int i = 0; i < 7; ++i)
    acts += "SH-CHEM-01,,diesel:mobile,x,t,2025-02-01,2025-02-28,bill,,,,,,\n";
  acts += "SH-CHEM-01,,diesel:mobile,2,t,2025-03-01,2025-03-31,bill,,,,,,\n";
  ImportOptions options = options_;
  options.max_rejects_kept = 3;
  auto r = ImportActivities(*store_, Data(), Write("acts.csv", acts), options);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->batch.rows, 9);
  EXPECT_EQ(r->batch.accepted, 2);
  EXPECT_EQ(r->batch.rejected, 7);
  auto rejects = *store_->Imports().ListRejects(r->batch.id);
  ASSERT_EQ(rejects.size(), 3u);
  EXPECT_EQ(rejects[0].line, 3);
  EXPECT_EQ(rejects[2].line, 5);
  EXPECT_EQ(rejects[2].field, "quantity");
}

TEST_P(IngestTest, ActivityRowWithBadCsvOrBadBytesStopsOnlyWhatFollows) {
  const std::string head =
      "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
      "instrument,instrument_ids,factor,factor_unit,note,meter_id\n"
      "SH-CHEM-01,,diesel:mobile,1,t,2025-01-01,2025-01-31,bill,,,,,,\n";
  auto r = ImportActivities(*store_, Data(),
                            Write("quote.csv", head + "SH-CHEM-01,,diesel:mobile,2,t,2025-02-01,"
                                                      "2025-02-28,bill,,,,,a\"b,\n"
                                                      "SH-CHEM-01,,diesel:mobile,3,t,2025-03-01,"
                                                      "2025-03-31,bill,,,,,,\n"),
                            actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->batch.accepted, 2);
  EXPECT_FALSE(r->file_error);
  auto rejects = *store_->Imports().ListRejects(r->batch.id);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].kind, "bad_csv");
  EXPECT_EQ(rejects[0].line, 3);
  EXPECT_EQ(rejects[0].column, 13);

  r = ImportActivities(*store_, Data(),
                       Write("bytes.csv", head + "SH-CHEM-01,,diesel:mobile,4,t,2025-04-01,"
                                                 "2025-04-30,bill,,,,,\xff\xff\xff,\n"
                                                 "SH-CHEM-01,,diesel:mobile,5,t,2025-05-01,"
                                                 "2025-05-31,bill,,,,,,\n"),
                       actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->file_error);
  EXPECT_EQ(r->batch.unchanged, 1);  // line 2, before the bad bytes, is read
  EXPECT_EQ(r->batch.accepted, 0);
  rejects = *store_->Imports().ListRejects(r->batch.id);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].kind, "bad_encoding");
  EXPECT_EQ(rejects[0].line, 3);
}

TEST_P(IngestTest, GapsAndIncompleteDaysAreFlaggedAndClearedWhenFilled) {
  Import(Write("part.csv", Day("2025-03-03", 10, 40, 60)));  // 20 missing: 76/96 = 79 %
  auto flags = Flags("SH-CHEM-01/E1");
  std::vector<std::string> kinds;
  for (const auto& f : flags) kinds.push_back(f.kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "incomplete_day"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "gap"), kinds.end());
  for (const auto& f : flags)
    if (f.kind == "gap") {
      EXPECT_EQ(f.slot, 40);
      EXPECT_NE(f.detail.find("20 readings missing"), std::string::npos);
    }
  Import(Write("fill.csv", Day("2025-03-03", 10)));
  EXPECT_TRUE(Flags("SH-CHEM-01/E1").empty());
}

TEST_P(IngestTest, SpikesAreFlaggedNotRejected) {
  std::string day = Day("2025-03-04", 10);
  day.replace(day.find("2025-03-04T12:00:00+08:00,22.00"), 31, "2025-03-04T12:00:00+08:00,900.0");
  ImportResult r = Import(Write("spike.csv", day));
  EXPECT_EQ(r.batch.accepted, 96);
  auto flags = Flags("SH-CHEM-01/E1");
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].kind, "spike");
  EXPECT_EQ(flags[0].slot, 48);
}

TEST_P(IngestTest, RegisterRolloversAndResetsCountConsumption) {
  Import((fs::path(CL_INGEST_DIR) / "corpus" / "register_resets.csv").string());
  auto rows = Rollup(*store_, options_.vee, RollupGrain::kDay, RollupBy::kMeter,
                     *ParseDate("2025-01-07"), *ParseDate("2025-01-07"));
  ASSERT_EQ(rows->size(), 1u);
  // Hand calculation (register_resets.csv): 5.5 + rollover (99999.9 - 99995.5 + 3.5 = 7.9)
  // + 6.5 + (line 6 rejected) 5.0 + reset 0.5 + 2.0 = 27.4 m3.
  EXPECT_NEAR((*rows)[0].quantity, 27.4, 1e-9);
  EXPECT_EQ((*rows)[0].readings, 7);
  std::vector<std::string> kinds;
  for (const auto& f : Flags("SH-CHEM-01/G1"))
    if (f.kind.starts_with("register")) kinds.push_back(f.kind + "@" + std::to_string(f.slot));
  EXPECT_EQ(kinds, (std::vector<std::string>{"register_rollover@2", "register_reset@6"}));
  // Hour grain decodes the chunk and must agree.
  auto hours = Rollup(*store_, options_.vee, RollupGrain::kHour, RollupBy::kMeter,
                      *ParseDate("2025-01-07"), *ParseDate("2025-01-07"));
  double sum = 0;
  for (const auto& h : *hours) sum += h.quantity;
  EXPECT_NEAR(sum, 27.4, 1e-9);
}

TEST_P(IngestTest, GbkFilesWithChineseHeadersAndLocalTimes) {
  std::string utf8 =
      "表计编号,时间,读数\n"
      "SH-CHEM-01/E1,2025-03-05 00:00:00,1.5\n"
      "SH-CHEM-01/E1,2025-03-05 00:15:00,2.5\n";
  ImportResult r = Import(Write("gbk.csv", *EncodeGb18030(utf8)));
  EXPECT_EQ(r.encoding, "GB18030");
  EXPECT_EQ(r.batch.accepted, 2);
  EXPECT_EQ(r.batch.rejected, 0);
  auto rows = Rollup(*store_, options_.vee, RollupGrain::kHour, RollupBy::kMeter,
                     *ParseDate("2025-03-05"), *ParseDate("2025-03-05"));
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].period, "2025-03-05T00:00");  // local hour
  EXPECT_DOUBLE_EQ((*rows)[0].quantity, 4.0);
}

TEST_P(IngestTest, UndecodableBytesAreRejectedWithTheirLine) {
  ImportResult r = Import(Write("bad.csv",
                                "meter_id,timestamp,value\n"
                                "SH-CHEM-01/E1,2025-03-06T00:00:00+08:00,1\n"
                                "\xff\xff\xff,2025-03-06T00:15:00+08:00,1\n"));
  auto rejects = *store_->Imports().ListRejects(r.batch.id);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].kind, "bad_encoding");
  EXPECT_EQ(rejects[0].line, 3);
  EXPECT_TRUE(r.file_error);
  EXPECT_EQ(r.batch.accepted, 1);  // line 2, before the bad bytes, is kept
}

TEST_P(IngestTest, MappingsAndEndOfIntervalTimestamps) {
  ReadingsMapping m;
  m.meter = "Meter No";
  m.timestamp = "Read At";
  m.value = "kWh";
  m.timestamps_mark_end = true;
  ImportResult r = Import(Write("scada.csv",
                                "Read At,Meter No,kWh\n"
                                "2025-03-07T00:15:00+08:00,SH-CHEM-01/E1,3\n"
                                "2025-03-08T00:00:00+08:00,SH-CHEM-01/E1,4\n"),
                          m);
  EXPECT_EQ(r.batch.accepted, 2);
  auto rows = Rollup(*store_, options_.vee, RollupGrain::kDay, RollupBy::kMeter,
                     *ParseDate("2025-03-07"), *ParseDate("2025-03-08"));
  ASSERT_EQ(rows->size(), 1u);  // both readings belong to 7 March
  EXPECT_EQ((*rows)[0].period, "2025-03-07");
  EXPECT_DOUBLE_EQ((*rows)[0].quantity, 7.0);
  auto round = ReadingsMapping::FromJson(m.ToJson());
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->value, "kWh");
  EXPECT_TRUE(round->timestamps_mark_end);
}

TEST_P(IngestTest, MultipliersTimeZonesAndRollupsByGroup) {
  // E2 is read in UTC with a CT ratio of 80.
  Import(Write("e2.csv",
               "meter_id,timestamp,value\n"
               "SH-CHEM-01/E2,2025-03-09T23:45:00Z,1.5\n"
               "SH-CHEM-01/E2,2025-03-10T00:00:00Z,2\n"));
  Import(Write("e1.csv", "meter_id,timestamp,value\nSH-AUTO-01/E1,2025-03-10T00:00:00+08:00,5\n"));
  auto by_meter = Rollup(*store_, options_.vee, RollupGrain::kDay, RollupBy::kMeter,
                         *ParseDate("2025-03-09"), *ParseDate("2025-03-10"));
  ASSERT_EQ(by_meter->size(), 3u);
  EXPECT_EQ((*by_meter)[1].key, "SH-CHEM-01/E2");
  EXPECT_EQ((*by_meter)[1].period, "2025-03-09");
  EXPECT_DOUBLE_EQ((*by_meter)[1].quantity, 120.0);  // 1.5 x 80
  auto by_carrier = Rollup(*store_, options_.vee, RollupGrain::kMonth, RollupBy::kCarrier,
                           *ParseDate("2025-03-01"), *ParseDate("2025-03-31"));
  ASSERT_EQ(by_carrier->size(), 1u);
  EXPECT_DOUBLE_EQ((*by_carrier)[0].quantity, 120.0 + 160.0 + 5.0);
  auto by_district = Rollup(*store_, options_.vee, RollupGrain::kYear, RollupBy::kDistrict,
                            *ParseDate("2025-01-01"), *ParseDate("2025-12-31"));
  ASSERT_EQ(by_district->size(), 2u);
  EXPECT_EQ((*by_district)[0].key, "嘉定区");
  EXPECT_DOUBLE_EQ((*by_district)[0].quantity, 5.0);
}

TEST_P(IngestTest, BillsAndReadingsNeverCountAMeterTwice) {
  // January: readings and a bill of E1 (the bill wins); February: readings only.
  Import(Write("jan.csv", Day("2025-01-15", 10)));
  Import(Write("feb.csv", Day("2025-02-15", 10)));
  std::string acts =
      "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
      "instrument,instrument_ids,factor,factor_unit,note,meter_id\n"
      "SH-CHEM-01,S1,electricity,2300,kWh,2025-01-01,2025-01-31,bill,,,,,State Grid,SH-CHEM-01/E1\n"
      "SH-CHEM-01,,diesel:mobile,1.5,t,2025-01-01,2025-03-31,bill,,,,,,\n"
      "SH-CHEM-01,,electricity,-5,kWh,2025-01-01,2025-01-31,bill,,,,,,\n"
      "SH-CHEM-01,,electricity,5,kWh,2025-01-01,2025-01-31,bill,,,,,,SH-CHEM-01/NOPE\n";
  auto r = ImportActivities(*store_, Data(), Write("acts.csv", acts), actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->batch.accepted, 2);
  EXPECT_EQ(r->batch.rejected, 2);
  auto rejects = *store_->Imports().ListRejects(r->batch.id);
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].line, 4);
  EXPECT_EQ(rejects[0].field, "quantity");
  EXPECT_EQ(rejects[1].line, 5);
  EXPECT_EQ(rejects[1].kind, "unknown_meter");

  auto in = BuildStoreInput(*store_, options_.vee, 2025);
  ASSERT_TRUE(in.ok()) << in.error().ToString();
  EXPECT_EQ(in->meter_months, 1);    // February from readings
  EXPECT_EQ(in->skipped_months, 1);  // January: the bill covers E1
  auto meter_month = [&](const std::string& start) {
    return std::count_if(in->rows.begin(), in->rows.end(), [&](const ActivityRow& a) {
      return a.period_start == start && a.data_source == "meter";
    });
  };
  EXPECT_EQ(meter_month("2025-02-01"), 1);
  EXPECT_EQ(meter_month("2025-01-01"), 0);

  // The bill (2300) and January's readings (2100) differ by 8.7 % > 5 %.
  auto mismatches = CheckMonthlyConsistency(*store_, options_.vee, 2025);
  ASSERT_TRUE(mismatches.ok());
  ASSERT_EQ(mismatches->size(), 1u);
  EXPECT_EQ((*mismatches)[0].month, "2025-01");
  EXPECT_NEAR((*mismatches)[0].gap, 200.0 / 2300.0, 1e-12);
  bool flagged = false;
  for (const auto& f : Flags("SH-CHEM-01/E1")) flagged = flagged || f.kind == "monthly_mismatch";
  EXPECT_TRUE(flagged);

  // The whole inventory computes from the store.
  InventoryRequest req;
  req.year = 2025;
  req.methodology = "shanghai";
  auto loaded = LoadInput(Data(), req, *in);
  ASSERT_TRUE(loaded.ok()) << loaded.errors().ToString();
  EXPECT_EQ(loaded.value()->input.records.size(), 3u);  // Jan bill, diesel, Feb meter month
}

INSTANTIATE_TEST_SUITE_P(Stores, IngestTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl
