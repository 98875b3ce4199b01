// The OpenAPI 3.1 description of /api/v1, made from the route table itself
// (paths, methods, who may call, parameters, bodies, problem responses), so
// that it cannot drift from what is served; a test probes every documented
// operation over HTTP.
#pragma once

#include <string>

namespace cl {

std::string OpenApiDocument();

}  // namespace cl
