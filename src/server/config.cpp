// carbonledger serve --config FILE.toml (docs/api.md §Settings), read by the
// one strict settings reader (core/settings.h): every mistake at once.
#include <type_traits>

#include "core/settings.h"
#include "server/api.h"
#include "server/client_address.h"

namespace cl {
namespace {

// Sets `out` when the key is present: a whole number for a setting that
// counts, any number for one that measures, within [min, max].
template <typename T>
void Set(SettingsTable& t, std::string_view key, double min, double max, T& out) {
  if constexpr (std::is_integral_v<T>) {
    if (auto v = t.OptionalWhole(key, {static_cast<int64_t>(min), static_cast<int64_t>(max)}))
      out = static_cast<T>(*v);
  } else {
    if (auto v = t.OptionalNumber(key, Range::Closed(min, max))) out = *v;
  }
}

void SetString(SettingsTable& t, std::string_view key, std::string& out) {
  if (auto v = t.OptionalString(key)) out = *v;
}

void SetBool(SettingsTable& t, std::string_view key, bool& out) {
  if (auto v = t.OptionalBool(key)) out = *v;
}

// Addresses or CIDR networks, each checked here so that a typo is reported
// with the file's other mistakes.
void SetProxies(SettingsTable& t, std::string_view key, std::vector<std::string>& out) {
  auto v = t.OptionalStrings(key);
  if (!v) return;
  if (auto parsed = TrustedProxies::Parse(*v); !parsed.ok())
    t.Fail(key, parsed.error().message());
  else
    out = std::move(*v);
}

void ReadServer(SettingsTable s, ServerConfig& c) {
  SetString(s, "store", c.store);
  SetString(s, "data_dir", c.data_dir);
  SetString(s, "host", c.host);
  SetString(s, "upload_dir", c.upload_dir);
  SetString(s, "web_dir", c.web_dir);
  Set(s, "port", 0, 65535, c.port);
  Set(s, "threads", 2, 1024, c.threads);
  Set(s, "io_threads", 1, 64, c.io_threads);
  Set(s, "sign_in_threads", 1, 64, c.sign_in_threads);
  Set(s, "sqlite_cache_mib", 1, 4096, c.sqlite_cache_mib);
  Set(s, "document_cache_mib", 0, 65536, c.document_cache_mib);
  SetBool(s, "access_log", c.access_log);
  SetBool(s, "secure_cookies", c.secure_cookies);
  SetProxies(s, "trusted_proxies", c.trusted_proxies);
}

void ReadLimits(SettingsTable s, ServerConfig& c) {
  Set(s, "max_json_bytes", 1024, 1e9, c.max_json_bytes);
  Set(s, "max_upload_bytes", 1024, 1e12, c.max_upload_bytes);
  Set(s, "max_activities_bytes", 1024, 1e10, c.max_activities_bytes);
  Set(s, "rate_per_second", 0.01, 1e9, c.rate_per_second);
  Set(s, "rate_burst", 1, 1e9, c.rate_burst);
  Set(s, "read_timeout_s", 1, 3600, c.read_timeout_s);
  Set(s, "write_timeout_s", 1, 3600, c.write_timeout_s);
  Set(s, "keep_alive_s", 1, 3600, c.keep_alive_s);
  Set(s, "header_timeout_s", 1, 3600, c.header_timeout_s);
  Set(s, "max_header_bytes", 1024, 1 << 20, c.max_header_bytes);
  Set(s, "keep_alive_requests", 1, 1e9, c.keep_alive_requests);
  Set(s, "max_connections", 1, 1e6, c.max_connections);
  Set(s, "max_connections_per_address", 1, 1e6, c.max_connections_per_address);
  Set(s, "max_queued_requests", 1, 1e9, c.max_queued_requests);
  Set(s, "sign_in_queue", 1, 1e6, c.sign_in_queue);
  Set(s, "max_inflate_ratio", 10, 1e6, c.max_inflate_ratio);
}

void ReadIdentity(SettingsTable s, IdentityPolicy& p) {
  Set(s, "free_failures", 1, 100, p.free_failures);
  Set(s, "first_wait_s", 1, 3600, p.first_wait_s);
  Set(s, "longest_wait_s", 1, 86400, p.longest_wait_s);
  Set(s, "session_s", 60, 30 * 86400, p.session_s);
  Set(s, "longest_token_days", 1, 3660, p.longest_token_days);
  Set(s, "shortest_password", 8, 1024, p.shortest_password);
  Set(s, "session_cache_s", 0, 60, p.session_cache_s);
}

}  // namespace

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  Result<SettingsReader> reader = SettingsReader::Load(path);
  if (!reader.ok()) return reader.error();
  SettingsTable root = reader->Root();
  ServerConfig c;
  if (auto s = root.OptionalTable("server")) ReadServer(*s, c);
  if (auto s = root.OptionalTable("limits")) ReadLimits(*s, c);
  if (auto s = root.OptionalTable("identity")) ReadIdentity(*s, c.identity);
  if (auto s = root.OptionalTable("audit")) SetString(*s, "dir", c.audit_dir);
  if (Status done = reader->Finish(); !done.ok()) return done.error();
  return c;
}

}  // namespace cl
