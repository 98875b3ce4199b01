#include "server/http_server.h"

#include <malloc.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api_impl.h"
#include "http_body.h"
#include "server/client_address.h"

namespace cl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using transport::BodyDecoder;
using transport::Spool;
using transport::WebFiles;

// The session's steps call each other through the io_context (a completion
// handler starts the next read or write), never on the stack: clang-tidy's
// misc-no-recursion sees a cycle that is not a recursion.
// NOLINTBEGIN(misc-no-recursion)

namespace {

using Clock = std::chrono::steady_clock;

// A pool of threads that run handlers, with a bound on the requests waiting
// for one: past it, a request is refused at once (503) instead of queueing
// without end. Separate lanes keep one kind of traffic from starving another.
class Lane {
 public:
  Lane(size_t threads, size_t max_waiting) : pool_(threads), max_waiting_(max_waiting) {}
  // Runs `job` on the lane, or returns false when the lane is full.
  template <typename Job>
  bool Post(Job job) {
    if (waiting_.fetch_add(1) >= max_waiting_) {
      waiting_.fetch_sub(1);
      return false;
    }
    asio::post(pool_, [this, job = std::move(job)]() mutable {
      waiting_.fetch_sub(1);
      job();
    });
    return true;
  }
  void Join() { pool_.join(); }

 private:
  asio::thread_pool pool_;
  const size_t max_waiting_;
  std::atomic<size_t> waiting_{0};
};

// The path of a target, without its query.
std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

// Requests that check or hash a password (argon2id: 64 MiB and tens of
// milliseconds each): signing in and changing one's password.
bool IsPasswordWork(const ApiRequest& r) {
  if (r.method != "POST") return false;
  const std::string_view path = PathOf(r.target);
  return path == "/api/v1/session" || path == "/api/v1/session/password";
}

bool IsHealth(const ApiRequest& r) {
  return (r.method == "GET" || r.method == "HEAD") && PathOf(r.target) == "/healthz";
}

// Beast's string_view (Boost's, not std's) as a string.
std::string Text(beast::string_view v) { return {v.data(), v.size()}; }

bool Compressible(const std::string& type) {
  return type.rfind("application/json", 0) == 0 || type.rfind("text/", 0) == 0 ||
         type.rfind("application/problem+json", 0) == 0;
}

}  // namespace

class Session;

class HttpServer::Impl {
 public:
  explicit Impl(Api& api)
      : api_(api),
        config_(api.config()),
        acceptor_(io_),
        main_(static_cast<size_t>(std::max(2, config_.threads)), config_.max_queued_requests),
        sign_in_(static_cast<size_t>(config_.sign_in_threads), config_.sign_in_queue),
        health_(1, 64),
        retry_(io_),
        trim_(io_) {
    web_.Load(config_.web_dir.empty() ? std::string(CL_SOURCE_WEB_DIR) : config_.web_dir);
    // Api::Open has checked the list; a proxy's connections carry many
    // clients, so only the cap in all applies to them.
    if (auto trusted = TrustedProxies::Parse(config_.trusted_proxies); trusted.ok())
      proxies_ = std::move(*trusted);
  }

  Result<int> Bind(const std::string& host, int port);
  void Run();
  void Stop();

  // Connection accounting (any thread): whether a new connection from
  // `address` may be served, and its end.
  bool Admit(const std::string& address);
  void Leave(const std::string& address, Session* s);

  Lane& LaneFor(const ApiRequest& r) {
    if (IsHealth(r)) return health_;
    return IsPasswordWork(r) ? sign_in_ : main_;
  }
  bool stopping() const { return stopping_.load(); }
  asio::io_context& io() { return io_; }

  Api& api_;
  const ServerConfig& config_;
  WebFiles web_;

 private:
  void Accept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void Trim();

  asio::io_context io_;
  tcp::acceptor acceptor_;
  Lane main_;     // signed-in and public API requests
  Lane sign_in_;  // password checks: slow and memory-hungry by design
  Lane health_;   // /healthz answers whatever else is queued
  asio::steady_timer retry_;
  asio::steady_timer trim_;  // hands freed memory back to the system now and then
  std::atomic<bool> stopping_{false};
  TrustedProxies proxies_;  // exempt from the per-address cap
  std::mutex mu_;           // guards per_address_, sessions_ and open_
  std::unordered_map<std::string, int> per_address_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  int open_ = 0;
};

// One connection: reads a request head within the header deadline, then its
// body (streamed, decoded, bounded), hands the request to a lane and writes
// the answer; then the next request on the same connection, within the
// keep-alive limits.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl& server, tcp::socket socket, std::string address)
      : server_(server), stream_(std::move(socket)), address_(std::move(address)) {}
  ~Session() { server_.Leave(address_, this); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHead(); });
  }
  // Ends an idle connection (the server stops); a request being answered
  // finishes first.
  void EndIfIdle() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->Close();
    });
  }

 private:
  const ServerConfig& config() const { return server_.config_; }

  void ReadHead() {
    idle_ = true;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(config().max_header_bytes));
    // Bodies are bounded after decoding, below. (Not boost::none: Boost 1.74
    // compares a known length against an empty optional and refuses it.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    req_ = ApiRequest{};
    decoder_.reset();
    spool_.reset();
    // The whole head within the deadline: a client that trickles it is cut.
    stream_.expires_after(
        std::chrono::seconds(served_ == 0 ? config().header_timeout_s : config().keep_alive_s));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHead(ec); });
  }

  void OnHead(beast::error_code ec);
  void Route();
  void CheckThenRead();
  void StartBody(size_t limit, bool to_file);
  void ReadBody();
  void OnBody(beast::error_code ec);
  bool Decode(const char* data, size_t n);
  void Dispatch();
  void AnswerFile(const WebFiles::File& f);
  void Respond(ApiResponse r, bool close = false);
  void OnWritten(beast::error_code ec, bool keep_alive);
  // `code` (core/problem_codes.h): "" for the generic code of the status.
  void Refuse(int status, const std::string& detail, const std::string& code = "",
              const ProblemParams& params = {}) {
    Respond(api::Problem(status, api::Title(status), detail, "", "", code, params),
            /*close=*/true);
  }
  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  HttpServer::Impl& server_;
  beast::tcp_stream stream_;
  std::string address_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  ApiRequest req_;
  std::optional<BodyDecoder> decoder_;
  std::unique_ptr<Spool> spool_;
  std::ofstream file_;
  std::vector<char> chunk_;  // allocated only while a body is read
  Clock::time_point body_deadline_;
  bool to_file_ = false;
  bool idle_ = true;  // waiting for a request head
  int served_ = 0;
};

void Session::OnHead(beast::error_code ec) {
  idle_ = false;
  if (ec == bhttp::error::header_limit) {
    // A request line alone over the limit is a long target (414).
    std::string_view seen(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    const bool line_too_long = seen.find("\r\n") == std::string_view::npos;
    return Refuse(line_too_long ? 414 : 431, line_too_long ? "the request target is too long"
                                                           : "the request headers are too large");
  }
  if (ec) {
    // A deadline passed, the client left, or the head is not HTTP.
    if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
        ec == asio::error::eof || ec == asio::error::operation_aborted || server_.stopping() ||
        buffer_.size() == 0)
      return Close();
    return Refuse(400, "the request could not be read", "request.unreadable");
  }
  const auto& head = parser_->get();
  req_.method = Text(head.method_string());
  req_.target = Text(head.target());
  req_.remote = address_;
  req_.headers.reserve(16);
  for (const auto& field : head) req_.headers.emplace_back(field.name_string(), field.value());
  Route();
}

void Session::Route() {
  const bool get = req_.method == "GET" || req_.method == "HEAD";
  if (get) {
    if (const WebFiles::File* f = server_.web_.Find(PathOf(req_.target))) return AnswerFile(*f);
  }
  if (parser_->is_done()) return Dispatch();  // no body
  auto& api = server_.api_;
  if (api.UploadLimit(req_.method, req_.target) > 0) return CheckThenRead();
  const auto length = parser_->content_length();
  if (length && *length > config().max_json_bytes)
    return Refuse(
        413, "a JSON body may have at most " + std::to_string(config().max_json_bytes) + " bytes",
        "request.body_too_large", {{"limit_bytes", std::to_string(config().max_json_bytes)}});
  StartBody(config().max_json_bytes, /*to_file=*/false);
}

// Nothing of an import is read, let alone inflated to disk, before the
// caller may send it: the credentials are checked on a lane first.
void Session::CheckThenRead() {
  auto self = shared_from_this();
  bool queued = server_.LaneFor(req_).Post([self, guard = asio::make_work_guard(server_.io())] {
    std::optional<ApiResponse> refused = self->server_.api_.Check(self->req_);
    asio::post(self->stream_.get_executor(), [self, refused = std::move(refused)]() mutable {
      if (refused) return self->Respond(std::move(*refused), /*close=*/true);
      self->req_.checked = true;
      self->StartBody(self->server_.api_.UploadLimit(self->req_.method, self->req_.target),
                      /*to_file=*/true);
    });
  });
  if (!queued) Refuse(503, "the server is busy; try again in a moment", "server.busy");
}

void Session::StartBody(size_t limit, bool to_file) {
  decoder_ = BodyDecoder::For(req_.Header("Content-Encoding"), limit, config().max_inflate_ratio);
  if (!decoder_) return Refuse(415, "unsupported Content-Encoding", "request.encoding_unsupported");
  to_file_ = to_file;
  if (to_file) {
    spool_ = std::make_unique<Spool>(config().upload_dir);
    if (!spool_->ok()) return Refuse(500, "no room for the upload", "import.upload_failed");
    std::string type = req_.Header("Content-Type");
    bool jsonl = type.find("ndjson") != std::string::npos ||
                 type.find("jsonl") != std::string::npos ||
                 req_.target.find("format=jsonl") != std::string::npos;
    req_.body_file = spool_->dir() + "/" + transport::UploadName(req_.target, jsonl);
    file_.open(req_.body_file, std::ios::binary | std::ios::trunc);
    if (!file_) return Refuse(500, "no room for the upload", "import.upload_failed");
  }
  chunk_.resize(size_t{64} * 1024);
  // A JSON body arrives whole within the read timeout; an import (signed
  // in, checked) may take longer but must keep moving.
  body_deadline_ = to_file ? Clock::time_point::max()
                           : Clock::now() + std::chrono::seconds(config().read_timeout_s);
  const auto& expect = parser_->get()[bhttp::field::expect];
  if (beast::iequals(expect, "100-continue")) {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    stream_.expires_after(std::chrono::seconds(config().write_timeout_s));
    return asio::async_write(stream_, asio::buffer(kContinue),
                             [self = shared_from_this()](beast::error_code ec, size_t) {
                               if (ec) return self->Close();
                               self->ReadBody();
                             });
  }
  ReadBody();
}

void Session::ReadBody() {
  auto& body = parser_->get().body();
  body.data = chunk_.data();
  body.size = chunk_.size();
  const auto idle = Clock::now() + std::chrono::seconds(config().read_timeout_s);
  stream_.expires_at(std::min(idle, body_deadline_));
  bhttp::async_read_some(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
}

void Session::OnBody(beast::error_code ec) {
  if (ec == bhttp::error::need_buffer) ec = {};
  if (ec) {
    if (ec == beast::error::timeout) return Refuse(408, "the request body did not arrive in time");
    if (ec == bhttp::error::partial_message || ec == bhttp::error::end_of_stream ||
        ec == asio::error::eof)
      return Close();  // the client left half-way: nothing of it is kept
    return Refuse(400, "the request body could not be read", "request.unreadable");
  }
  const size_t n = chunk_.size() - parser_->get().body().size;
  if (!Decode(chunk_.data(), n)) return;
  if (!parser_->is_done()) return ReadBody();
  if (!decoder_->Complete())
    return Refuse(400, "the compressed body ends before its end: truncated or corrupt",
                  "import.gzip_truncated");
  if (to_file_) {
    file_.close();
    if (!file_) return Refuse(500, "the upload could not be stored", "import.upload_failed");
  }
  chunk_ = {};
  Dispatch();
}

// Feeds wire bytes through the decoder; false after answering a refusal.
bool Session::Decode(const char* data, size_t n) {
  auto sink = [this](const char* d, size_t k) {
    if (to_file_) return static_cast<bool>(file_.write(d, static_cast<std::streamsize>(k)));
    req_.body.append(d, k);
    return true;
  };
  switch (decoder_->Feed(data, n, sink)) {
    case BodyDecoder::Step::kOk:
      return true;
    case BodyDecoder::Step::kTooLarge: {
      const size_t limit =
          to_file_ ? server_.api_.UploadLimit(req_.method, req_.target) : config().max_json_bytes;
      Refuse(413,
             (to_file_ ? "an import may have at most " : "a JSON body may have at most ") +
                 std::to_string(limit) +
                 (to_file_ ? " bytes after decompression; split the file" : " bytes"),
             to_file_ ? "import.file_too_large" : "request.body_too_large",
             {{"limit_bytes", std::to_string(limit)}});
      return false;
    }
    case BodyDecoder::Step::kBomb:
      Refuse(413,
             "the compressed body expands more than " + std::to_string(config().max_inflate_ratio) +
                 " times: refused as a decompression bomb; send it uncompressed",
             "import.gzip_too_large", {{"ratio", std::to_string(config().max_inflate_ratio)}});
      return false;
    case BodyDecoder::Step::kCorrupt:
      Refuse(400, "the compressed body is corrupt", "import.gzip_corrupt");
      return false;
    case BodyDecoder::Step::kSinkFailed:
      Refuse(500, "the upload could not be stored", "import.upload_failed");
      return false;
  }
  return false;
}

// The request goes to its lane; the answer comes back to this connection.
void Session::Dispatch() {
  auto self = shared_from_this();
  const bool gzip = transport::AcceptsGzip(req_.Header("Accept-Encoding"));
  Lane& lane = server_.LaneFor(req_);
  bool queued = lane.Post([self, gzip, spool = std::move(spool_),
                           guard = asio::make_work_guard(server_.io())]() mutable {
    ApiResponse r = self->server_.api_.Handle(self->req_);
    spool.reset();  // the upload is stored or refused: its file goes now
    if (gzip && r.body.size() > 1400 && Compressible(r.content_type)) {
      // zlib's fastest level: JSON shrinks about 8× at a fraction of a
      // millisecond for an inventory document.
      r.body = transport::Gzip(r.body, Z_BEST_SPEED);
      r.headers.emplace_back("Content-Encoding", "gzip");
      r.headers.emplace_back("Vary", "Accept-Encoding");
    }
    asio::post(self->stream_.get_executor(),
               [self, r = std::move(r)]() mutable { self->Respond(std::move(r)); });
  });
  if (!queued) {
    ApiResponse busy = api::Problem(
        503, api::Title(503), "the server is busy; try again in a moment", "", "", "server.busy");
    busy.headers.emplace_back("Retry-After", "1");
    Respond(std::move(busy), !parser_->is_done());
  }
}

void Session::AnswerFile(const WebFiles::File& f) {
  ApiResponse r;
  r.status = f.status;
  r.content_type = f.type;
  for (auto& [k, v] : WebFiles::Headers(f))
    if (k != "Content-Type") r.headers.emplace_back(k, v);
  if (!f.gzipped.empty() && transport::AcceptsGzip(req_.Header("Accept-Encoding"))) {
    r.body = f.gzipped;
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.body = f.body;
  }
  Respond(std::move(r), !parser_->is_done());
}

void Session::Respond(ApiResponse r, bool close) {
  idle_ = false;
  res_ = {};
  res_.version(11);
  res_.result(static_cast<unsigned>(r.status));
  for (auto& [k, v] : r.headers) res_.insert(k, v);
  if (!r.content_type.empty()) res_.set(bhttp::field::content_type, r.content_type);
  const bool head = req_.method == "HEAD";
  const size_t length = r.body.size();
  if (!head) res_.body() = std::move(r.body);
  ++served_;
  const bool keep_alive = !close && parser_ && parser_->is_done() && parser_->get().keep_alive() &&
                          served_ < config().keep_alive_requests && !server_.stopping();
  res_.keep_alive(keep_alive);
  res_.content_length(length);
  stream_.expires_after(std::chrono::seconds(config().write_timeout_s));
  bhttp::async_write(stream_, res_,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                       self->OnWritten(ec, keep_alive);
                     });
}

void Session::OnWritten(beast::error_code ec, bool keep_alive) {
  res_ = {};
  req_ = ApiRequest{};
  if (ec || !keep_alive) return Close();
  ReadHead();
}

Result<int> HttpServer::Impl::Bind(const std::string& host, int port) {
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return Error::Io("cannot listen on " + host + ": not an IP address");
  tcp::endpoint at(address, static_cast<uint16_t>(port));
  acceptor_.open(at.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(at, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error::Io("cannot listen on " + host + ":" + std::to_string(port) +
                     " (in use, or not allowed)");
  return static_cast<int>(acceptor_.local_endpoint().port());
}

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket s) {
    OnAccept(ec, std::move(s));
  });
}

void HttpServer::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping_ || !acceptor_.is_open()) return;
  if (ec) {
    // Out of descriptors or memory: wait a moment instead of spinning.
    retry_.expires_after(std::chrono::milliseconds(50));
    retry_.async_wait([this](beast::error_code) { Accept(); });
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto peer = socket.remote_endpoint(ignored);
  std::string address = ignored ? "" : peer.address().to_string();
  if (Admit(address)) {
    auto session = std::make_shared<Session>(*this, std::move(socket), address);
    {
      std::lock_guard lock(mu_);
      sessions_.emplace(session.get(), session);
    }
    session->Start();
  } else {
    socket.close(ignored);  // over a connection cap: refused before a byte is read
  }
  Accept();
}

bool HttpServer::Impl::Admit(const std::string& address) {
  std::lock_guard lock(mu_);
  if (open_ >= config_.max_connections) return false;
  if (proxies_.Contains(address)) {
    ++open_;
    return true;
  }
  int& mine = per_address_[address];
  if (mine >= config_.max_connections_per_address) {
    if (mine == 0) per_address_.erase(address);
    return false;
  }
  ++mine;
  ++open_;
  return true;
}

void HttpServer::Impl::Leave(const std::string& address, Session* s) {
  std::lock_guard lock(mu_);
  sessions_.erase(s);
  --open_;
  auto it = per_address_.find(address);  // absent for a proxy
  if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
}

// Every few seconds, what the handler threads freed goes back to the
// system: glibc keeps a freed heap top up to M_TRIM_THRESHOLD (serve sets
// it high, for speed) in each thread's arena, so after a burst of large
// answers the server would otherwise stay at its peak.
void HttpServer::Impl::Trim() {
  trim_.expires_after(std::chrono::seconds(5));
  trim_.async_wait([this](beast::error_code ec) {
    if (ec || stopping_) return;
    health_.Post([] { malloc_trim(0); });
    Trim();
  });
}

void HttpServer::Impl::Run() {
  Accept();
  Trim();
  const int extra = std::max(0, config_.io_threads - 1);
  std::vector<std::thread> io_threads;
  io_threads.reserve(static_cast<size_t>(extra));
  for (int i = 0; i < extra; ++i) io_threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& t : io_threads) t.join();
  main_.Join();
  sign_in_.Join();
  health_.Join();
}

void HttpServer::Impl::Stop() {
  asio::post(io_, [this] {
    stopping_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
    trim_.cancel();
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(mu_);
      for (auto& [ptr, weak] : sessions_)
        if (auto s = weak.lock()) open.push_back(std::move(s));
    }
    for (auto& s : open) s->EndIfIdle();
  });
}

// NOLINTEND(misc-no-recursion)

HttpServer::HttpServer(Api& api) : impl_(std::make_unique<Impl>(api)) {}
HttpServer::~HttpServer() = default;

Result<int> HttpServer::Bind(const std::string& host, int port) { return impl_->Bind(host, port); }

size_t HttpServer::WebFileCount() const { return impl_->web_.size(); }

void HttpServer::Run() { impl_->Run(); }

void HttpServer::Stop() { impl_->Stop(); }

}  // namespace cl
