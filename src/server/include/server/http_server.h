// The API on a socket (Boost.Beast over Asio, docs/decisions/0010-event-driven-server.md):
// connections are read and written by a few socket threads, so an idle or
// slow client holds no thread; each request head must arrive within a
// deadline; connections are capped in all and per address; handlers run on
// bounded lanes (sign-ins, /healthz and the rest apart). Import bodies are
// streamed to a temporary file (gunzipped on the way, with the size limit
// applied after decompression, a truncated stream refused) and never held in
// memory.
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

  class Impl;  // the transport's state, in http_server.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace cl
