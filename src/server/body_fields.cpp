// The fields of a JSON request body, checked one by one: each mistake is an
// kInvalidInput whose field is the JSON pointer of the bad value.
#include <cmath>
#include <limits>

#include "api_impl.h"

namespace cl::api {

Error FieldError(const std::string& field, const char* code, const std::string& message,
                 ProblemParams params) {
  params["field"] = field;
  return Error::InvalidInput(message, {"", 0, 0, field}).WithCode(code, std::move(params));
}

namespace {

Error Missing(const char* name) {
  return FieldError(name, "field.required", std::string(name) + " is required");
}

}  // namespace

Result<std::string> StringField(const json& body, const char* name, bool required,
                                size_t max_length) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Missing(name);
    return std::string();
  }
  if (!it->is_string())
    return FieldError(name, "field.not_string", std::string(name) + " must be a string");
  std::string v = it->get<std::string>();
  if (v.size() > max_length)
    return FieldError(
        name, "field.too_long",
        std::string(name) + " is longer than " + std::to_string(max_length) + " bytes",
        {{"max", std::to_string(max_length)}});
  if (required && v.empty())
    return FieldError(name, "field.empty", std::string(name) + " is empty");
  return v;
}

Result<int64_t> IntField(const json& body, const char* name, bool required, int64_t min,
                         int64_t max, int64_t fallback) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Missing(name);
    return fallback;
  }
  if (!it->is_number_integer())
    return FieldError(name, "field.not_integer", std::string(name) + " must be an integer");
  int64_t v = 0;
  if (it->is_number_unsigned()) {
    uint64_t u = it->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return FieldError(name, "field.out_of_range", std::string(name) + " is out of range",
                        {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
    v = static_cast<int64_t>(u);
  } else {
    v = it->get<int64_t>();
  }
  if (v < min || v > max)
    return FieldError(name, "field.out_of_range",
                      std::string(name) + " must be between " + std::to_string(min) + " and " +
                          std::to_string(max),
                      {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
  return v;
}

Result<std::optional<double>> PositiveField(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::optional<double>();
  if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() <= 0)
    return FieldError(name, "field.not_positive", std::string(name) + " must be a positive number");
  return std::optional<double>(it->get<double>());
}

Status OnlyFields(const json& body, std::initializer_list<const char*> names) {
  for (const auto& [k, v] : body.items()) {
    bool known = false;
    for (const char* n : names) known = known || k == n;
    if (!known) return FieldError(k, "field.unknown", "unknown field '" + k + "'");
  }
  return Ok{};
}

Result<std::vector<std::string>> StringArrayField(const json& body, const char* name,
                                                  size_t max_items) {
  std::vector<std::string> out;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array())
    return FieldError(name, "field.not_string_array",
                      std::string(name) + " must be an array of strings");
  if (it->size() > max_items)
    return FieldError(name, "field.too_many_items",
                      std::string(name) + " has more than " + std::to_string(max_items) + " items",
                      {{"max", std::to_string(max_items)}});
  for (size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    if (!v.is_string())
      return FieldError(std::string(name) + "/" + std::to_string(i), "field.not_string",
                        "must be a string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace cl::api
