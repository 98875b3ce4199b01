#include "server/http_server.h"

#include <httplib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "api_impl.h"

namespace cl {

namespace {

// A temporary directory holding one upload; removed when done.
class Spool {
 public:
  explicit Spool(const std::string& parent) {
    std::string base = parent.empty() ? std::filesystem::temp_directory_path().string() : parent;
    std::string pattern = base + "/carbonledger-upload-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data())) dir_ = buf.data();
  }
  ~Spool() {
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  bool ok() const { return !dir_.empty(); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// The caller's name for an upload (shown in rejects), without any path.
std::string UploadName(const httplib::Request& req, bool jsonl) {
  std::string name = req.get_param_value("name");
  bool clean = !name.empty() && name.size() <= 120 && name != "." && name != "..";
  for (char c : name)
    clean = clean && c != '/' && c != '\\' && c != '\0' && static_cast<unsigned char>(c) >= 0x20;
  return clean ? name : (jsonl ? "upload.jsonl" : "upload.csv");
}

// The body is moved, not copied: an inventory document is tens of kilobytes.
void Answer(httplib::Response& res, ApiResponse r) {
  res.status = r.status;
  for (auto& [k, v] : r.headers) res.headers.emplace(std::move(k), std::move(v));
  if (!r.content_type.empty()) res.set_header("Content-Type", r.content_type);
  res.body = std::move(r.body);
}

ApiRequest Convert(const httplib::Request& req) {
  ApiRequest a;
  a.method = req.method;
  a.target = req.target;
  a.remote = req.remote_addr;
  for (const auto& [k, v] : req.headers) a.headers.emplace_back(k, v);
  return a;
}

// The built web app, read into memory once: a request can only ever get
// one of these files (no path reaches the file system), and a path that is
// not a file is the app's own route, answered with index.html.
class WebFiles {
 public:
  struct File {
    std::string body;
    std::string type;
    bool immutable = false;  // content-hashed names under assets/
    int status = 200;
  };

  void Load(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (dir.empty() || !fs::is_regular_file(fs::path(dir) / "index.html", ec)) return;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::ifstream in(it->path(), std::ios::binary);
      File f;
      f.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      std::string rel = "/" + fs::relative(it->path(), dir, ec).generic_string();
      f.type = TypeOf(it->path().extension().string());
      f.immutable = rel.rfind("/assets/", 0) == 0;
      files_.emplace(std::move(rel), std::move(f));
    }
  }
  bool empty() const { return files_.empty(); }
  size_t size() const { return files_.size(); }

  // The file for a GET of `path`, or nullptr when the path is the API's.
  const File* Find(const std::string& path) const {
    if (files_.empty() || path.rfind("/api/", 0) == 0 || path == "/api" || path == "/healthz" ||
        path == "/metrics")
      return nullptr;
    if (auto it = files_.find(path); it != files_.end()) return &it->second;
    // Only plain paths are the app's pages; anything odd (dot segments,
    // backslashes, control characters) goes to the API, which refuses it.
    for (size_t i = 0; i < path.size(); ++i) {
      const auto c = static_cast<unsigned char>(path[i]);
      if (c < 0x20 || c == 0x7f || c == '\\' || (c == '.' && i > 0 && path[i - 1] == '/'))
        return nullptr;
    }
    // A missing asset is a 404; any other path is a page of the app (ids
    // may hold dots: /units/SH-A/meters/SH-A%2FE1.2).
    if (path.rfind("/assets/", 0) == 0) return &missing_;
    return &files_.at("/index.html");
  }

 private:
  static std::string TypeOf(const std::string& ext) {
    static const std::map<std::string, std::string> kTypes = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"}};
    auto it = kTypes.find(ext);
    return it == kTypes.end() ? "application/octet-stream" : it->second;
  }
  std::map<std::string, File> files_;
  File missing_{"not found\n", "text/plain; charset=utf-8", false, 404};
};

void AnswerFile(httplib::Response& res, const WebFiles::File& f) {
  res.status = f.status;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Vary", "Accept-Encoding");  // httplib gzips when asked
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                 "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'");
  res.set_header("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_content(f.body, f.type);
}

}  // namespace

class HttpServer::Impl {
 public:
  explicit Impl(Api& api) : api_(api) {
    const ServerConfig& c = api.config();
    const size_t threads = static_cast<size_t>(std::max(2, c.threads));
    svr_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr_.set_keep_alive_max_count(100000);
    svr_.set_keep_alive_timeout(c.keep_alive_s);
    svr_.set_read_timeout(c.read_timeout_s, 0);
    svr_.set_write_timeout(c.write_timeout_s, 0);
    svr_.set_tcp_nodelay(true);
    svr_.set_payload_max_length(c.max_upload_bytes);
    // httplib compresses text, JSON and JavaScript answers itself, with
    // Brotli when the client accepts it — at quality 11, about 0.5 MB/s here
    // (2 s for the 1.1 MB chart library; gzip: 54 ms). Offer it gzip only.
    // The request object is httplib's own non-const local, passed as const.
    svr_.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
      auto it = req.headers.find("Accept-Encoding");
      if (it != req.headers.end() && it->second.find("br") != std::string::npos)
        const_cast<std::string&>(it->second) =
            it->second.find("gzip") != std::string::npos ? "gzip" : "identity";
      return httplib::Server::HandlerResponse::Unhandled;
    });
    std::string web = c.web_dir.empty() ? std::string(CL_SOURCE_WEB_DIR) : c.web_dir;
    web_.Load(web);
    auto plain = [this](const httplib::Request& req, httplib::Response& res) {
      if (req.method == "GET" || req.method == "HEAD")
        if (const WebFiles::File* f = web_.Find(req.path)) {
          AnswerFile(res, *f);
          return;
        }
      Answer(res, api_.Handle(Convert(req)));
    };
    auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) { Body(req, res, reader); };
    svr_.Get(".*", plain);
    svr_.Delete(".*", plain);
    svr_.Post(".*", with_body);
    svr_.Put(".*", with_body);
    svr_.Patch(".*", with_body);
    svr_.Options(".*", plain);
    svr_.set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                  const std::exception_ptr& /*error*/) {
      Answer(res, api::Problem(500, "Internal error", "the server failed; the error is logged",
                               req.path));
    });
    // Errors httplib itself answers (a malformed request line, a body over
    // the limit, an unsupported Content-Encoding) also get problem details.
    svr_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      std::string detail = res.status == 413   ? "the request body is too large"
                           : res.status == 415 ? "unsupported Content-Encoding"
                           : res.status == 414 ? "the request target is too long"
                                               : "the request could not be read";
      int status = res.status;
      Answer(res, api::Problem(status, api::Title(status), detail,
                               req.target.size() < 512 ? req.target : ""));
    });
  }

  void Body(const httplib::Request& req, httplib::Response& res,
            const httplib::ContentReader& reader) {
    ApiRequest a = Convert(req);
    if (size_t limit = api_.UploadLimit(req.method, req.target); limit > 0) {
      // Nothing is read, let alone inflated to disk, before the caller may send it.
      if (auto refused = api_.Check(a)) return Close(res, std::move(*refused));
      a.checked = true;
      Spool spool(api_.config().upload_dir);
      if (!spool.ok())
        return Answer(res, api::Problem(500, "Internal error", "no room for the upload", req.path));
      if (auto refused = SpoolUpload(req, reader, limit, spool, a))
        return Close(res, std::move(*refused));
      return Answer(res, api_.Handle(a));
    }
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
      return Answer(res, api_.Handle(a));  // no body at all
    if (auto refused = ReadJsonBody(req, reader, a)) return Close(res, std::move(*refused));
    Answer(res, api_.Handle(a));
  }

  // A refusal after which the connection is not reused (the rest of the
  // body is not read).
  static void Close(httplib::Response& res, ApiResponse refusal) {
    Answer(res, std::move(refusal));
    res.set_header("Connection", "close");
  }

  // Streams an import body of at most `limit` bytes (after decompression)
  // into a file of `spool`, named in a.body_file; the refusal, or nothing.
  static std::optional<ApiResponse> SpoolUpload(const httplib::Request& req,
                                                const httplib::ContentReader& reader, size_t limit,
                                                const Spool& spool, ApiRequest& a) {
    std::string type = req.get_header_value("Content-Type");
    bool jsonl = type.find("ndjson") != std::string::npos ||
                 type.find("jsonl") != std::string::npos ||
                 req.get_param_value("format") == "jsonl";
    a.body_file = spool.dir() + "/" + UploadName(req, jsonl);
    std::ofstream out(a.body_file, std::ios::binary);
    size_t total = 0;
    bool too_big = false;
    bool read = reader([&](const char* data, size_t n) {
      total += n;
      if (total > limit) {
        too_big = true;
        return false;
      }
      out.write(data, static_cast<std::streamsize>(n));
      return static_cast<bool>(out);
    });
    out.close();
    if (too_big)
      return api::Problem(413, "Request body too large",
                          "an import may have at most " + std::to_string(limit) +
                              " bytes after decompression; split the file",
                          req.path);
    if (!read || !out)
      return api::Problem(400, "Bad request", "the request body could not be read whole", req.path);
    return std::nullopt;
  }

  // Reads a JSON body of at most max_json_bytes into a.body; the refusal, or
  // nothing.
  std::optional<ApiResponse> ReadJsonBody(const httplib::Request& req,
                                          const httplib::ContentReader& reader,
                                          ApiRequest& a) const {
    const size_t limit = api_.config().max_json_bytes;
    bool too_big = false;
    bool read = reader([&](const char* data, size_t n) {
      if (a.body.size() + n > limit) {
        too_big = true;
        return false;
      }
      a.body.append(data, n);
      return true;
    });
    if (too_big)
      return api::Problem(413, "Request body too large",
                          "a JSON body may have at most " + std::to_string(limit) + " bytes",
                          req.path);
    if (!read)
      return api::Problem(400, "Bad request", "the request body could not be read whole", req.path);
    return std::nullopt;
  }

  Api& api_;
  WebFiles web_;
  httplib::Server svr_;
};

HttpServer::HttpServer(Api& api) : impl_(std::make_unique<Impl>(api)) {}
HttpServer::~HttpServer() = default;

Result<int> HttpServer::Bind(const std::string& host, int port) {
  if (port == 0) {
    int p = impl_->svr_.bind_to_any_port(host);
    if (p <= 0) return Error::Io("cannot listen on " + host);
    return p;
  }
  if (!impl_->svr_.bind_to_port(host, port))
    return Error::Io("cannot listen on " + host + ":" + std::to_string(port) +
                     " (in use, or not allowed)");
  return port;
}

size_t HttpServer::WebFileCount() const { return impl_->web_.size(); }

void HttpServer::Run() { impl_->svr_.listen_after_bind(); }

void HttpServer::Stop() { impl_->svr_.stop(); }

}  // namespace cl
