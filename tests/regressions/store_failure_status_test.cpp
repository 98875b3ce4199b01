// A store that failed during an API write (ErrorKind::kIo: a lost or broken
// connection) answered 500 "Internal error", as if the server had a bug. Now
// it answers 503 "Service unavailable" with a problem document: the write was
// rolled back and may be retried.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "identity/identity.h"
#include "server/api.h"
#include "support/failing_store.h"
#include "support/fake_store.h"

namespace cl {
namespace {

using json = nlohmann::json;

TEST(StoreFailureStatus, AStoreFailureDuringAWriteAnswers503) {
  std::unique_ptr<Store> fake = testing::MakeFakeStore();
  Actor setup{"setup", "test"};
  ASSERT_TRUE(fake->Registry()
                  .PutUnit({"SH-A",
                            "91310107MA18FPQ95F",
                            "上海甲百货有限公司",
                            "A",
                            "310000",
                            "上海市",
                            "普陀区",
                            "F5211",
                            {}},
                           setup)
                  .ok());
  UserRecord admin;
  admin.login = "admin";
  admin.role = RoleName(Role::kProgrammeAdmin);
  admin.password_hash = *HashPassword("correct horse battery");
  ASSERT_TRUE(fake->Identity().CreateUser(admin, setup).ok());
  auto plan = std::make_shared<testing::FaultPlan>();
  ServerConfig config;
  config.data_dir = CL_SOURCE_DATA_DIR;
  config.web_dir = "/nonexistent/web";
  config.access_log = false;
  auto api = Api::Open(config, [&]() -> Result<std::unique_ptr<Store>> {
    return testing::MakeFailingStore(*fake, plan);
  });
  ASSERT_TRUE(api.ok()) << api.error().ToString();
  ApiRequest sign_in{"POST",
                     "/api/v1/session",
                     {{"Content-Type", "application/json"}},
                     R"({"login":"admin","password":"correct horse battery"})",
                     "",
                     "127.0.0.1"};
  ApiResponse session = (*api)->Handle(sign_in);
  ASSERT_EQ(session.status, 200) << session.body;
  std::string cookie;
  for (const auto& [k, v] : session.headers)
    if (k == "Set-Cookie" && v.rfind("cl_session=", 0) == 0) cookie = v.substr(0, v.find(';'));

  plan->Arm(1, testing::FaultPlan::Mode::kFailWrite);
  ApiRequest put{"PUT",
                 "/api/v1/units/SH-A/sites/S1",
                 {{"Content-Type", "application/json"},
                  {"Cookie", cookie},
                  {"X-CSRF-Token", json::parse(session.body).value("csrf_token", "")}},
                 R"({"name":"Plant 1"})",
                 "",
                 "127.0.0.1"};
  ApiResponse r = (*api)->Handle(put);
  ASSERT_TRUE(plan->fired());
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  json problem = json::parse(r.body, nullptr, false);
  EXPECT_EQ(problem.value("status", 0), 503);
  EXPECT_EQ(problem.value("title", ""), "Service unavailable");
  EXPECT_TRUE(fake->Registry().ListSites()->empty());
}

}  // namespace
}  // namespace cl
