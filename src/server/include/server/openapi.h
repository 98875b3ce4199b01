// The OpenAPI 3.1 description of /api/v1. Its source is api/openapi.json
// (every operation with its parameters, request and response schemas),
// embedded in the binary at build time; the server adds to each operation,
// from the route table, who may call it (x-roles), the consent scope a bank
// needs (x-bank-consent-scope) and its security. A test checks that the
// table and the file name the same operations, and tests validate the API's
// answers against the file's schemas.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cl {

// The document served at /api/v1/openapi.json (compact JSON).
std::string OpenApiDocument();

// api/openapi.json as it was embedded, byte for byte.
std::string_view OpenApiSource();

// An operation, as the route table or the document names it.
struct ApiOperation {
  std::string method;     // "GET"
  std::string path;       // "/api/v1/units/{unit}"
  std::string operation;  // "getUnit"
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  auto operator<=>(const ApiOperation&) const = default;
};
std::vector<ApiOperation> RouteTableOperations();
// Those of OpenApiSource(); empty when it is not a JSON object with paths.
std::vector<ApiOperation> DocumentedOperations();

}  // namespace cl
