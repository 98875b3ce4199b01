// What the transport (http_server.cpp) does with bytes, apart from sockets:
// compressed request bodies inflated and checked as they stream, answers
// gzipped, import bodies spooled to a temporary directory, and the built web
// app held in memory. Internal to src/server.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cl::transport {

// A request body as it arrives, decoded by its Content-Encoding (identity,
// gzip or deflate) with the size limit applied after decoding, so that a
// small bomb is refused while it streams and never reaches the disk. A
// compressed body that ends before its compressed stream does (truncated), or
// that does not decode, is corrupt: the caller refuses the whole request.
class BodyDecoder {
 public:
  enum class Step { kOk, kCorrupt, kTooLarge, kBomb, kSinkFailed };
  using Sink = std::function<bool(const char* data, size_t n)>;

  // nullopt when the encoding is not one we read (415). Past the first MiB,
  // a compressed body may expand at most `max_ratio` times what arrived
  // (kBomb), so that a bomb is refused before much of it reaches the disk.
  static std::optional<BodyDecoder> For(std::string_view content_encoding, size_t limit,
                                        size_t max_ratio);

  // Decodes `n` bytes off the wire into `sink`.
  Step Feed(const char* data, size_t n, const Sink& sink);
  // Whether the body may end here (a compressed stream is complete).
  bool Complete() const { return !stream_ || ended_; }
  size_t decoded() const { return decoded_; }

 private:
  struct End {
    void operator()(z_stream* z) const;
  };
  Step Emit(const char* data, size_t n, const Sink& sink);

  std::unique_ptr<z_stream, End> stream_;  // null: identity
  size_t limit_ = 0;
  size_t max_ratio_ = 0;
  size_t decoded_ = 0;
  size_t received_ = 0;
  bool ended_ = false;  // the compressed stream reached its end
};

// `text` gzipped at `level` (zlib's 1–9).
std::string Gzip(std::string_view text, int level);

// Whether a client's Accept-Encoding takes gzip.
bool AcceptsGzip(std::string_view accept_encoding);

// A temporary directory holding one upload; removed with its files when the
// Spool is destroyed.
class Spool {
 public:
  explicit Spool(const std::string& parent);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  bool ok() const { return !dir_.empty(); }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// The caller's name for an upload (the `name` query parameter, shown in
// rejects), without any path; a default when it is absent or odd.
std::string UploadName(std::string_view target, bool jsonl);

// The built web app, read into memory once: a request can only ever get one
// of these files (no path reaches the file system), and a path that is not a
// file is the app's own route, answered with index.html.
class WebFiles {
 public:
  struct File {
    std::string body;
    std::string gzipped;  // empty when not worth it (images, small files)
    std::string type;
    bool immutable = false;  // content-hashed names under assets/
    int status = 200;
  };

  void Load(const std::string& dir);
  bool empty() const { return files_.empty(); }
  size_t size() const { return files_.size(); }
  // The file for a GET of `raw_path` (as sent, percent-encoded), or nullptr
  // when the path is the API's.
  const File* Find(std::string_view raw_path) const;
  // The headers every file is answered with.
  static std::map<std::string, std::string> Headers(const File& f);

 private:
  std::map<std::string, File, std::less<>> files_;
  File missing_{"not found\n", "", "text/plain; charset=utf-8", false, 404};
};

}  // namespace cl::transport
