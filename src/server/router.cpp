// Api::Handle: parse the target, find the route, authenticate, rate-limit,
// authorize, parse the body, run the handler, answer problems as RFC 9457.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>
#include <unordered_map>

#include "answer_cache.h"
#include "api_impl.h"
#include "core/encoding.h"
#include "reports/render.h"
#include "server/client_address.h"

namespace cl {

using api::json;

std::string ApiRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(a) == std::tolower(b);
        }))
      return v;
  return "";
}

std::string Principal::Name() const {
  switch (kind) {
    case Kind::kPublic:
      return "public";
    case Kind::kToken:
      return "token:" + std::to_string(token_id);
    case Kind::kUser:
      return login;
  }
  return "?";
}

namespace {

// Per-caller token buckets.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  // Seconds to wait, or 0 when the request may go ahead.
  double Take(const std::string& key, double now) {
    std::lock_guard lock(mu_);
    if (buckets_.size() > 100000) buckets_.clear();  // bounded memory under a flood
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
      b.tokens = std::min(burst_, b.tokens + (now - b.at) * rate_);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / rate_;
  }

 private:
  struct Bucket {
    double tokens;
    double at;
  };
  double rate_, burst_;
  std::mutex mu_;  // guards buckets_
  std::unordered_map<std::string, Bucket> buckets_;
};

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of one path segment or query part; fails on a bad escape,
// a NUL or invalid UTF-8.
Result<std::string> Decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || Hex(s[i + 1]) < 0 || Hex(s[i + 2]) < 0)
        return Error::InvalidInput("bad percent-escape in the request target");
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  if (out.find('\0') != std::string::npos)
    return Error::InvalidInput("a NUL byte in the request target");
  if (!IsValidUtf8(out)) return Error::InvalidInput("the request target is not valid UTF-8");
  return out;
}

struct Target {
  std::vector<std::string> segments;
  std::multimap<std::string, std::string> query;
};

Result<Target> ParseTarget(const std::string& target) {
  Target t;
  size_t q = target.find('?');
  std::string_view path = std::string_view{target}.substr(0, q);
  if (path.empty() || path[0] != '/')
    return Error::InvalidInput("the request target must be a path");
  size_t at = 1;
  while (at <= path.size()) {
    size_t slash = path.find('/', at);
    if (slash == std::string_view::npos) slash = path.size();
    auto seg = Decode(path.substr(at, slash - at), false);
    if (!seg.ok()) return seg.error();
    if (*seg == "." || *seg == "..")
      return Error::InvalidInput("'.' and '..' are not allowed in paths");
    t.segments.push_back(*seg);
    at = slash + 1;
  }
  if (!t.segments.empty() && t.segments.back().empty() && t.segments.size() > 1)
    t.segments.pop_back();  // a trailing slash
  if (q != std::string::npos) {
    std::string_view qs = std::string_view{target}.substr(q + 1);
    size_t p = 0;
    while (p <= qs.size()) {
      size_t amp = qs.find('&', p);
      if (amp == std::string_view::npos) amp = qs.size();
      std::string_view part = qs.substr(p, amp - p);
      if (!part.empty()) {
        size_t eq = part.find('=');
        auto k = Decode(part.substr(0, eq), true);
        if (!k.ok()) return k.error();
        auto v = Decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
        if (!v.ok()) return v.error();
        t.query.emplace(*k, *v);
      }
      p = amp + 1;
    }
  }
  return t;
}

// Splits "/api/v1/units/{unit}" once.
struct CompiledRoute {
  const api::Route* route;
  std::vector<std::string> parts;  // literal, or "{name}"
};

bool Match(const CompiledRoute& r, const std::vector<std::string>& segs,
           std::map<std::string, std::string>& params) {
  if (r.parts.size() != segs.size()) return false;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string& p = r.parts[i];
    if (p.size() > 2 && p.front() == '{') {
      if (segs[i].empty()) return false;
      params[p.substr(1, p.size() - 2)] = segs[i];
    } else if (p != segs[i]) {
      return false;
    }
  }
  return true;
}

// Nesting deeper than this is refused before parsing.
constexpr int kMaxJsonDepth = 32;

Status CheckDepth(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth)
        return Error::InvalidInput("JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                   " levels (at byte " + std::to_string(i + 1) + ")");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return Ok{};
}

std::string Cookie(const ApiRequest& req, std::string_view name) {
  std::string all = req.Header("Cookie");
  size_t at = 0;
  while (at < all.size()) {
    size_t end = all.find(';', at);
    if (end == std::string::npos) end = all.size();
    std::string_view part = std::string_view{all}.substr(at, end - at);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    at = end + 1;
  }
  return "";
}

}  // namespace

// --- the implementation -------------------------------------------------------

class Api::Impl : public api::ApiState {
 public:
  Impl(const ServerConfig& config, Metrics& metrics, StoreOpener open_store)
      : config_(config),
        metrics_(metrics),
        limiter_(config.rate_per_second, config.rate_burst),
        pool_(config.store, config.sqlite_cache_mib, std::move(open_store)) {
    std::vector<std::string> ops;
    for (const auto& r : api::Routes()) {
      CompiledRoute c{&r, {}};
      std::string_view p = r.path;
      size_t at = 1;
      while (at <= p.size()) {
        size_t slash = p.find('/', at);
        if (slash == std::string_view::npos) slash = p.size();
        c.parts.emplace_back(p.substr(at, slash - at));
        at = slash + 1;
      }
      routes_.push_back(std::move(c));
      ops.emplace_back(r.operation);
    }
    metrics_.SetRoutes(ops);
  }

  std::shared_ptr<const ReferenceData> Data() override {
    std::lock_guard lock(data_mu_);
    return data_;
  }

  Status Republish(Store& store) override {
    auto published = ListDatasetVersions(store);
    if (!published.ok()) return published.error();
    auto data = LoadReferenceData(ResolveDataDir(config_.data_dir), *published);
    if (!data.ok()) return Error::InvalidInput(data.errors().ToString());
    std::shared_ptr<const ReferenceData> fresh = std::move(data.value());
    std::lock_guard lock(data_mu_);
    data_ = std::move(fresh);
    return Ok{};
  }
  const VeeSettings& vee() const override { return vee_; }
  const ProgrammeCalendar& calendar() const override { return *calendar_; }

  Result<std::shared_ptr<const std::string>> InventoryDocument(
      Store& store, const InventoryRecord& head) override {
    const bool frozen = head.status != InventoryStatus::kDraft;
    if (frozen) {
      std::lock_guard lock(documents_mu_);
      auto it = documents_.find(head.id);
      // The unit and creation time guard against a row that is not the one
      // cached (a store restored under a running server).
      if (it != documents_.end() && it->second.unit_id == head.unit_id &&
          it->second.created_at == head.created_at)
        return it->second.text;
    }
    auto whole = GetInventory(store, head.id);
    if (!whole.ok()) return whole.error();
    if (!whole->has_value()) return Error::NotFound("inventory " + std::to_string(head.id));
    auto text = std::make_shared<const std::string>(std::move((*whole)->document));
    const size_t budget = config_.document_cache_mib << 20;
    if (frozen && text->size() <= budget / 4) {
      std::lock_guard lock(documents_mu_);
      if (auto old = documents_.find(head.id); old != documents_.end()) {  // not this row's
        documents_bytes_ -= old->second.text->size();
        documents_.erase(old);
      }
      if (documents_bytes_ + text->size() > budget) {  // full: start again
        documents_.clear();
        documents_bytes_ = 0;
      }
      documents_.emplace(head.id, CachedDocument{head.unit_id, head.created_at, text});
      documents_bytes_ += text->size();
    }
    return text;
  }
  const ServerConfig& config() const override { return config_; }
  Metrics& metrics() override { return metrics_; }
  api::AnswerCache& PublicAnswers() override { return public_answers_; }
  DataChangeCache& DataChanges() override { return data_changes_; }
  const AuditAnchor* Anchor() const override { return anchor_ ? &*anchor_ : nullptr; }

  // A signed checkpoint of the audit head after a write has committed. One
  // at a time: a write that finds another being written leaves it to that
  // one or the next (decision 0011).
  void Checkpoint(Store& store) {
    std::unique_lock lock(anchor_mu_, std::try_to_lock);
    if (!anchor_ || !lock.owns_lock()) return;
    auto written = WriteAuditCheckpoint(store, *anchor_, &last_checkpoint_);
    if (!written.ok() && config_.access_log)
      std::cerr
          << nlohmann::json{{"warning", "no audit checkpoint: " + written.error().message()}}.dump()
          << std::endl;
  }

  Status Init() {
    auto trusted = TrustedProxies::Parse(config_.trusted_proxies);
    if (!trusted.ok()) return Error::InvalidInput("trusted_proxies: " + trusted.error().message());
    trusted_ = std::move(*trusted);
    auto lease = pool_.Take();  // opens the store and runs its migrations
    if (!lease.ok()) return lease.error();
    if (!config_.audit_dir.empty()) {
      anchor_ = AuditAnchor{config_.audit_dir, AuditStoreIdentity(config_.store)};
      auto key = AuditPublicKey(anchor_->dir);  // a key others may read stops the server
      if (!key.ok()) return key.error();
      Checkpoint(lease->store());
    }
    CL_RETURN_IF_ERROR(Republish(lease->store()));
    auto vee = LoadVeeSettings(data_->dir);
    if (!vee.ok()) return vee.error();
    vee_ = *vee;
    auto calendar = LoadProgrammeCalendar(data_->dir);
    if (!calendar.ok()) return calendar.error();
    calendar_ = *calendar;
    return Ok{};
  }

  size_t UploadLimit(std::string_view method, std::string_view target) {
    auto t = ParseTarget(std::string(target));
    if (!t.ok()) return 0;
    std::map<std::string, std::string> params;
    for (const auto& r : routes_)
      if (method == r.route->method && std::string_view(r.route->body) == "upload" &&
          Match(r, t->segments, params))
        return std::string_view(r.route->operation) == "importReadings"
                   ? config_.max_upload_bytes       // streamed
                   : config_.max_activities_bytes;  // read whole
    return 0;
  }

  std::optional<ApiResponse> Check(const ApiRequest& req) {
    int route_index = -1;
    std::string who;
    const std::string client = trusted_.ClientAddress(req.remote, req.headers);
    ApiResponse res;
    try {
      res = Dispatch(req, client, route_index, who, /*check_only=*/true);
    } catch (const std::exception& e) {
      res =
          api::Problem(500, "Internal error", "the server failed; the error is logged", req.target);
    }
    if (res.status == 0) return std::nullopt;
    metrics_.Observe(route_index, res.status, 0);
    if (config_.access_log || res.status >= 500) Log("info", req, client, res.status, 0, who, "");
    return res;
  }

  ApiResponse Handle(const ApiRequest& req) {
    auto start = std::chrono::steady_clock::now();
    metrics_.SetInFlight(1);
    int route_index = -1;
    std::string who = "public";
    const std::string client = trusted_.ClientAddress(req.remote, req.headers);
    ApiResponse res;
    try {
      res = Dispatch(req, client, route_index, who);
    } catch (const std::exception& e) {
      // A bug, never the caller's input: logged, answered without details.
      Log("error", req, client, 500, 0, who, std::string("unhandled exception: ") + e.what());
      res =
          api::Problem(500, "Internal error", "the server failed; the error is logged", req.target);
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics_.Observe(route_index, res.status, seconds);
    metrics_.SetInFlight(-1);
    if (config_.access_log || res.status >= 500)
      Log("info", req, client, res.status, seconds, who, "");
    res.headers.emplace_back("X-Content-Type-Options", "nosniff");
    // Answers are not kept by caches unless their route says otherwise.
    const bool said = std::any_of(res.headers.begin(), res.headers.end(),
                                  [](const auto& h) { return h.first == "Cache-Control"; });
    if (!said) res.headers.emplace_back("Cache-Control", "no-store");
    return res;
  }

 private:
  // `remote` is the client; `peer` the proxy it came through, when it did.
  static void Log(const char* level, const ApiRequest& req, const std::string& client, int status,
                  double seconds, const std::string& who, const std::string& message) {
    size_t q = req.target.find('?');
    json line = {{"ts", NowUtc()},       {"level", level},
                 {"method", req.method}, {"path", req.target.substr(0, std::min<size_t>(q, 512))},
                 {"status", status},     {"ms", std::round(seconds * 1e5) / 100},
                 {"remote", client},     {"user", who}};
    if (client != req.remote) line["peer"] = req.remote;
    if (!message.empty()) line["msg"] = message;
    std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    (void)std::fwrite(text.data(), 1, text.size(), stderr);
  }

  // Who is calling: a bearer token, or a session cookie (CSRF-checked for
  // writes), or nobody.
  Result<Principal> Authenticate(Store& store, const ApiRequest& req, bool write, int64_t now_s,
                                 uint64_t generation) {
    Principal p;
    Instant now{std::chrono::seconds(now_s)};
    std::string auth = req.Header("Authorization");
    if (!auth.empty()) {
      if (auth.rfind("Bearer ", 0) != 0)
        return Error(ErrorKind::kUnauthenticated,
                     "the Authorization header must be 'Bearer <token>'");
      CL_ASSIGN_OR_RETURN(auto t, AuthenticateToken(store, std::string_view{auth}.substr(7), now));
      p.kind = Principal::Kind::kToken;
      p.token_id = t.token.id;
      p.token_scope = t.token.scope;
      p.units = {t.token.unit_id};
      p.user_id = t.token.user_id;
      p.login = t.issuer.login;
      return p;
    }
    std::string session = Cookie(req, "cl_session");
    if (session.empty()) return p;
    std::string hash = TokenHash(session);
    std::optional<UserRecord> user;  // a read: a session checked a moment ago
    if (!write) user = RecentSession(hash, now_s);
    if (!user) {
      int64_t expires_at = 0;
      auto fresh = SessionUser(store, session, now, &expires_at);
      if (!fresh.ok()) return fresh.error();
      if (!write) RememberSession(hash, *fresh, expires_at, generation);
      user = std::move(*fresh);
    }
    auto role = ParseRole(user->role);
    if (!role.ok()) return role.error();
    if (write) {
      CL_RETURN_IF_ERROR(CheckCsrf(store, session, req.Header("X-CSRF-Token")));
    }
    p.kind = Principal::Kind::kUser;
    p.role = *role;
    p.user_id = user->id;
    p.login = user->login;
    p.organisation = user->organisation;
    p.units = user->units;
    p.session_hash = std::move(hash);
    p.must_change_password = user->temporary_until != 0;
    return p;
  }

  // Sessions a read checked within the policy's session_cache_s: a burst of
  // reads does not ask the store for the same session and user every time.
  // Every write handled here drops them all (a sign-out, a user's role or
  // units changed) and moves the generation on, so that a read whose
  // snapshot predates that write cannot put its stale answer back.
  struct CachedSession {
    UserRecord user;
    int64_t expires_at = 0;
    std::chrono::steady_clock::time_point checked;
  };
  uint64_t SessionGeneration() {
    std::lock_guard lock(sessions_mu_);
    return sessions_generation_;
  }
  // The cached user, if there is one to use.
  std::optional<UserRecord> RecentSession(const std::string& hash, int64_t now_s) {
    std::lock_guard lock(sessions_mu_);
    auto it = sessions_.find(hash);
    if (it == sessions_.end()) return std::nullopt;
    const CachedSession& c = it->second;
    if (c.expires_at <= now_s ||
        std::chrono::steady_clock::now() - c.checked > session_cache_ttl_) {
      sessions_.erase(it);
      return std::nullopt;
    }
    return c.user;
  }
  void RememberSession(const std::string& hash, const UserRecord& user, int64_t expires_at,
                       uint64_t generation) {
    if (session_cache_ttl_.count() <= 0) return;
    std::lock_guard lock(sessions_mu_);
    if (generation != sessions_generation_) return;
    if (sessions_.size() >= 10000) sessions_.clear();  // bounded under a flood of sessions
    sessions_[hash] = {user, expires_at, std::chrono::steady_clock::now()};
  }
  void ForgetSessions() {
    std::lock_guard lock(sessions_mu_);
    ++sessions_generation_;
    sessions_.clear();
  }

  // The route a request's method and path name, or the 404/405 answer.
  std::variant<const CompiledRoute*, ApiResponse> FindRoute(
      const ApiRequest& req, const Target& target, const std::string& instance,
      std::map<std::string, std::string>& params, int& route_index) const {
    bool path_known = false;
    // HEAD is a GET without the body (the transport drops it).
    std::string_view method = req.method == "HEAD" ? "GET" : std::string_view{req.method};
    for (size_t i = 0; i < routes_.size(); ++i) {
      params.clear();
      if (!Match(routes_[i], target.segments, params)) continue;
      path_known = true;
      if (method != routes_[i].route->method) continue;
      route_index = static_cast<int>(i);
      return &routes_[i];
    }
    if (!path_known)
      return api::Problem(404, "Not found", "no such path: " + instance, instance, "",
                          "request.no_such_path", {{"path", instance}});
    ApiResponse r =
        api::Problem(405, "Method not allowed", req.method + " is not served at this path",
                     instance, "", "request.method_not_allowed", {{"method", req.method}});
    std::string allow;
    for (const auto& other : routes_) {
      std::map<std::string, std::string> ignored;
      if (Match(other, target.segments, ignored))
        allow += (allow.empty() ? "" : ", ") + std::string(other.route->method);
    }
    r.headers.emplace_back("Allow", allow);
    return r;
  }

  // Who is calling, within the per-caller rate limit: the principal, or the
  // refusal (401, 429, 503).
  std::variant<Principal, ApiResponse> Caller(Store& store, const ApiRequest& req,
                                              const std::string& client, const api::Route& route,
                                              bool write, int64_t now, uint64_t generation,
                                              const std::string& instance) {
    // Signing in ignores whatever credentials come with it (a stale cookie).
    auto principal = std::string_view(route.operation) == "signIn"
                         ? Result<Principal>(Principal{})
                         : Authenticate(store, req, write, now, generation);
    // Routes open to the public serve stale credentials (an expired cookie)
    // as the public.
    if (!principal.ok() && (route.allow & api::kPublic) &&
        principal.error().kind() == ErrorKind::kUnauthenticated)
      principal = Principal{};
    if (!principal.ok()) return api::ProblemFrom(principal.error(), instance);
    if (principal->must_change_password && !api::AllowedBeforePasswordChange(route))
      return api::Problem(403, "Password change required",
                          "change the temporary password first (POST /api/v1/session/password)",
                          instance, "", "session.password_change_required");
    double wait = limiter_.Take(
        principal->kind == Principal::Kind::kPublic ? "ip:" + client : principal->Name(),
        std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count());
    if (wait > 0 && !req.checked) {
      const std::string seconds = std::to_string(static_cast<int>(std::ceil(wait)));
      ApiResponse r =
          api::Problem(429, "Too many requests", "slow down: this caller's request rate is limited",
                       instance, "", "request.too_fast", {{"seconds", seconds}});
      r.headers.emplace_back("Retry-After", seconds);
      return r;
    }
    return std::move(*principal);
  }

  // The JSON body of a route that takes one, checked (size, type, UTF-8,
  // depth, an object) into ctx.body; the refusal, or nothing.
  std::optional<ApiResponse> ParseJsonBody(const ApiRequest& req, api::Ctx& ctx,
                                           const std::string& instance) const {
    if (req.body.size() > config_.max_json_bytes)
      return api::Problem(
          413, "Request body too large",
          "a JSON body may have at most " + std::to_string(config_.max_json_bytes) + " bytes",
          instance, "", "request.body_too_large",
          {{"limit_bytes", std::to_string(config_.max_json_bytes)}});
    std::string type = req.Header("Content-Type");
    if (!req.body.empty() && type.rfind("application/json", 0) != 0)
      return api::Problem(415, "Unsupported media type", "send the body as application/json",
                          instance, "", "request.body_not_json_type");
    if (!req.body.empty()) {
      if (!IsValidUtf8(req.body))
        return api::Problem(400, "Bad request", "the body is not valid UTF-8", instance, "",
                            "request.body_not_utf8");
      if (auto st = CheckDepth(req.body); !st.ok())
        return api::Problem(400, "Bad request", st.error().message(), instance, "",
                            "request.body_too_deep", {{"depth", std::to_string(kMaxJsonDepth)}});
      try {
        ctx.body = json::parse(req.body);
      } catch (const json::exception& e) {
        return api::Problem(400, "Bad request", std::string("the body is not JSON: ") + e.what(),
                            instance, "", "request.body_not_json");
      }
    }
    if (ctx.body.is_null()) ctx.body = json::object();
    if (!ctx.body.is_object())
      return api::Problem(400, "Bad request", "the body must be a JSON object", instance, "#",
                          "request.body_not_object");
    return std::nullopt;
  }

  // With check_only, stops after authorization: status 0 means "go on".
  ApiResponse Dispatch(const ApiRequest& req, const std::string& client, int& route_index,
                       std::string& who_name, bool check_only = false) {
    auto target = ParseTarget(req.target);
    if (!target.ok())
      return api::Problem(400, "Bad request", target.error().message(), "", "",
                          "request.target_invalid");
    std::string instance = req.target.substr(0, req.target.find('?'));
    if (!IsValidUtf8(instance)) instance = "(invalid UTF-8)";
    std::map<std::string, std::string> params;
    auto found = FindRoute(req, *target, instance, params, route_index);
    if (auto* refusal = std::get_if<ApiResponse>(&found)) return std::move(*refusal);
    const api::Route& route = *std::get<const CompiledRoute*>(found)->route;
    auto taken = pool_.Take();
    if (!taken.ok()) return api::ProblemFrom(taken.error(), instance);
    StorePool::Lease lease = std::move(taken.value());
    ApiResponse res = Serve(req, client, route, *target, instance, std::move(params), lease,
                            who_name, check_only);
    // A connection under a failed request (the store unavailable, or an
    // internal error) is closed, not lent to the next request.
    if (res.status >= 500) lease.Discard();
    return res;
  }

  ApiResponse Serve(const ApiRequest& req, const std::string& client, const api::Route& route,
                    Target& target, const std::string& instance,
                    std::map<std::string, std::string> params, StorePool::Lease& lease,
                    std::string& who_name, bool check_only) {
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const bool write = req.method != "GET" && req.method != "HEAD";
    // A read sees one snapshot of the store, from the caller's session to
    // the answer (the lease ends it).
    const uint64_t generation = SessionGeneration();
    if (!write) {
      if (auto st = lease.BeginRead(); !st.ok())
        return api::Problem(503, "Service unavailable",
                            "the store is unavailable: " + st.error().message(), instance, "",
                            "store.unavailable");
    }
    auto caller = Caller(lease.store(), req, client, route, write, now, generation, instance);
    if (auto* refusal = std::get_if<ApiResponse>(&caller)) return std::move(*refusal);
    auto& who = std::get<Principal>(caller);
    who_name = who.Name();
    api::Ctx ctx{.req = req,
                 .api = *this,
                 .store = lease.store(),
                 .who = std::move(who),
                 .actor = {who_name, "api " + client},
                 .path = std::move(params),
                 .query = std::move(target.query),
                 .now = now,
                 .data = Data()};
    if (auto st = api::Authorize(ctx, route); !st.ok())
      return api::ProblemFrom(st.error(), instance);
    if (check_only) return {0, "", "", {}};
    if (std::string_view(route.body) == "json")
      if (auto refusal = ParseJsonBody(req, ctx, instance)) return std::move(*refusal);
    // After a write (even one that failed or threw halfway), no read uses a
    // session checked before it.
    struct Forget {
      Impl* impl;
      ~Forget() {
        if (impl) impl->ForgetSessions();
      }
    } forget{write ? this : nullptr};
    ApiResponse answer = route.handler(ctx);
    if (write && answer.status < 400) Checkpoint(lease.store());
    return answer;
  }

  const ServerConfig& config_;
  Metrics& metrics_;
  RateLimiter limiter_;
  std::vector<CompiledRoute> routes_;
  std::mutex data_mu_;  // guards data_ (replaced when a dataset version is published)
  std::shared_ptr<const ReferenceData> data_;
  VeeSettings vee_;
  std::optional<ProgrammeCalendar> calendar_;  // set by Init
  StorePool pool_;
  TrustedProxies trusted_;  // set by Init, read-only after
  std::chrono::duration<double> session_cache_ttl_{config_.identity.session_cache_s};
  std::mutex sessions_mu_;  // guards sessions_generation_ and sessions_
  uint64_t sessions_generation_ = 0;
  std::unordered_map<std::string, CachedSession> sessions_;
  struct CachedDocument {
    std::string unit_id, created_at;
    std::shared_ptr<const std::string> text;
  };
  std::mutex documents_mu_;  // guards documents_ and documents_bytes_
  // The public figures: a few hundred keys at most (checked query values).
  api::AnswerCache public_answers_{512};
  // One small block per inventory past draft that was read; starts again when full.
  DataChangeCache data_changes_{4096};
  std::unordered_map<int64_t, CachedDocument> documents_;
  size_t documents_bytes_ = 0;
  std::optional<AuditAnchor> anchor_;  // set by Init, then only read
  std::mutex anchor_mu_;               // one checkpoint written at a time; guards last_checkpoint_
  std::optional<AuditCheckpoint> last_checkpoint_;  // the newest this server knows
};

Api::Api(ServerConfig config) : config_(std::move(config)) {}
Api::~Api() = default;

Result<std::unique_ptr<Api>> Api::Open(const ServerConfig& config, StoreOpener open_store) {
  std::unique_ptr<Api> api(new Api(config));
  api->impl_ = std::make_unique<Impl>(api->config_, api->metrics_, std::move(open_store));
  CL_RETURN_IF_ERROR(api->impl_->Init());
  return api;
}

ApiResponse Api::Handle(const ApiRequest& request) { return impl_->Handle(request); }

size_t Api::UploadLimit(std::string_view method, std::string_view target) const {
  return impl_->UploadLimit(method, target);
}

std::optional<ApiResponse> Api::Check(const ApiRequest& request) { return impl_->Check(request); }

namespace api {

ApiState& State(Ctx& ctx) { return ctx.api; }

std::string Ctx::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

ApiResponse Json(int status, const json& body) {
  // A number that is not finite would be written as null: a failure, loudly.
  if (!AllNumbersFinite(body)) return NonFiniteProblem("");
  return {
      status, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

ApiResponse RawJson(int status, std::string body) {
  return {status, "application/json", std::move(body), {}};
}

}  // namespace api
}  // namespace cl
