// The API on a socket (cpp-httplib, docs/decisions/0005-http-server.md): a
// pool of worker threads, keep-alive, read and write timeouts, body limits;
// import bodies are streamed to a temporary file (gunzipped on the way, with
// the size limit applied after decompression) and never held in memory.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "server/api.h"

namespace cl {

class HttpServer {
 public:
  explicit HttpServer(Api& api);
  ~HttpServer();
  // Binds the listening socket; port 0 picks a free port. Returns the port.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); returns once the requests being answered are done.
  void Run();
  // Stops accepting; safe from any thread.
  void Stop();
  // Files of the web app served at / (0 when it is not built).
  size_t WebFileCount() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cl
