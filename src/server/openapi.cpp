#include "server/openapi.h"

#include "api_impl.h"

namespace cl {

namespace {

using api::json;

json Roles(uint32_t allow) {
  json r = json::array();
  const std::pair<uint32_t, const char*> names[] = {
      {api::kPublic, "public"},         {api::kAdmin, "programme_admin"},
      {api::kStaff, "programme_staff"}, {api::kManager, "unit_manager"},
      {api::kMember, "unit_member"},    {api::kVerifier, "verifier"},
      {api::kBank, "bank_analyst"},     {api::kToken, "api_token"}};
  for (const auto& [bit, name] : names)
    if (allow & bit) r.push_back(name);
  return r;
}

json ProblemRef() { return {{"$ref", "#/components/responses/Problem"}}; }

}  // namespace

std::string OpenApiDocument() {
  static const std::string text = [] {
    json paths = json::object();
    for (const auto& r : api::Routes()) {
      std::string method = r.method;
      for (auto& c : method) c = static_cast<char>(std::tolower(c));
      json op = {{"operationId", r.operation},
                 {"summary",
                  std::string(1, static_cast<char>(std::toupper(r.summary[0]))) + (r.summary + 1)},
                 {"x-roles", Roles(r.allow)}};
      if (std::string_view(r.bank_scope).size()) op["x-bank-consent-scope"] = r.bank_scope;
      json params = json::array();
      std::string_view p = r.path;
      for (size_t at = p.find('{'); at != std::string_view::npos; at = p.find('{', at + 1)) {
        size_t end = p.find('}', at);
        params.push_back({{"name", std::string(p.substr(at + 1, end - at - 1))},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
      }
      if (!params.empty()) op["parameters"] = params;
      if (!(r.allow & api::kPublic)) {
        op["security"] = json::array({{{"session", json::array()}}, {{"bearer", json::array()}}});
      }
      std::string_view body = r.body;
      if (body == "json")
        op["requestBody"] = {
            {"required", false},
            {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
      else if (body == "upload")
        op["requestBody"] = {
            {"required", true},
            {"description",
             "The file, as CSV (text/csv) or JSON Lines (application/x-ndjson); "
             "Content-Encoding: gzip accepted. Query: format, profile, meter_column, "
             "timestamp_column, value_column, timestamps=end."},
            {"content",
             {{"text/csv", {{"schema", {{"type", "string"}}}}},
              {"application/x-ndjson", {{"schema", {{"type", "string"}}}}}}}};
      json responses = {{"default", ProblemRef()}};
      std::string ok = method == "post" && body == "upload" ? "201" : "200";
      if (method == "delete" || std::string_view(r.operation) == "signOut") ok = "204";
      responses[ok] = {{"description", "Success"}};
      if (ok != "204")
        responses[ok]["content"] = {{"application/json", {{"schema", {{"type", "object"}}}}}};
      if (std::string_view(r.operation) == "metrics")
        responses[ok]["content"] = {{"text/plain", {{"schema", {{"type", "string"}}}}}};
      op["responses"] = responses;
      paths[r.path][method] = op;
    }
    json doc = {
        {"openapi", "3.1.0"},
        {"info",
         {{"title", "CarbonLedger API"},
          {"version", "1"},
          {"description",
           "Energy and greenhouse-gas inventories of a city programme. Sign in with POST "
           "/api/v1/session (an HttpOnly cookie; send the returned csrf_token as X-CSRF-Token "
           "on every write), or send an API token as 'Authorization: Bearer'. x-roles lists "
           "who may call an operation; docs/api.md explains tenancy. Errors are RFC 9457 "
           "problem details."}}},
        {"paths", paths},
        {"components",
         {{"securitySchemes",
           {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "cl_session"}}},
            {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
          {"responses",
           {{"Problem",
             {{"description", "An RFC 9457 problem"},
              {"content",
               {{"application/problem+json",
                 {{"schema",
                   {{"type", "object"},
                    {"required", json::array({"type", "title", "status"})},
                    {"properties",
                     {{"type", {{"type", "string"}}},
                      {"title", {{"type", "string"}}},
                      {"status", {{"type", "integer"}}},
                      {"detail", {{"type", "string"}}},
                      {"instance", {{"type", "string"}}},
                      {"errors",
                       {{"type", "array"},
                        {"items",
                         {{"type", "object"},
                          {"properties",
                           {{"pointer", {{"type", "string"}}},
                            {"detail", {{"type", "string"}}}}}}}}}}}}}}}}}}}}}}}};
    return doc.dump(1);
  }();
  return text;
}

}  // namespace cl
