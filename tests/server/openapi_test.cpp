// The API's description (api/openapi.json, embedded) against the route table:
// the same operations both ways, and what the server adds from the table.
#include "server/openapi.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace cl {
namespace {

using json = nlohmann::json;

std::string Name(const ApiOperation& o) { return o.method + " " + o.path + " " + o.operation; }

TEST(OpenApiTest, TheRouteTableAndTheDocumentNameTheSameOperations) {
  const auto table = RouteTableOperations();
  const auto documented = DocumentedOperations();
  ASSERT_FALSE(documented.empty()) << "api/openapi.json has no paths";
  std::vector<ApiOperation> only_table, only_document;
  std::set_difference(table.begin(), table.end(), documented.begin(), documented.end(),
                      std::back_inserter(only_table));
  std::set_difference(documented.begin(), documented.end(), table.begin(), table.end(),
                      std::back_inserter(only_document));
  for (const auto& o : only_table)
    ADD_FAILURE() << "served but not in api/openapi.json (method, path, operationId): " << Name(o);
  for (const auto& o : only_document)
    ADD_FAILURE() << "in api/openapi.json but not served: " << Name(o);
  EXPECT_EQ(table.size(), documented.size());
}

TEST(OpenApiTest, TheEmbeddedDocumentIsTheSourceFile) {
  std::ifstream in(CL_SOURCE_OPENAPI_JSON, std::ios::binary);
  ASSERT_TRUE(in) << CL_SOURCE_OPENAPI_JSON;
  const std::string file((std::istreambuf_iterator<char>(in)), {});
  EXPECT_TRUE(file == OpenApiSource()) << "rebuild: the embedded copy is stale";
}

// Served: the file, plus who may call each operation from the route table.
TEST(OpenApiTest, TheServedDocumentAddsRolesConsentScopesAndSecurity) {
  json served = json::parse(OpenApiDocument());
  json source = json::parse(OpenApiSource());
  ASSERT_EQ(served["openapi"], "3.1.0");
  const json& unit = served["paths"]["/api/v1/units/{unit}"]["get"];
  EXPECT_EQ(unit["x-roles"], json({"programme_admin", "programme_staff", "unit_manager",
                                   "unit_member", "verifier", "bank_analyst"}));
  EXPECT_EQ(unit["x-bank-consent-scope"], "totals");
  EXPECT_EQ(unit["security"].size(), 2u);
  const json& health = served["paths"]["/healthz"]["get"];
  EXPECT_EQ(health["x-roles"], json({"public"}));
  EXPECT_FALSE(health.contains("security"));
  EXPECT_FALSE(health.contains("x-bank-consent-scope"));
  // Nothing else differs from the file.
  for (auto& [path, item] : served["paths"].items())
    for (auto& [method, op] : item.items()) {
      EXPECT_TRUE(op.contains("x-roles")) << method << " " << path;
      op.erase("x-roles");
      op.erase("x-bank-consent-scope");
      op.erase("security");
    }
  EXPECT_EQ(served, source);
}

}  // namespace
}  // namespace cl
