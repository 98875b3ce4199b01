#include "http_body.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <vector>

namespace cl::transport {

void BodyDecoder::End::operator()(z_stream* z) const {
  inflateEnd(z);
  delete z;  // NOLINT(cppcoreguidelines-owning-memory): zlib's C struct, owned here
}

std::optional<BodyDecoder> BodyDecoder::For(std::string_view content_encoding, size_t limit,
                                            size_t max_ratio) {
  BodyDecoder d;
  d.limit_ = limit;
  d.max_ratio_ = max_ratio;
  if (content_encoding.empty() || content_encoding == "identity") return d;
  if (content_encoding != "gzip" && content_encoding != "x-gzip" && content_encoding != "deflate")
    return std::nullopt;
  d.stream_.reset(new z_stream{});  // NOLINT(cppcoreguidelines-owning-memory)
  // 15 + 32: a zlib or gzip header, whichever the body has ("deflate" is
  // zlib-wrapped per RFC 9110 §8.4.1.2).
  if (inflateInit2(d.stream_.get(), 15 + 32) != Z_OK) {
    // NOLINTNEXTLINE(cppcoreguidelines-owning-memory): never initialised, so not inflateEnd
    delete d.stream_.release();
    return std::nullopt;
  }
  return d;
}

BodyDecoder::Step BodyDecoder::Emit(const char* data, size_t n, const Sink& sink) {
  decoded_ += n;
  if (decoded_ > limit_) return Step::kTooLarge;
  if (stream_ && decoded_ > (size_t{1} << 20) &&
      decoded_ / std::max<size_t>(received_, 1) > max_ratio_)
    return Step::kBomb;
  return n == 0 || sink(data, n) ? Step::kOk : Step::kSinkFailed;
}

BodyDecoder::Step BodyDecoder::Feed(const char* data, size_t n, const Sink& sink) {
  if (!stream_) return Emit(data, n, sink);
  received_ += n;
  z_stream& z = *stream_;
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): zlib's API is not const-correct
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  z.avail_in = static_cast<uInt>(n);
  std::array<char, size_t{64} * 1024> out{};
  while (z.avail_in > 0) {
    if (ended_) {
      // Another gzip member follows (concatenated files are one body).
      if (inflateReset(&z) != Z_OK) return Step::kCorrupt;
      ended_ = false;
    }
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return Step::kCorrupt;
    const size_t produced = out.size() - z.avail_out;
    if (Step s = Emit(out.data(), produced, sink); s != Step::kOk) return s;
    if (rc == Z_STREAM_END) ended_ = true;
    if (rc == Z_BUF_ERROR && produced == 0) return Step::kCorrupt;  // no progress
  }
  // Output may still be pending with no input left: drain it.
  for (;;) {
    if (ended_) return Step::kOk;
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    const size_t produced = out.size() - z.avail_out;
    if (rc == Z_STREAM_END) ended_ = true;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) return Step::kCorrupt;
    if (Step s = Emit(out.data(), produced, sink); s != Step::kOk) return s;
    if (produced == 0 || z.avail_out != 0) return Step::kOk;
  }
}

std::string Gzip(std::string_view text, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): zlib's API is not const-correct
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(rc == Z_STREAM_END ? z.total_out : 0);
  deflateEnd(&z);
  return out;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  size_t at = accept_encoding.find("gzip");
  if (at == std::string_view::npos) return false;
  // "gzip;q=0" refuses it.
  std::string_view rest = accept_encoding.substr(at + 4);
  rest = rest.substr(0, rest.find(','));
  return rest.find("q=0") == std::string_view::npos || rest.find("q=0.") != std::string_view::npos;
}

Spool::Spool(const std::string& parent) {
  std::string base = parent.empty() ? std::filesystem::temp_directory_path().string() : parent;
  std::string pattern = base + "/carbonledger-upload-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data())) dir_ = buf.data();
}

Spool::~Spool() {
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

namespace {

// `raw` with its percent escapes decoded ('+' as a space when asked); a
// malformed escape stays as it is.
std::string PercentDecode(std::string_view raw, bool plus_is_space) {
  std::string value;
  value.reserve(raw.size());
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size() && hex(raw[i + 1]) && hex(raw[i + 2])) {
      value += static_cast<char>(std::stoi(std::string(raw.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      value += plus_is_space && raw[i] == '+' ? ' ' : raw[i];
    }
  }
  return value;
}

// A query parameter's value, percent-decoded ("" when absent).
std::string QueryValue(std::string_view target, std::string_view name) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name)
      return PercentDecode(pair.substr(eq + 1), true);
  }
  return "";
}

std::string TypeOf(const std::string& ext) {
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

bool WorthGzip(const std::string& type, size_t size) {
  return size > 1024 &&
         (type.rfind("text/", 0) == 0 || type == "application/json" || type == "image/svg+xml");
}

}  // namespace

std::string UploadName(std::string_view target, bool jsonl) {
  std::string name = QueryValue(target, "name");
  bool clean = !name.empty() && name.size() <= 120 && name != "." && name != "..";
  for (char c : name)
    clean = clean && c != '/' && c != '\\' && c != '\0' && static_cast<unsigned char>(c) >= 0x20;
  return clean ? name : (jsonl ? "upload.jsonl" : "upload.csv");
}

void WebFiles::Load(const std::string& dir) {
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
    // Compressed once here, at zlib's best: every client gets these bytes.
    if (WorthGzip(f.type, f.body.size())) f.gzipped = Gzip(f.body, Z_BEST_COMPRESSION);
    files_.emplace(std::move(rel), std::move(f));
  }
}

const WebFiles::File* WebFiles::Find(std::string_view raw_path) const {
  // Judged as the file system would read it: "%2e%2e" is "..".
  const std::string path = PercentDecode(raw_path, false);
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
  // A missing asset is a 404; any other path is a page of the app (ids may
  // hold dots: /units/SH-A/meters/SH-A%2FE1.2).
  if (path.rfind("/assets/", 0) == 0) return &missing_;
  return &files_.find("/index.html")->second;
}

std::map<std::string, std::string> WebFiles::Headers(const File& f) {
  return {{"Content-Type", f.type},
          {"X-Content-Type-Options", "nosniff"},
          {"Vary", "Accept-Encoding"},
          {"Referrer-Policy", "same-origin"},
          {"X-Frame-Options", "DENY"},
          {"Content-Security-Policy",
           "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
           "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"},
          {"Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache"}};
}

}  // namespace cl::transport
