#include "server/openapi.h"

#include <algorithm>

#include "api_impl.h"

namespace cl {

namespace embedded {
extern const unsigned char kOpenApiJson[];  // openapi_json.cpp, made from api/openapi.json
extern const std::size_t kOpenApiJsonSize;
}  // namespace embedded

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

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

json Source() { return json::parse(OpenApiSource(), nullptr, false); }

}  // namespace

std::string_view OpenApiSource() {
  return {reinterpret_cast<const char*>(embedded::kOpenApiJson), embedded::kOpenApiJsonSize};
}

std::string OpenApiDocument() {
  static const std::string text = [] {
    json doc = Source();
    if (!doc.is_object() || !doc.contains("paths")) return doc.dump();
    json& paths = doc["paths"];
    for (const auto& r : api::Routes()) {
      auto item = paths.find(r.path);
      if (item == paths.end()) continue;  // the document lacks it: openapi_test fails
      auto op = item->find(Lower(r.method));
      if (op == item->end()) continue;
      (*op)["x-roles"] = Roles(r.allow);
      if (!std::string_view(r.bank_scope).empty()) (*op)["x-bank-consent-scope"] = r.bank_scope;
      if (!(r.allow & api::kPublic))
        (*op)["security"] =
            json::array({{{"session", json::array()}}, {{"bearer", json::array()}}});
    }
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
  }();
  return text;
}

std::vector<ApiOperation> RouteTableOperations() {
  std::vector<ApiOperation> out;
  for (const auto& r : api::Routes()) out.push_back({r.method, r.path, r.operation});
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<ApiOperation> DocumentedOperations() {
  std::vector<ApiOperation> out;
  const json doc = Source();
  if (!doc.is_object() || !doc.contains("paths") || !doc["paths"].is_object()) return out;
  for (const auto& [path, item] : doc["paths"].items()) {
    if (!item.is_object()) continue;
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      out.push_back({Upper(method), path, op.is_object() ? op.value("operationId", "") : ""});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace cl
