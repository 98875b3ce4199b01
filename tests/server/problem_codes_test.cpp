// Problem documents carry a stable code and its parameters besides the
// English detail (docs/decisions/0013-problem-codes.md): real failures of the
// API, in process, on SQLite and PostgreSQL, answer the code and parameters
// the web app makes its message of; errors without a code of their own get
// the generic code of their status; the English message stays as it was.
#include "core/problem_codes.h"

#include <regex>

#include "inventory/inventories.h"
#include "inventory/stored_inventory.h"
#include "security_fixture.h"

namespace cl::security {
namespace {

using json = nlohmann::json;

class ProblemAnswers : public StoreCase {
 protected:
  // SH-CHEM-01's 2025 inventory, submitted and verified.
  int64_t VerifiedInventory() {
    Import("readings.csv",
           "meter_id,timestamp,value\nSH-CHEM-01/E1,2025-03-01T00:00:00+08:00,1000\n");
    StoredInventoryRequest r;
    r.unit_id = "SH-CHEM-01";
    r.year = 2025;
    r.methodology = "cn-national";
    auto id = ComputeAndSaveInventory(*store_, Data(), options_.vee, r, actor_);
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    EXPECT_TRUE(SetInventoryStatus(*store_, *id, InventoryStatus::kSubmitted, actor_, "").ok());
    EXPECT_TRUE(SetInventoryStatus(*store_, *id, InventoryStatus::kVerified, actor_, "ok").ok());
    return *id;
  }

  static json Problem(const ApiResponse& r) {
    EXPECT_EQ(r.content_type, "application/problem+json") << r.body;
    return json::parse(r.body, nullptr, false);
  }
};

TEST_P(ProblemAnswers, SubmittingAVerifiedInventorySaysItsStatus) {
  const int64_t id = VerifiedInventory();
  OpenApi();
  ApiResponse r = Call("POST", "/api/v1/inventories/" + std::to_string(id) + "/submit", "{}");
  ASSERT_EQ(r.status, 409) << r.body;
  json p = Problem(r);
  EXPECT_EQ(p["code"], "inventory.wrong_status");
  EXPECT_EQ(p["params"],
            (json{{"id", std::to_string(id)}, {"status", "verified"}, {"to", "submitted"}}));
  // The English detail for API and CLI users is unchanged.
  EXPECT_EQ(p["detail"],
            "inventory " + std::to_string(id) + " is verified; it cannot become submitted");
}

TEST_P(ProblemAnswers, WrongSignInsSayTheWaitAsAParameter) {
  OpenApi();
  AddUser("someone", Role::kUnitMember, {"SH-CHEM-01"});
  ApiResponse first = SignInAs("someone", "wrong guess", "10.1.1.1");
  ASSERT_EQ(first.status, 401) << first.body;
  EXPECT_EQ(Problem(first)["code"], "session.wrong_credentials");
  ApiResponse limited;
  for (int i = 0; i < 6 && limited.status != 429; ++i)
    limited = SignInAs("someone", "wrong guess", "10.1.1.1");
  ASSERT_EQ(limited.status, 429) << limited.body;
  json p = Problem(limited);
  EXPECT_EQ(p["code"], "session.backoff");
  ASSERT_TRUE(p["params"].contains("seconds")) << limited.body;
  const std::string seconds = p["params"]["seconds"];
  EXPECT_TRUE(std::regex_match(seconds, std::regex("[1-9][0-9]*"))) << seconds;
  EXPECT_NE(p["detail"].get<std::string>().find("try again in " + seconds + " s"),
            std::string::npos)
      << limited.body;
}

TEST_P(ProblemAnswers, BodyFieldsAreNamedInTheCodeAndEachPlace) {
  OpenApi();
  ApiResponse missing =
      Call("POST", "/api/v1/inventories", R"({"year":2025,"methodology":"cn-national"})");
  ASSERT_EQ(missing.status, 422) << missing.body;
  json p = Problem(missing);
  EXPECT_EQ(p["code"], "field.required");
  EXPECT_EQ(p["params"], (json{{"field", "unit"}}));
  ASSERT_EQ(p["errors"].size(), 1u) << missing.body;
  EXPECT_EQ(p["errors"][0]["pointer"], "#/unit");
  EXPECT_EQ(p["errors"][0]["code"], "field.required");
  EXPECT_EQ(p["errors"][0]["params"], (json{{"field", "unit"}}));

  ApiResponse unknown = Call("POST", "/api/v1/inventories", R"({"unit":"SH-CHEM-01","colour":1})");
  ASSERT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(Problem(unknown)["code"], "field.unknown");
  EXPECT_EQ(Problem(unknown)["params"]["field"], "colour");

  ApiResponse range = Call("POST", "/api/v1/inventories",
                           R"({"unit":"SH-CHEM-01","year":1800,"methodology":"cn-national"})");
  ASSERT_EQ(range.status, 422) << range.body;
  EXPECT_EQ(Problem(range)["code"], "field.out_of_range");
  EXPECT_EQ(Problem(range)["params"], (json{{"field", "year"}, {"min", "1990"}, {"max", "2100"}}));
}

TEST_P(ProblemAnswers, TheTransportAndUnknownThingsHaveCodesToo) {
  OpenApi();
  ApiResponse path = Call("GET", "/api/v1/nothing-here", "");
  ASSERT_EQ(path.status, 404);
  EXPECT_EQ(Problem(path)["code"], "request.no_such_path");
  ApiResponse unit = Call("GET", "/api/v1/units/NO-SUCH-UNIT", "");
  ASSERT_EQ(unit.status, 404);
  EXPECT_EQ(Problem(unit)["code"], "unit.not_found");
  EXPECT_EQ(Problem(unit)["params"], (json{{"unit", "NO-SUCH-UNIT"}}));
  ApiResponse method = Call("DELETE", "/api/v1/units", "");
  ASSERT_EQ(method.status, 405);
  EXPECT_EQ(Problem(method)["code"], "request.method_not_allowed");
  ApiResponse not_object = Call("POST", "/api/v1/inventories", "[1]");
  ASSERT_EQ(not_object.status, 400);
  EXPECT_EQ(Problem(not_object)["code"], "request.body_not_object");
}

TEST(ProblemCodeTable, CodesAreDottedLowercaseAndSeveralKeepTheirs) {
  const std::regex shape("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
  for (const ProblemCode& c : ProblemCodes()) {
    EXPECT_TRUE(std::regex_match(std::string(c.code), shape)) << c.code;
    EXPECT_FALSE(c.english.empty()) << c.code;
  }
  ErrorList two;
  two.Add(Error::InvalidInput("a").WithCode("field.required", {{"field", "a"}}));
  two.Add(Error::InvalidInput("b"));
  Error both = Error::Several(two);
  EXPECT_EQ(both.code(), "several");
  EXPECT_EQ(both.params().at("count"), "2");
  EXPECT_EQ(both.details()[0].code(), "field.required");
  EXPECT_EQ(both.details()[1].code(), "");
  ErrorList one;
  one.Add(Error::Conflict("c").WithCode("user.self_demotion"));
  EXPECT_EQ(Error::Several(one).code(), "user.self_demotion");
  EXPECT_EQ(Error::Several(one).message(), "c");
}

INSTANTIATE_TEST_SUITE_P(Stores, ProblemAnswers, ::testing::Values("sqlite", "postgres"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace cl::security
