// The storage conformance suite: every Store implementation must pass every
// case (SQLite, a real PostgreSQL server, and the in-memory FakeStore, which
// skips only what needs SQL: raw statements against the schema).
#include <gtest/gtest.h>

#include "store/chunk.h"
#include "store/store.h"
#include "store_fixture.h"

namespace cl {
namespace {

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fixture_ = std::make_unique<testing::TestStore>(GetParam());
    bool skip = false;
    std::string target = fixture_->Create(&skip);
    if (skip) GTEST_SKIP() << "PostgreSQL not configured";
    auto s = fixture_->Open();
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fixture_.reset();
  }

  void SeedUnitSiteMeter() {
    ASSERT_TRUE(store_->Registry().PutUnit(Unit("U1"), actor_).ok());
    ASSERT_TRUE(store_->Registry()
                    .PutSite({"S1", "U1", "Plant 1", "金山区", "Asia/Shanghai"}, actor_)
                    .ok());
    MeterRecord m;
    m.id = "U1/E1";
    m.unit_id = "U1";
    m.site_id = "S1";
    m.carrier = "electricity";
    m.unit_of_measure = "kWh";
    auto r = store_->Registry().PutMeter(m, actor_);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    auto got = store_->Registry().GetMeter("U1/E1");
    ASSERT_TRUE(got.ok() && got->has_value());
    meter_ = **got;
  }

  static UnitRecord Unit(const std::string& id) {
    return {id,
            "91310116MA1CL0012H",
            "上海澄屿石化有限公司",
            "Chengyu Petrochemical",
            "310000",
            "上海市",
            "金山区",
            "C2614",
            48250.5};  // m²: a fraction, to see it kept exactly
  }

  StoredChunk Chunk1(int32_t day, double v, int64_t batch) {
    Chunk c(96);
    for (int i = 0; i < 96; ++i) {
      c.values[i] = v + i * 0.25;
      c.present[i] = 1;
      c.batch[i] = batch;
    }
    return {meter_.unit_no,          meter_.meter_no, day,           96,
            96 * v + 0.25 * 95 * 48, batch,           EncodeChunk(c)};
  }

  std::unique_ptr<testing::TestStore> fixture_;
  std::unique_ptr<Store> store_;
  Actor actor_{"tester", "unit-test"};
  MeterRecord meter_;
};

// Every field of an inventory but its document.
auto InventorySummaryKey(const InventoryRecord& r) {
  return std::tie(r.id, r.unit_id, r.year, r.methodology, r.pins, r.status, r.version, r.supersedes,
                  r.created_at, r.created_by);
}

TEST_P(StoreConformance, AppliesMigrationsOnceOnOpen) {
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 13);
  EXPECT_EQ(store_->Kind(), GetParam());
  if (!fixture_->is_sql()) GTEST_SKIP() << "the fake has no migrations and nothing to reopen";
  store_.reset();
  auto again = OpenStore(fixture_->target());
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*(*again)->SchemaVersion(), 13);
}

TEST_P(StoreConformance, MappingProfilesAreSavedAndAudited) {
  EXPECT_FALSE(store_->Imports().GetMappingProfile("scada", "readings")->has_value());
  ASSERT_TRUE(
      store_->Imports().PutMappingProfile("scada", "readings", R"({"meter":"表号"})", actor_).ok());
  ASSERT_TRUE(
      store_->Imports().PutMappingProfile("scada", "readings", R"({"meter":"表号"})", actor_).ok());
  EXPECT_EQ(**store_->Imports().GetMappingProfile("scada", "readings"), R"({"meter":"表号"})");
  EXPECT_FALSE(store_->Imports().GetMappingProfile("scada", "activities")->has_value());
  EXPECT_EQ(store_->Audit().ListAudit(0, 10)->size(), 1u);
}

TEST_P(StoreConformance, UnitsInsertUpdateAndIdenticalWritesNothing) {
  EXPECT_EQ(*store_->Registry().PutUnit(Unit("U1"), actor_), WriteOutcome::kInserted);
  EXPECT_EQ(*store_->Registry().PutUnit(Unit("U1"), actor_), WriteOutcome::kUnchanged);
  UnitRecord changed = Unit("U1");
  changed.name_en = "Chengyu Petrochemical Co., Ltd.";
  EXPECT_EQ(*store_->Registry().PutUnit(changed, actor_), WriteOutcome::kUpdated);
  auto got = store_->Registry().GetUnit("U1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, changed);
  EXPECT_EQ(got->value().name_zh, "上海澄屿石化有限公司");  // UTF-8 round trip
  EXPECT_FALSE(store_->Registry().GetUnit("nope")->has_value());

  auto audit = store_->Audit().ListAudit(0, 100);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);  // create + update; the identical write is not audited
  EXPECT_EQ((*audit)[0].action, "create");
  EXPECT_EQ((*audit)[1].action, "update");
  EXPECT_NE((*audit)[1].before.find("Chengyu Petrochemical\""), std::string::npos);
  EXPECT_NE((*audit)[1].after.find("Co., Ltd."), std::string::npos);
  EXPECT_EQ((*audit)[1].actor, "tester");
  EXPECT_EQ((*audit)[1].origin, "unit-test");
}

TEST_P(StoreConformance, MetersNeedTheirUnitAndSite) {
  MeterRecord m;
  m.id = "X/E1";
  m.unit_id = "X";
  m.carrier = "electricity";
  m.unit_of_measure = "kWh";
  auto r = store_->Registry().PutMeter(m, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kNotFound);
  ASSERT_TRUE(store_->Registry().PutUnit(Unit("X"), actor_).ok());
  m.site_id = "missing";
  EXPECT_EQ(store_->Registry().PutMeter(m, actor_).error().kind(), ErrorKind::kNotFound);
  m.site_id = "";
  m.kind = MeterKind::kRegister;
  m.rollover = 99999999.0;
  m.multiplier = 200;  // CT 1000/5
  m.interval = MeterInterval::k30Min;
  m.time_zone = "UTC";
  EXPECT_EQ(*store_->Registry().PutMeter(m, actor_), WriteOutcome::kInserted);
  auto got = store_->Registry().GetMeter("X/E1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_TRUE((*got)->SameDefinition(m));
  EXPECT_GT((*got)->meter_no, 0);
  EXPECT_EQ(*store_->Registry().PutMeter(m, actor_), WriteOutcome::kUnchanged);
}

TEST_P(StoreConformance, MeterIntervalIsFixedOnceReadingsAreStored) {
  SeedUnitSiteMeter();
  ASSERT_TRUE(store_->Readings().PutChunk(Chunk1(19000, 10, 1)).ok());
  MeterRecord m = meter_;
  m.interval = MeterInterval::k60Min;
  auto r = store_->Registry().PutMeter(m, actor_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kConflict);
  for (auto change : {+[](MeterRecord& x) { x.multiplier = 2; },
                      +[](MeterRecord& x) { x.time_zone = "Asia/Tokyo"; },
                      +[](MeterRecord& x) { x.kind = MeterKind::kRegister; }}) {
    m = meter_;
    change(m);
    EXPECT_EQ(store_->Registry().PutMeter(m, actor_).error().kind(), ErrorKind::kConflict);
  }
  ASSERT_TRUE(
      store_->Registry().PutSite({"S2", "U1", "Plant 2", "金山区", "Asia/Shanghai"}, actor_).ok());
  m = meter_;
  m.site_id = "S2";  // where it hangs may change (audited)
  EXPECT_EQ(*store_->Registry().PutMeter(m, actor_), WriteOutcome::kUpdated);
}

TEST_P(StoreConformance, ChunksRoundTripUpsertAndScanInOrder) {
  SeedUnitSiteMeter();
  for (int32_t day : {19002, 19000, 19001})
    ASSERT_TRUE(store_->Readings().PutChunk(Chunk1(day, day - 18990.0, 7)).ok());
  auto got = store_->Readings().GetChunk(meter_.unit_no, meter_.meter_no, 19001);
  ASSERT_TRUE(got.ok() && got->has_value());
  auto decoded = DecodeChunk((*got)->data);
  ASSERT_TRUE(decoded.ok());
  EXPECT_DOUBLE_EQ(decoded->values[0], 11.0);
  EXPECT_DOUBLE_EQ(decoded->values[95], 11.0 + 95 * 0.25);
  EXPECT_EQ(decoded->batch[3], 7);
  EXPECT_EQ((*got)->count, 96);

  // Upsert replaces.
  ASSERT_TRUE(store_->Readings().PutChunk(Chunk1(19001, 50, 8)).ok());
  got = store_->Readings().GetChunk(meter_.unit_no, meter_.meter_no, 19001);
  EXPECT_EQ((*got)->batch_id, 8);

  std::vector<int32_t> days;
  ASSERT_TRUE(store_->Readings()
                  .ScanChunks(meter_.unit_no, meter_.meter_no, 19000, 19001,
                              [&](const StoredChunk& c) { days.push_back(c.chunk_day); })
                  .ok());
  EXPECT_EQ(days, (std::vector<int32_t>{19000, 19001}));
  std::vector<ChunkTotal> totals;
  ASSERT_TRUE(store_->Readings()
                  .ScanTotals(0, 100000, [&](const ChunkTotal& t) { totals.push_back(t); })
                  .ok());
  ASSERT_EQ(totals.size(), 3u);
  EXPECT_EQ(totals[0].chunk_day, 19000);
  EXPECT_DOUBLE_EQ(totals[1].total, 96 * 50 + 0.25 * 95 * 48);
  EXPECT_FALSE(store_->Readings().GetChunk(meter_.unit_no, meter_.meter_no, 1)->has_value());
}

TEST_P(StoreConformance, MonthTotalsAddDeltas) {
  SeedUnitSiteMeter();
  const int64_t u = meter_.unit_no, m = meter_.meter_no;
  ASSERT_TRUE(
      store_->Readings().AddMonthTotals({{u, m, 24300, 96, 100.5}, {u, m, 24301, 10, 1.0}}).ok());
  ASSERT_TRUE(store_->Readings().AddMonthTotals({{u, m, 24300, 0, -0.5}}).ok());
  std::vector<MonthTotal> got;
  ASSERT_TRUE(store_->Readings()
                  .ScanMonthTotals(24300, 24300, [&](const MonthTotal& t) { got.push_back(t); })
                  .ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].count, 96);
  EXPECT_DOUBLE_EQ(got[0].total, 100.0);
}

TEST_P(StoreConformance, RollbackDiscardsEverythingSinceBegin) {
  SeedUnitSiteMeter();
  auto audit_before = store_->Audit().ListAudit(0, 1000)->size();
  ASSERT_TRUE(store_->Begin().ok());
  auto batch = store_->Imports().CreateBatch({}, actor_);
  ASSERT_TRUE(batch.ok());
  ASSERT_TRUE(store_->Readings().PutChunk(Chunk1(19000, 1, *batch)).ok());
  ASSERT_TRUE(
      store_->Imports().AddRejects({{*batch, "f.csv", 3, 2, "value", "bad_number", "x"}}).ok());
  BatchRecord b;
  b.id = *batch;
  ASSERT_TRUE(store_->Imports().FinishBatch(b, actor_).ok());
  store_->Rollback();
  EXPECT_TRUE(store_->Imports().ListBatches()->empty());
  EXPECT_FALSE(store_->Readings().GetChunk(meter_.unit_no, meter_.meter_no, 19000)->has_value());
  EXPECT_EQ(store_->Audit().ListAudit(0, 1000)->size(), audit_before);
  EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());
}

TEST_P(StoreConformance, BatchesKeepTheirRejectsInOrder) {
  BatchRecord fresh;
  fresh.source = "a.csv";
  auto id = store_->Imports().CreateBatch(fresh, actor_);
  ASSERT_TRUE(id.ok());
  std::vector<RejectRecord> rejects = {
      {*id, "a.csv", 7, 3, "value", "bad_number", "'1,2' is not a number"},
      {*id, "a.csv", 2, 2, "timestamp", "bad_timestamp", "'2023-13-01' is not a date"}};
  ASSERT_TRUE(store_->Imports().AddRejects(rejects).ok());
  ASSERT_TRUE(
      store_->Imports().AddRejects({{*id, "a.csv", 9, 1, "meter", "unknown_meter", "m?"}}).ok());
  BatchRecord b{*id, BatchKind::kReadings, "a.csv", "", "", 10, 7, 0, 0, 3, 1};
  ASSERT_TRUE(store_->Imports().FinishBatch(b, actor_).ok());
  auto got = store_->Imports().ListRejects(*id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0], rejects[0]);
  EXPECT_EQ((*got)[1], rejects[1]);
  EXPECT_EQ((*got)[2].kind, "unknown_meter");
  auto batch = store_->Imports().GetBatch(*id);
  ASSERT_TRUE(batch.ok() && batch->has_value());
  EXPECT_EQ((*batch)->rows, 10);
  EXPECT_EQ((*batch)->rejected, 3);
  EXPECT_EQ((*batch)->created_by, "tester");
  EXPECT_FALSE(store_->Imports().GetBatch(*id + 100)->has_value());
  BatchRecord missing;
  missing.id = *id + 100;
  EXPECT_EQ(store_->Imports().FinishBatch(missing, actor_).error().kind(), ErrorKind::kNotFound);
}

TEST_P(StoreConformance, RevisionsAndFlags) {
  SeedUnitSiteMeter();
  ASSERT_TRUE(store_->Readings()
                  .AddRevisions({{meter_.meter_no, meter_.unit_no, 1700000000, 1.5, 3, 2.5, 4,
                                  "2026-01-01T00:00:00Z", "tester"}})
                  .ok());
  auto revs = store_->Readings().ListRevisions(meter_.meter_no);
  ASSERT_EQ(revs->size(), 1u);
  EXPECT_DOUBLE_EQ((*revs)[0].old_value, 1.5);
  EXPECT_EQ((*revs)[0].old_batch, 3);
  EXPECT_EQ((*revs)[0].new_batch, 4);

  FlagRecord gap{meter_.meter_no, meter_.unit_no, 19000, 10, "gap", "3 intervals missing", 4};
  FlagRecord inc{meter_.meter_no, meter_.unit_no, 19000, -1, "incomplete_day", "80/96", 4};
  ASSERT_TRUE(store_->Readings().AddFlags({gap}).ok());
  ASSERT_TRUE(
      store_->Readings().ReplaceChunkFlags(meter_.meter_no, 19000, {"incomplete_day"}, {inc}).ok());
  inc.detail = "90/96";
  ASSERT_TRUE(
      store_->Readings().ReplaceChunkFlags(meter_.meter_no, 19000, {"incomplete_day"}, {inc}).ok());
  auto flags = store_->Readings().ListFlags(meter_.meter_no, 19000, 19000);
  ASSERT_EQ(flags->size(), 2u);
  EXPECT_EQ((*flags)[0], inc);  // slot -1 sorts first
  EXPECT_EQ((*flags)[1], gap);
}

TEST_P(StoreConformance, ActivitiesAreIdempotentAndRevisionsAudited) {
  ASSERT_TRUE(store_->Registry().PutUnit(Unit("U1"), actor_).ok());
  ActivityRow a;
  a.unit_id = "U1";
  a.activity = "electricity";
  a.quantity = 1712.4;
  a.unit_of_measure = "万千瓦时";
  a.period_start = "2023-01-01";
  a.period_end = "2023-01-31";
  a.data_source = "bill";
  a.source_file = "activities.csv";
  a.line = 2;
  EXPECT_EQ(*store_->Activities().PutActivity(a, actor_), WriteOutcome::kInserted);
  EXPECT_EQ(*store_->Activities().PutActivity(a, actor_), WriteOutcome::kUnchanged);
  a.quantity = 1712.5;
  EXPECT_EQ(*store_->Activities().PutActivity(a, actor_), WriteOutcome::kUpdated);
  a.period_start = "2023-02-01";
  a.period_end = "2023-02-28";
  EXPECT_EQ(*store_->Activities().PutActivity(a, actor_), WriteOutcome::kInserted);
  auto rows = store_->Activities().ListActivities("U1");
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_DOUBLE_EQ((*rows)[0].quantity, 1712.5);
  EXPECT_EQ((*rows)[0].unit_of_measure, "万千瓦时");
  a.unit_id = "nobody";
  EXPECT_EQ(store_->Activities().PutActivity(a, actor_).error().kind(), ErrorKind::kNotFound);
  auto audit = store_->Audit().ListAudit(0, 100);
  int updates = 0;
  for (const auto& e : *audit)
    if (e.entity == "activity" && e.action == "update") {
      ++updates;
      EXPECT_NE(e.before.find("1712.4"), std::string::npos);
      EXPECT_NE(e.after.find("1712.5"), std::string::npos);
    }
  EXPECT_EQ(updates, 1);
}

TEST_P(StoreConformance, SubmittedInventoriesAreNeverChangedInPlace) {
  InventoryRecord inv;
  inv.unit_id = "U1";
  inv.year = 2023;
  inv.methodology = "shanghai";
  inv.pins = R"({"grid-electricity":"2024.12"})";
  inv.document = R"({"total_tco2e":123.4})";
  auto id = store_->Inventories().CreateInventory(inv, actor_);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  // Which steps are allowed is the workflow's rule (app: UseCasesTest); the
  // store records each one.
  ASSERT_TRUE(
      store_->Inventories().SetInventoryStatus(*id, InventoryStatus::kSubmitted, actor_, "").ok());
  EXPECT_FALSE((*store_->Inventories().GetInventoryHead(*id))->submitted_at.empty());
  EXPECT_TRUE((*store_->Inventories().GetInventoryHead(*id))->reason.empty());
  // The schema itself refuses an update or delete of a submitted inventory
  // (SQL only: the fake has no schema to bypass the store with).
  std::string id_text = std::to_string(*id);
  if (fixture_->is_sql()) {
    EXPECT_NE(fixture_->Raw("UPDATE inventories SET document='{}' WHERE id=" + id_text), "");
    EXPECT_NE(fixture_->Raw("DELETE FROM inventories WHERE id=" + id_text), "");
    // Nor does it go back to draft (where its document could be rewritten).
    EXPECT_NE(fixture_->Raw("UPDATE inventories SET status='draft' WHERE id=" + id_text), "");
  }
  auto got = store_->Inventories().GetInventory(*id);
  EXPECT_EQ((*got)->document, inv.document);
  EXPECT_EQ((*got)->status, InventoryStatus::kSubmitted);
  // Its head is everything but the document.
  auto head = store_->Inventories().GetInventoryHead(*id);
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->document, "");
  InventoryRecord no_document = **got;
  no_document.document.clear();
  EXPECT_EQ(InventorySummaryKey(**head), InventorySummaryKey(no_document));
  EXPECT_FALSE(store_->Inventories().GetInventoryHead(*id + 1000)->has_value());
  // A correction is a new version.
  InventoryRecord fix = inv;
  fix.supersedes = *id;
  fix.document = R"({"total_tco2e":124.0})";
  // Correcting a submitted inventory needs a reason, kept with the version
  // and in the audit log.
  EXPECT_EQ(store_->Inventories().CreateInventory(fix, actor_).error().where().field, "reason");
  fix.reason = "the December bill arrived";
  auto id2 = store_->Inventories().CreateInventory(fix, actor_);
  ASSERT_TRUE(id2.ok());
  EXPECT_EQ((*store_->Inventories().GetInventory(*id2))->version, 2);
  EXPECT_EQ((*store_->Inventories().GetInventory(*id2))->reason, "the December bill arrived");
  EXPECT_EQ((*store_->Inventories().GetInventory(*id))->reason, "");
  auto audit = store_->Audit().ListAudit(0, 1000);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->back().action, "correct");
  EXPECT_EQ(audit->back().reason, "the December bill arrived");
  // Verified (or returned) records the review, with its conclusion and
  // findings as given.
  const ReviewDetails conclusion{"pass_with_findings", {{"L7", "estimated bill"}, {"", "同上"}}};
  ASSERT_TRUE(store_->Inventories()
                  .SetInventoryStatus(*id, InventoryStatus::kVerified, actor_, "ok", conclusion)
                  .ok());
  ASSERT_TRUE(
      store_->Inventories().SetInventoryStatus(*id, InventoryStatus::kPublished, actor_, "").ok());
  auto reviews = store_->Inventories().ListReviews(*id);
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->size(), 1u);
  EXPECT_EQ((*reviews)[0].decision, "verified");
  EXPECT_EQ((*reviews)[0].opinion, "ok");
  EXPECT_EQ((*reviews)[0].reviewer, actor_.user);
  EXPECT_EQ((*reviews)[0].conclusion, "pass_with_findings");
  EXPECT_EQ((*reviews)[0].findings, conclusion.findings);
  EXPECT_EQ(store_->Inventories().ListInventories("U1")->size(), 2u);
  auto summaries = store_->Inventories().ListInventorySummaries();
  ASSERT_TRUE(summaries.ok());
  ASSERT_EQ(summaries->size(), 2u);
  EXPECT_TRUE((*summaries)[0].document.empty());
  EXPECT_EQ((*summaries)[0].status, InventoryStatus::kPublished);
  EXPECT_EQ((*summaries)[1].supersedes, *id);
}

TEST_P(StoreConformance, ConsentsAndAssignmentsAreKeptAndAudited) {
  SeedUnitSiteMeter();
  ConsentRecord c;
  c.unit_id = "U1";
  c.bank = "Bank1";
  c.scopes = {"totals", "readings"};
  c.year_from = 2024;
  c.year_to = 2025;
  c.expires_at = 2'000'000'000;
  auto id = store_->Access().CreateConsent(c, actor_);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  c.unit_id = "NOPE";
  EXPECT_EQ(store_->Access().CreateConsent(c, actor_).error().kind(), ErrorKind::kNotFound);
  auto all = store_->Access().ListConsents();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  const ConsentRecord& got = (*all)[0];
  EXPECT_EQ(got.scopes, (std::vector<std::string>{"totals", "readings"}));
  EXPECT_TRUE(got.Allows("readings", 2025, 1'900'000'000));
  EXPECT_FALSE(got.Allows("intensities", 2025, 1'900'000'000));  // not granted
  EXPECT_FALSE(got.Allows("totals", 2023, 1'900'000'000));       // outside the years
  EXPECT_FALSE(got.Allows("totals", 2025, 2'000'000'000));       // expired
  ASSERT_TRUE(store_->Access().RevokeConsent(*id, 1'900'000'000, actor_).ok());
  EXPECT_FALSE((*store_->Access().ListConsents())[0].Allows("totals", 2025, 1'800'000'000));
  EXPECT_EQ(store_->Access().RevokeConsent(*id, 1'900'000'001, actor_).error().kind(),
            ErrorKind::kNotFound);

  EXPECT_EQ(store_->Access().AssignVerifier({"U1", 2025, "nobody", "", ""}, actor_).error().kind(),
            ErrorKind::kInvalidInput);
  UserRecord v;
  v.login = "vc";
  v.role = "verifier";
  v.password_hash = "x";
  v.organisation = "VC1";
  ASSERT_TRUE(store_->Identity().CreateUser(v, actor_).ok());
  EXPECT_EQ((*store_->Identity().GetUser("vc"))->organisation, "VC1");
  ASSERT_TRUE(store_->Access().AssignVerifier({"U1", 2025, "vc", "", ""}, actor_).ok());
  ASSERT_TRUE(
      store_->Access().AssignVerifier({"U1", 2025, "vc", "", ""}, actor_).ok());  // idempotent
  auto assignments = store_->Access().ListAssignments();
  ASSERT_TRUE(assignments.ok());
  ASSERT_EQ(assignments->size(), 1u);
  EXPECT_EQ((*assignments)[0].verifier, "vc");
  auto audit = store_->Audit().ListAudit(0, 1000);
  int consent_entries = 0, assignment_entries = 0;
  for (const auto& e : *audit) {
    consent_entries += e.entity == "consent";
    assignment_entries += e.entity == "assignment";
  }
  EXPECT_EQ(consent_entries, 2);     // granted, revoked
  EXPECT_EQ(assignment_entries, 1);  // the repeat changed nothing
  EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());
}

TEST_P(StoreConformance, AuditChainDetectsEditsDeletionsAndReordering) {
  SeedUnitSiteMeter();
  for (int i = 0; i < 3; ++i) {
    UnitRecord u = Unit("U1");
    u.name_en = "Name " + std::to_string(i);
    ASSERT_TRUE(store_->Registry().PutUnit(u, actor_).ok());
  }
  auto ok = store_->Audit().VerifyAudit();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->entries, 6);
  EXPECT_TRUE(ok->problems.empty());
  if (!fixture_->is_sql())
    GTEST_SKIP() << "tampering needs raw SQL against the audit table; the fake has none";
  // The schema refuses changes through SQL...
  EXPECT_NE(fixture_->Raw("UPDATE audit_log SET actor='mallory' WHERE seq=2"), "");
  // ...so a tamperer drops the guard first. Verification still catches it.
  std::string drop = fixture_->kind() == "sqlite"
                         ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                         : "DROP TRIGGER audit_log_append_only ON audit_log;";
  ASSERT_EQ(fixture_->Raw(drop), "");
  ASSERT_EQ(fixture_->Raw("UPDATE audit_log SET actor='mallory' WHERE seq=2"), "");
  auto edited = store_->Audit().VerifyAudit();
  ASSERT_EQ(edited->problems.size(), 1u);
  EXPECT_NE(edited->problems[0].find("entry 2"), std::string::npos);
  EXPECT_NE(edited->problems[0].find("edited"), std::string::npos);
  ASSERT_EQ(fixture_->Raw("UPDATE audit_log SET actor='tester' WHERE seq=2"), "");
  EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());

  // Reorder: swap the contents of entries 3 and 4.
  ASSERT_EQ(fixture_->Raw("UPDATE audit_log SET seq=-3 WHERE seq=3; "
                          "UPDATE audit_log SET seq=3 WHERE seq=4; "
                          "UPDATE audit_log SET seq=4 WHERE seq=-3;"),
            "");
  EXPECT_FALSE(store_->Audit().VerifyAudit()->problems.empty());
  ASSERT_EQ(fixture_->Raw("UPDATE audit_log SET seq=-3 WHERE seq=3; "
                          "UPDATE audit_log SET seq=3 WHERE seq=4; "
                          "UPDATE audit_log SET seq=4 WHERE seq=-3;"),
            "");
  EXPECT_TRUE(store_->Audit().VerifyAudit()->problems.empty());

  // Remove one in the middle, then the last one.
  ASSERT_EQ(fixture_->Raw("DELETE FROM audit_log WHERE seq=5"), "");
  auto removed = store_->Audit().VerifyAudit();
  EXPECT_FALSE(removed->problems.empty());
  EXPECT_NE(removed->problems[0].find("entry 5 is missing"), std::string::npos);
  ASSERT_EQ(fixture_->Raw("DELETE FROM audit_log WHERE seq=6"), "");
  EXPECT_FALSE(store_->Audit().VerifyAudit()->problems.empty());
}

// The figures read model: written once with its inventory, read back typed
// to the bit (base units in REAL / DOUBLE PRECISION columns), its state kept
// in step with the workflow.
TEST_P(StoreConformance, FiguresAreWrittenOnceReadBackTypedAndFollowTheWorkflow) {
  ASSERT_TRUE(store_->Registry().PutUnit(Unit("U1"), actor_).ok());
  InventoryRecord inv;
  inv.unit_id = "U1";
  inv.year = 2023;
  inv.methodology = "shanghai";
  inv.pins = R"({"grid-electricity":"2024.12"})";
  inv.document = R"({"units":[]})";
  auto id = store_->Inventories().CreateInventory(inv, actor_);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_FALSE(store_->Figures().GetFigures(*id)->has_value());

  InventoryFigures f;
  f.energy = (0.1 + 0.2) * units::kTce;  // not a short decimal in MJ
  f.scope1 = 1.0 / 3.0 * units::kTCO2e;
  f.scope2 = 2.5 * units::kTCO2e;
  f.scope2_location = 2.5 * units::kTCO2e;
  f.scope2_market = 1.25 * units::kTCO2e;
  f.scope3 = Emissions{};
  f.total = f.scope1 + f.scope2;
  f.output_value = 1234.5 * units::kTenThousandCny;
  f.tce_per_10k_cny = 0.3 / 1234.5;
  f.tco2e_per_10k_cny = 2.8333333333333335 / 1234.5;
  const Date jan1{std::chrono::year(2023) / 1 / 1}, jan31{std::chrono::year(2023) / 1 / 31};
  const Date feb1{std::chrono::year(2023) / 2 / 1}, mar31{std::chrono::year(2023) / 3 / 31};
  f.lines = {{1, "electricity", 2, {jan1, jan31}, 0.125 * units::kTce, 1.25 * units::kTCO2e},
             {3, "natural_gas", 1, {jan1, jan31}, 0.05 * units::kTce, 1.0 / 3.0 * units::kTCO2e},
             {4, "electricity", 2, {feb1, mar31}, 0.125 * units::kTce, 1.25 * units::kTCO2e},
             {5, "biomass", 0, {feb1, mar31}, Energy{}, 0.5 * units::kTCO2e}};
  ASSERT_TRUE(store_->Figures().PutFigures(*id, f).ok());
  // Written once; only for an inventory of a unit that exists.
  EXPECT_EQ(store_->Figures().PutFigures(*id, f).error().kind(), ErrorKind::kConflict);
  EXPECT_EQ(store_->Figures().PutFigures(*id + 1000, f).error().kind(), ErrorKind::kNotFound);

  InventoryFigures want = f;
  want.inventory_id = *id;
  want.unit_id = "U1";
  want.year = 2023;
  want.methodology = "shanghai";
  want.version = 1;
  want.state = InventoryStatus::kDraft;
  want.datasets = inv.pins;
  auto got = store_->Figures().GetFigures(*id);
  ASSERT_TRUE(got.ok() && got->has_value()) << (got.ok() ? "" : got.error().ToString());
  EXPECT_EQ(**got, want);
  EXPECT_EQ((*got)->energy.base(), f.energy.base());  // to the bit
  EXPECT_FALSE((*got)->biogenic_co2.has_value());

  // The state follows the workflow.
  ASSERT_TRUE(
      store_->Inventories().SetInventoryStatus(*id, InventoryStatus::kSubmitted, actor_, "").ok());
  EXPECT_EQ((*store_->Figures().GetFigures(*id))->state, InventoryStatus::kSubmitted);

  // A correction with figures of its own (none of the optional ones), in one
  // transaction with its inventory; listed by year and methodology.
  InventoryRecord fix = inv;
  fix.supersedes = *id;
  fix.reason = "the December bill arrived";
  ASSERT_TRUE(store_->Begin().ok());
  auto id2 = store_->Inventories().CreateInventory(fix, actor_);
  ASSERT_TRUE(id2.ok());
  InventoryFigures plain;
  plain.energy = 1.0 * units::kTce;
  ASSERT_TRUE(store_->Figures().PutFigures(*id2, plain).ok());
  ASSERT_TRUE(store_->Commit().ok());
  auto listed = store_->Figures().ListFigures(2023, "shanghai");
  ASSERT_TRUE(listed.ok()) << listed.error().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0], **store_->Figures().GetFigures(*id));
  EXPECT_EQ((*listed)[1].inventory_id, *id2);
  EXPECT_EQ((*listed)[1].version, 2);
  EXPECT_FALSE((*listed)[1].output_value.has_value());
  EXPECT_FALSE((*listed)[1].scope2_market.has_value());
  EXPECT_TRUE((*listed)[1].lines.empty());
  EXPECT_TRUE(store_->Figures().ListFigures(2024, "shanghai")->empty());
  EXPECT_TRUE(store_->Figures().ListFigures(2023, "cn-national")->empty());
  // Rolled back with its inventory: nothing of either is left.
  ASSERT_TRUE(store_->Begin().ok());
  auto id3 = store_->Inventories().CreateInventory(inv, actor_);
  ASSERT_TRUE(id3.ok());
  ASSERT_TRUE(store_->Figures().PutFigures(*id3, f).ok());
  store_->Rollback();
  EXPECT_FALSE(store_->Inventories().GetInventory(*id3)->has_value());
  EXPECT_FALSE(store_->Figures().GetFigures(*id3)->has_value());
  EXPECT_EQ(store_->Figures().ListFigures(2023, "shanghai")->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreConformance, ::testing::Values("sqlite", "postgres", "fake"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl
