// The fault-injecting FailingStore itself (tests/support/failing_store.h),
// over a FakeStore: which calls count as writes, what a failed write and a
// dropped connection leave in the real store, and reconnecting on re-arm.
#include "support/failing_store.h"

#include <gtest/gtest.h>

#include "support/fake_store.h"

namespace cl {
namespace {

using testing::FaultPlan;

class FailingStoreTest : public ::testing::Test {
 protected:
  UnitRecord Unit(const std::string& id) {
    return {id, "", "名", "Name", "310000", "", "", "", {}};
  }
  SiteRecord Site(const std::string& id) { return {id, "U1", "Plant", "", "Asia/Shanghai"}; }

  std::unique_ptr<Store> real_ = testing::MakeFakeStore();
  std::shared_ptr<FaultPlan> plan_ = std::make_shared<FaultPlan>();
  std::unique_ptr<Store> store_ = testing::MakeFailingStore(*real_, plan_);
  Actor actor_{"tester", "unit-test"};
};

TEST_F(FailingStoreTest, CountsRepositoryWritesAndCommitsNotReads) {
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->Registry().PutUnit(Unit("U1"), actor_).ok());
  ASSERT_TRUE(store_->Registry().GetUnit("U1").ok());
  ASSERT_TRUE(store_->Registry().ListUnits().ok());
  ASSERT_TRUE(store_->Registry().PutSite(Site("S1"), actor_).ok());
  ASSERT_TRUE(store_->Audit().VerifyAudit().ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(plan_->writes(), 3);
  EXPECT_FALSE(plan_->fired());
  EXPECT_EQ(store_->Kind(), "fake");
}

TEST_F(FailingStoreTest, FailsOnlyTheNthWriteWithoutReachingTheRealStore) {
  plan_->Arm(2, FaultPlan::Mode::kFailWrite);
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->Registry().PutUnit(Unit("U1"), actor_).ok());
  auto site = store_->Registry().PutSite(Site("S1"), actor_);
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.error().kind(), ErrorKind::kIo);
  EXPECT_NE(site.error().message().find("store unavailable"), std::string::npos);
  EXPECT_TRUE(plan_->fired());
  EXPECT_TRUE(real_->Registry().ListSites()->empty());
  ASSERT_TRUE(store_->Registry().PutSite(Site("S2"), actor_).ok());  // later writes go through
  store_->Rollback();
  EXPECT_TRUE(real_->Registry().ListUnits()->empty());
  EXPECT_TRUE(real_->Audit().ListAudit(0, 100)->empty());
}

TEST_F(FailingStoreTest, ADroppedConnectionRollsBackAndFailsEveryLaterCall) {
  plan_->Arm(2, FaultPlan::Mode::kDropConnection);
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->Registry().PutUnit(Unit("U1"), actor_).ok());
  EXPECT_EQ(store_->Registry().PutSite(Site("S1"), actor_).error().kind(), ErrorKind::kIo);
  // The real transaction is gone: nothing stored, and no transaction open.
  EXPECT_TRUE(real_->Registry().ListUnits()->empty());
  ASSERT_TRUE(real_->Begin().ok());
  real_->Rollback();
  EXPECT_EQ(store_->Registry().GetUnit("U1").error().kind(), ErrorKind::kIo);
  EXPECT_EQ(store_->Commit().error().kind(), ErrorKind::kIo);
  EXPECT_EQ(store_->Begin().error().kind(), ErrorKind::kIo);
  store_->Rollback();  // harmless
  // Re-arming starts a new episode: the connection is back.
  plan_->Disarm();
  EXPECT_TRUE(store_->Registry().GetUnit("U1").ok());
}

TEST_F(FailingStoreTest, AFailedCommitCommitsNothingAndLeavesNoTransactionOpen) {
  for (auto mode : {FaultPlan::Mode::kFailWrite, FaultPlan::Mode::kDropConnection}) {
    plan_->Arm(2, mode);
    ASSERT_TRUE(store_->Begin().ok());
    ASSERT_TRUE(store_->Registry().PutUnit(Unit("U1"), actor_).ok());
    EXPECT_EQ(store_->Commit().error().kind(), ErrorKind::kIo);
    EXPECT_TRUE(real_->Registry().ListUnits()->empty());
    ASSERT_TRUE(real_->Begin().ok());
    real_->Rollback();
  }
}

}  // namespace
}  // namespace cl
