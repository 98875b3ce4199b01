// The fields of a JSON request body, checked one by one: each mistake is an
// kInvalidInput whose field is the JSON pointer of the bad value.
#include <limits>

#include "api_impl.h"

namespace cl::api {

Result<std::string> StringField(const json& body, const char* name, bool required,
                                size_t max_length) {
  Location at{"", 0, 0, name};
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Error::InvalidInput(std::string(name) + " is required", at);
    return std::string();
  }
  if (!it->is_string()) return Error::InvalidInput(std::string(name) + " must be a string", at);
  std::string v = it->get<std::string>();
  if (v.size() > max_length)
    return Error::InvalidInput(
        std::string(name) + " is longer than " + std::to_string(max_length) + " bytes", at);
  if (required && v.empty()) return Error::InvalidInput(std::string(name) + " is empty", at);
  return v;
}

Result<int64_t> IntField(const json& body, const char* name, bool required, int64_t min,
                         int64_t max, int64_t fallback) {
  Location at{"", 0, 0, name};
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Error::InvalidInput(std::string(name) + " is required", at);
    return fallback;
  }
  if (!it->is_number_integer())
    return Error::InvalidInput(std::string(name) + " must be an integer", at);
  int64_t v = 0;
  if (it->is_number_unsigned()) {
    uint64_t u = it->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return Error::InvalidInput(std::string(name) + " is out of range", at);
    v = static_cast<int64_t>(u);
  } else {
    v = it->get<int64_t>();
  }
  if (v < min || v > max)
    return Error::InvalidInput(std::string(name) + " must be between " + std::to_string(min) +
                                   " and " + std::to_string(max),
                               at);
  return v;
}

Status OnlyFields(const json& body, std::initializer_list<const char*> names) {
  for (const auto& [k, v] : body.items()) {
    bool known = false;
    for (const char* n : names) known = known || k == n;
    if (!known) return Error::InvalidInput("unknown field '" + k + "'", {"", 0, 0, k});
  }
  return Ok{};
}

Result<std::vector<std::string>> StringArrayField(const json& body, const char* name,
                                                  size_t max_items) {
  Location at{"", 0, 0, name};
  std::vector<std::string> out;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array())
    return Error::InvalidInput(std::string(name) + " must be an array of strings", at);
  if (it->size() > max_items)
    return Error::InvalidInput(
        std::string(name) + " has more than " + std::to_string(max_items) + " items", at);
  for (size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    if (!v.is_string())
      return Error::InvalidInput("must be a string",
                                 {"", 0, 0, std::string(name) + "/" + std::to_string(i)});
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace cl::api
