// The programme office's work queues (inventory/worklist.h) and the
// programme calendar they are due by (formats/programme_calendar.h), on the
// in-memory FakeStore: one unit in each state, hand-placed.
#include "inventory/worklist.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "formats/programme_calendar.h"
#include "inventory/inventories.h"
#include "store/store.h"
#include "support/fake_store.h"

namespace cl {
namespace {

// 2026-03-31T15:59:59Z is 23:59:59 in Shanghai (UTC+8, no daylight saving):
// the last second of the due day of 2025's inventories; one second later it
// is 1 April there.
constexpr int64_t kLastSecondOfDueDay = 1'774'972'799;

class WorklistTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::MakeFakeStore();
    auto c = LoadProgrammeCalendar(CL_SOURCE_DATA_DIR);
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    calendar_.emplace(*c);
    for (int n = 1; n <= 8; ++n) {
      const std::string id = "U" + std::to_string(n);
      ASSERT_TRUE(store_->Registry()
                      .PutUnit({id,
                                "",
                                "单位" + std::to_string(n),
                                "Unit " + std::to_string(n),
                                "310000",
                                "",
                                "310115",
                                "",
                                {}},
                               admin_)
                      .ok());
    }
  }
  // An inventory of `unit` and `year`, moved along `steps`.
  int64_t Make(const std::string& unit, int year, std::vector<InventoryStatus> steps,
               int64_t supersedes = 0) {
    InventoryRecord inv;
    inv.unit_id = unit;
    inv.year = year;
    inv.methodology = "shanghai";
    inv.pins = "{}";
    inv.document = R"({"units":[]})";
    inv.supersedes = supersedes;
    inv.reason = supersedes ? "returned: the June bill was missing" : "";
    auto id = store_->Inventories().CreateInventory(inv, admin_);
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    for (InventoryStatus to : steps) {
      Status st = SetInventoryStatus(*store_, *id, to, admin_, "step");
      EXPECT_TRUE(st.ok()) << st.error().ToString();
    }
    return *id;
  }
  static std::vector<std::string> Units(const std::vector<WorkItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.inventory.unit_id);
    return out;
  }
  std::unique_ptr<Store> store_;
  std::optional<ProgrammeCalendar> calendar_;
  Actor admin_{"admin", "test"};
};

TEST_F(WorklistTest, EveryUnitIsInTheQueueOfItsNewestInventory) {
  using S = InventoryStatus;
  Make("U1", 2025, {});               // a draft
  Make("U2", 2025, {S::kSubmitted});  // no verifier
  Make("U3", 2025, {S::kSubmitted});  // with one
  int64_t returned = Make("U4", 2025, {S::kSubmitted, S::kReturned});
  int64_t corrected = Make("U4", 2025, {}, returned);              // its correction, a draft
  int64_t left = Make("U5", 2025, {S::kSubmitted, S::kReturned});  // not corrected yet
  Make("U6", 2025, {S::kSubmitted, S::kVerified});
  Make("U7", 2025, {S::kSubmitted, S::kVerified, S::kPublished});
  Make("U8", 2024, {});  // another year: U8 has nothing of 2025
  UserRecord verifier;
  verifier.login = "v.li";
  verifier.role = "verifier";
  verifier.organisation = "Demo Verification Body";
  verifier.password_hash = "not a hash";
  ASSERT_TRUE(store_->Identity().CreateUser(verifier, admin_).ok());
  auto assigned = store_->Access().AssignVerifier({"U3", 2025, "v.li", "", ""}, admin_);
  ASSERT_TRUE(assigned.ok()) << assigned.error().ToString();
  ASSERT_TRUE(store_->Access().AssignVerifier({"U2", 2024, "v.li", "", ""}, admin_).ok());
  BatchRecord clean;
  clean.rows = clean.accepted = 10;
  BatchRecord bad;
  bad.rows = 10;
  bad.accepted = 8;
  bad.rejected = 2;
  for (BatchRecord* b : {&clean, &bad}) {  // made, then finished with its counts
    auto id = store_->Imports().CreateBatch(*b, admin_);
    ASSERT_TRUE(id.ok());
    b->id = *id;
    ASSERT_TRUE(store_->Imports().FinishBatch(*b, admin_).ok());
  }

  auto w = ProgrammeWorklist(*store_, *calendar_, 2025, kLastSecondOfDueDay);
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  EXPECT_EQ(w->due, "2026-03-31");
  EXPECT_FALSE(w->past_due);
  EXPECT_EQ(Units(w->drafts), (std::vector<std::string>{"U1", "U4"}));
  EXPECT_EQ(w->drafts[1].inventory.id, corrected);  // the correction, not the returned one
  EXPECT_EQ(Units(w->returned), std::vector<std::string>{"U5"});
  EXPECT_EQ(Units(w->unassigned), std::vector<std::string>{"U2"});  // 2024's verifier is not 2025's
  EXPECT_EQ(Units(w->awaiting_verification), std::vector<std::string>{"U3"});
  EXPECT_EQ(w->awaiting_verification[0].verifier, "v.li");
  EXPECT_EQ(w->awaiting_verification[0].unit_name_zh, "单位3");
  EXPECT_EQ(Units(w->awaiting_publication), std::vector<std::string>{"U6"});
  // Not submitted: U1 and U4 with drafts, U5 returned, U8 with nothing.
  std::vector<std::string> states;
  for (const auto& u : w->not_submitted) states.push_back(u.unit.id + " " + u.state);
  EXPECT_EQ(states, (std::vector<std::string>{"U1 draft", "U4 draft", "U5 returned", "U8 none"}));
  EXPECT_EQ(w->not_submitted[2].inventory_id, left);
  ASSERT_EQ(w->rejected_batches.size(), 1u);
  EXPECT_EQ(w->rejected_batches[0].id, bad.id);

  // One second later it is 1 April in Shanghai: the same units are overdue.
  auto later = ProgrammeWorklist(*store_, *calendar_, 2025, kLastSecondOfDueDay + 1);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->past_due);
  EXPECT_EQ(later->not_submitted.size(), 4u);
}

// A due day that some year lacks, or a zone that does not exist, is refused
// with the key that names it.
TEST(ProgrammeCalendarTest, ADueDayEveryYearHasInAZoneThatExists) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "calendar";
  std::filesystem::create_directories(dir);
  auto load = [&](const std::string& body) {
    std::ofstream(dir / "programme.toml", std::ios::trunc) << "[reporting]\n" << body;
    return LoadProgrammeCalendar(dir.string());
  };
  auto ok = load("inventory_due_month = 5\ninventory_due_day = 31\ntime_zone = \"UTC\"\n");
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->InventoryDue(2025), std::chrono::year{2026} / 5 / 31);
  auto leap = load("inventory_due_month = 2\ninventory_due_day = 29\ntime_zone = \"UTC\"\n");
  ASSERT_FALSE(leap.ok());
  EXPECT_EQ(leap.error().where().field, "reporting.inventory_due_day");
  auto april = load("inventory_due_month = 4\ninventory_due_day = 31\ntime_zone = \"UTC\"\n");
  EXPECT_FALSE(april.ok());
  auto zone =
      load("inventory_due_month = 3\ninventory_due_day = 31\ntime_zone = \"Mars/Olympus\"\n");
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().where().field, "reporting.time_zone");
  auto missing = load("inventory_due_month = 3\n");
  EXPECT_FALSE(missing.ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cl
