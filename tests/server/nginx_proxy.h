// A private nginx in front of a test's server on loopback, configured with
// the shipped files (deploy/nginx/carbonledger-http.conf and
// carbonledger-proxy.conf, docs/deploy.md), so that the API tests can run
// through the reverse proxy as users deploy it (ctest api_through_nginx).
//
// nginx runs as a child of the test process (daemon off) with its own prefix
// folder under the temp dir (configuration, pid file, logs, temp files), as
// the current user, on a free loopback port; the destructor stops it and
// removes the folder.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>

namespace cl::testing {

class NginxProxy {
 public:
  // Whether the API tests should go through nginx: CL_TEST_THROUGH_NGINX=1.
  static bool Wanted();

  // Starts nginx proxying to 127.0.0.1:upstream_port and waits until it
  // accepts connections. On failure ok() is false and error() says why
  // (nginx not installed, the configuration refused: nginx's error log).
  explicit NginxProxy(int upstream_port);
  ~NginxProxy();
  NginxProxy(const NginxProxy&) = delete;
  NginxProxy& operator=(const NginxProxy&) = delete;

  bool ok() const { return pid_ > 0 && error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  // nginx's error log so far.
  std::string ErrorLog() const;

 private:
  bool WriteConfiguration(int upstream_port);
  bool Start();
  bool WaitUntilListening();

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::string error_;
};

// An answer read by RawHttp.
struct RawReply {
  int status = 0;                                   // 0: no answer
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string Header(const std::string& lower_name) const;
};

// Sends `request` (a whole HTTP/1.1 request; it should say Connection:
// close) from the loopback address `source` (127.0.0.2, ...: Linux routes
// all of 127.0.0.0/8 to lo) to 127.0.0.1:port and reads the answer to the
// end. For requests whose client address matters.
RawReply RawHttp(const std::string& source, int port, const std::string& request);

// Runs `nginx -t` on the whole shipped site (deploy/nginx/carbonledger.conf
// and the two files it includes, laid out as docs/deploy.md installs them,
// with a throwaway self-signed certificate): "" when nginx accepts it, else
// what nginx said.
std::string CheckSiteConfiguration();

}  // namespace cl::testing
