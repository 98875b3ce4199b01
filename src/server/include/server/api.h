// The HTTP/JSON API under /api/v1, independent of the transport: a request
// goes in, a response comes out. http_server.h puts it on a socket; tests and
// the fuzzer call Handle directly.
//
// Every route is one row of a table (routes.cpp) that names who may call it
// and which path parameter names the tenant's resource; Authorize (authz.cpp)
// is the one place that decides, for every route. docs/api.md has the route ×
// role table.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connections/pool.h"
#include "core/error.h"
#include "identity/identity.h"
#include "ingest/ingest.h"
#include "refdata/reference_store.h"
#include "server/metrics.h"

namespace cl {

// Operational settings (carbonledger serve --config FILE.toml, docs/api.md).
struct ServerConfig {
  std::string store;     // SQLite path or PostgreSQL connection string
  std::string data_dir;  // reference data folder
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 32;                                // requests handled at once
  int sqlite_cache_mib = 8;                        // page cache per pooled SQLite connection
  size_t document_cache_mib = 64;                  // submitted inventories' documents (0: none)
  size_t max_json_bytes = 1 << 20;                 // a JSON request body
  size_t max_upload_bytes = size_t{512} << 20;     // a readings body, after gunzip
  size_t max_activities_bytes = size_t{32} << 20;  // other uploads (read whole)
  double rate_per_second = 100;                    // per caller (token, user or address)
  double rate_burst = 400;
  int read_timeout_s = 10;                      // a JSON body whole; each part of an import body
  int write_timeout_s = 10;                     // an answer
  int keep_alive_s = 5;                         // the next request's head on an open connection
  int header_timeout_s = 10;                    // a new connection's first request head, whole
  size_t max_header_bytes = size_t{16} * 1024;  // request line and headers
  int keep_alive_requests = 100000;             // requests on one connection
  size_t max_inflate_ratio = 200;               // a compressed body's expansion, past its first MiB
  int max_connections = 4096;                   // open at once, in all
  int max_connections_per_address = 64;
  size_t max_queued_requests = 4096;  // waiting for a handler thread, past: 503
  int sign_in_threads = 1;            // password checks at once (64 MiB each)
  size_t sign_in_queue = 64;          // sign-ins waiting, past: 503
  int io_threads = 1;                 // socket threads (reading, writing)
  bool access_log = true;             // one JSON line per request on stderr
  bool secure_cookies = false;        // set when served behind HTTPS
  std::string upload_dir;             // where import bodies are spooled (default: temp dir)
  std::string web_dir;                // the built web app (default: the source tree's web/dist)
  // Reverse proxies (addresses or CIDR networks, IPv4 and IPv6) whose
  // X-Forwarded-For names the client (server/client_address.h); default none:
  // the client is the peer, X-Forwarded-For is ignored.
  std::vector<std::string> trusted_proxies;
  // [audit] dir: the programme key and the checkpoint file (decision 0011);
  // empty: no checkpoints (serve sets $CARBONLEDGER_HOME or the current directory).
  std::string audit_dir;
  IdentityPolicy identity;
};
Result<ServerConfig> LoadServerConfig(const std::string& path);

struct ApiRequest {
  std::string method;
  std::string target;  // path and query as sent, percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;       // JSON bodies
  std::string body_file;  // an import body spooled to disk (imports only)
  std::string remote;     // peer address (the client's: TrustedProxies::ClientAddress)
  bool checked = false;   // Check() already passed (its rate-limit token taken)
  std::string Header(std::string_view name) const;  // case-insensitive, "" when absent
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The caller, after authentication.
struct Principal {
  enum class Kind { kPublic, kUser, kToken };
  Kind kind = Kind::kPublic;
  Role role = Role::kUnitMember;
  int64_t user_id = 0;
  std::string login;
  std::string organisation;
  std::vector<std::string> units;  // a unit manager's or member's units; a token's one unit
  std::string token_scope;
  int64_t token_id = 0;
  std::string session_hash;  // for the CSRF check
  // Signed in with a temporary password: only changing it, reading the
  // session and signing out are allowed until it is changed.
  bool must_change_password = false;
  std::string Name() const;  // for the audit log: "alice", "token:7", "public"
};

class Api {
 public:
  // Opens the store (running migrations) and loads the reference data.
  // `open_store`, when set, opens each pooled connection instead of
  // config.store (tests: a FakeStore or a fault-injecting FailingStore).
  static Result<std::unique_ptr<Api>> Open(const ServerConfig& config, StoreOpener open_store = {});
  ~Api();

  ApiResponse Handle(const ApiRequest& request);
  // The most bytes (after decompression) this method and path take as a
  // streamed import body, spooled to a file by the transport; 0 when the
  // route takes no upload.
  size_t UploadLimit(std::string_view method, std::string_view target) const;
  // Everything Handle checks before the body (route, credentials, CSRF, rate
  // limit, authorization): the refusal, or nothing when the body may come.
  // The transport calls it before reading an upload.
  std::optional<ApiResponse> Check(const ApiRequest& request);

  const ServerConfig& config() const { return config_; }
  Metrics& metrics() { return metrics_; }

  class Impl;

 private:
  explicit Api(ServerConfig config);
  ServerConfig config_;
  Metrics metrics_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cl
