// Defect: the public overview was recomputed from the store for every request and served 192
// requests/s (issue 14).
//
// What the public sees changes only when the store does, so the answer is
// kept per audit head: the same bytes and ETag until a write moves the head,
// 304 to a client that has them, and not one read of the inventories while
// it stands — shown here by taking the inventories' table away under it.
// (Throughput itself is measured by bench/api_load with wrk, not here.)
#include "security_fixture.h"

namespace cl::security {
namespace {

class PublicOverviewCache : public StoreCase {
 protected:
  ApiResponse Public(const std::string& etag = "") {
    ApiRequest req{"GET", "/api/v1/overview", {}, "", "", "127.0.0.1"};
    if (!etag.empty()) req.headers.emplace_back("If-None-Match", etag);
    return api_->Handle(req);
  }
  static std::string Header(const ApiResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }
};

TEST_P(PublicOverviewCache, KeptPerAuditHeadAndAnswered304) {
  OpenApi();
  ApiResponse first = Public();
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string etag = Header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(Header(first, "Cache-Control"), "no-cache");
  EXPECT_EQ(Public(etag).status, 304);

  // The inventories' table gone: the kept answer is still served, unchanged.
  ASSERT_EQ(fixture_->Raw("ALTER TABLE inventories RENAME TO inventories_away"), "");
  ApiResponse kept = Public();
  EXPECT_EQ(kept.status, 200);
  EXPECT_EQ(kept.body, first.body);
  EXPECT_EQ(Header(kept, "ETag"), etag);

  // A write moves the audit head: the next answer is computed again (and
  // now fails, since the table is gone), so nothing stale outlives a change.
  ASSERT_EQ(CallAs(Admin(), "PUT", "/api/v1/units/SH-CHEM-01",
                   R"({"credit_code":"91310116MA1CL0012H","name_zh":"上海澄屿石化有限公司",)"
                   R"("name_en":"Shanghai Chengyu Petrochemical","province":"310000",)"
                   R"("city":"上海市","district":"金山区","industry_code":"C2614"})")
                .status,
            200);
  ApiResponse recomputed = Public();
  EXPECT_GE(recomputed.status, 500) << recomputed.body;
  EXPECT_EQ(recomputed.body.find("inventories_away"), std::string::npos);  // no SQL text
  ASSERT_EQ(fixture_->Raw("ALTER TABLE inventories_away RENAME TO inventories"), "");
  ApiResponse fresh = Public();
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_NE(Header(fresh, "ETag"), etag);
  EXPECT_EQ(Public(etag).status, 200);  // the old ETag no longer matches
}

INSTANTIATE_TEST_SUITE_P(Stores, PublicOverviewCache, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl::security
