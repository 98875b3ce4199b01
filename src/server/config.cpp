// carbonledger serve --config FILE.toml (docs/api.md §Configuration).
#include <toml++/toml.h>

#include <cmath>
#include <cstdio>
#include <type_traits>

#include "server/api.h"

namespace cl {

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  ServerConfig c;
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return Error::InvalidInput(std::string(e.description()),
                               {path, static_cast<int>(at.line), static_cast<int>(at.column), ""});
  }
  ErrorList errors;
  auto known = [&](const toml::table& table, std::initializer_list<const char*> keys,
                   const std::string& section) {
    for (const auto& [k, v] : table) {
      bool ok = false;
      for (const char* key : keys) ok = ok || k.str() == key;
      if (!ok)
        errors.Add(Error::InvalidInput(
            "unknown setting '" + std::string(k.str()) + "' in [" + section + "]",
            {path, static_cast<int>(v.source().begin.line),
             static_cast<int>(v.source().begin.column), std::string(k.str())}));
    }
  };
  known(t, {"server", "limits", "identity"}, "");
  auto get_string = [&](const toml::table* s, const char* key, std::string& out) {
    if (!s) return;
    if (auto n = s->get(key)) {
      if (auto v = n->value<std::string>())
        out = *v;
      else
        errors.Add(Error::InvalidInput("must be a string",
                                       {path, static_cast<int>(n->source().begin.line),
                                        static_cast<int>(n->source().begin.column), key}));
    }
  };
  auto show = [](double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", x);
    return std::string(text);
  };
  // A number within [min, max]; a whole one for a setting that counts.
  auto get_number = [&](const toml::table* s, const char* key, double min, double max, auto& out) {
    using Out = std::remove_reference_t<decltype(out)>;
    if (!s) return;
    if (auto n = s->get(key)) {
      auto v = n->value<double>();
      const bool whole = std::is_integral_v<Out>;
      if (!v || !(*v >= min && *v <= max) || (whole && std::floor(*v) != *v))  // nan too
        errors.Add(Error::InvalidInput(std::string("must be a ") +
                                           (whole ? "whole number" : "number") + " from " +
                                           show(min) + " to " + show(max),
                                       {path, static_cast<int>(n->source().begin.line),
                                        static_cast<int>(n->source().begin.column), key}));
      else
        out = static_cast<Out>(*v);
    }
  };
  auto get_bool = [&](const toml::table* s, const char* key, bool& out) {
    if (!s) return;
    if (auto n = s->get(key)) {
      if (auto v = n->value_exact<bool>())  // not 0 or 2
        out = *v;
      else
        errors.Add(Error::InvalidInput("must be true or false",
                                       {path, static_cast<int>(n->source().begin.line),
                                        static_cast<int>(n->source().begin.column), key}));
    }
  };
  if (const toml::table* s = t["server"].as_table()) {
    known(*s,
          {"store", "data_dir", "host", "port", "threads", "sqlite_cache_mib", "document_cache_mib",
           "access_log", "secure_cookies", "upload_dir", "web_dir"},
          "server");
    get_string(s, "store", c.store);
    get_string(s, "data_dir", c.data_dir);
    get_string(s, "host", c.host);
    get_string(s, "upload_dir", c.upload_dir);
    get_string(s, "web_dir", c.web_dir);
    get_number(s, "port", 0, 65535, c.port);
    get_number(s, "threads", 2, 1024, c.threads);
    get_number(s, "sqlite_cache_mib", 1, 4096, c.sqlite_cache_mib);
    get_number(s, "document_cache_mib", 0, 65536, c.document_cache_mib);
    get_bool(s, "access_log", c.access_log);
    get_bool(s, "secure_cookies", c.secure_cookies);
  }
  if (const toml::table* s = t["limits"].as_table()) {
    known(*s,
          {"max_json_bytes", "max_upload_bytes", "max_activities_bytes", "rate_per_second",
           "rate_burst", "read_timeout_s", "write_timeout_s", "keep_alive_s"},
          "limits");
    get_number(s, "max_json_bytes", 1024, 1e9, c.max_json_bytes);
    get_number(s, "max_upload_bytes", 1024, 1e12, c.max_upload_bytes);
    get_number(s, "max_activities_bytes", 1024, 1e10, c.max_activities_bytes);
    get_number(s, "rate_per_second", 0.01, 1e9, c.rate_per_second);
    get_number(s, "rate_burst", 1, 1e9, c.rate_burst);
    get_number(s, "read_timeout_s", 1, 3600, c.read_timeout_s);
    get_number(s, "write_timeout_s", 1, 3600, c.write_timeout_s);
    get_number(s, "keep_alive_s", 1, 3600, c.keep_alive_s);
  }
  if (const toml::table* s = t["identity"].as_table()) {
    known(*s,
          {"free_failures", "first_wait_s", "longest_wait_s", "session_s", "longest_token_days",
           "shortest_password", "session_cache_s"},
          "identity");
    get_number(s, "free_failures", 1, 100, c.identity.free_failures);
    get_number(s, "first_wait_s", 1, 3600, c.identity.first_wait_s);
    get_number(s, "longest_wait_s", 1, 86400, c.identity.longest_wait_s);
    get_number(s, "session_s", 60, 30 * 86400, c.identity.session_s);
    get_number(s, "longest_token_days", 1, 3660, c.identity.longest_token_days);
    get_number(s, "shortest_password", 8, 1024, c.identity.shortest_password);
    get_number(s, "session_cache_s", 0, 60, c.identity.session_cache_s);
  }
  if (!errors.empty()) return Error::InvalidInput(errors.ToString());
  return c;
}

}  // namespace cl
