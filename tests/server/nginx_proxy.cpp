#include "nginx_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace cl::testing {
namespace fs = std::filesystem;

namespace {

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A loopback socket bound to `source` and connected to 127.0.0.1:port, or -1.
int ConnectFrom(const std::string& source, int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
      bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

// A port no one listens on now (the kernel's choice); nginx binds it next.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

std::string NginxBinary() {
  for (const char* p : {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"})
    if (access(p, X_OK) == 0) return p;
  return "";
}

// As root, nginx's workers would become `nobody`; they stay the current user.
std::string UserLine() {
  if (geteuid() != 0) return "";
  const passwd* pw = getpwuid(geteuid());
  const group* gr = getgrgid(getegid());
  if (pw == nullptr || gr == nullptr) return "";
  return std::string("user ") + pw->pw_name + " " + gr->gr_name + ";\n";
}

}  // namespace

bool NginxProxy::Wanted() {
  const char* v = std::getenv("CL_TEST_THROUGH_NGINX");
  return v != nullptr && std::string(v) == "1";
}

NginxProxy::NginxProxy(int upstream_port) {
  static std::atomic<int> counter{0};
  dir_ = fs::temp_directory_path() /
         ("cl-nginx-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  if (WriteConfiguration(upstream_port) && Start()) WaitUntilListening();
}

NginxProxy::~NginxProxy() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);  // fast shutdown: the test's requests are answered
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string NginxProxy::ErrorLog() const {
  return ReadText(dir_ / "stderr.log") + ReadText(dir_ / "error.log");
}

bool NginxProxy::WriteConfiguration(int upstream_port) {
  const fs::path shipped = fs::path(CL_SOURCE_DEPLOY_DIR) / "nginx";
  // The shipped upstream is the server's default address; this one's port is
  // the test server's.
  std::string http = ReadText(shipped / "carbonledger-http.conf");
  const std::string upstream = "server 127.0.0.1:8080;";
  const size_t at = http.find(upstream);
  if (at == std::string::npos) {
    error_ = "no '" + upstream + "' in " + (shipped / "carbonledger-http.conf").string();
    return false;
  }
  http.replace(at, upstream.size(), "server 127.0.0.1:" + std::to_string(upstream_port) + ";");
  std::ofstream(dir_ / "carbonledger-http.conf") << http;
  port_ = FreePort();
  const std::string d = dir_.string();
  std::ofstream(dir_ / "nginx.conf")
      << "daemon off;\nworker_processes 1;\npid " << d << "/nginx.pid;\n"
      << "error_log " << d << "/error.log warn;\n"
      << UserLine() << "events { worker_connections 512; }\n"
      << "http {\n  access_log " << d << "/access.log;\n"
      << "  client_body_temp_path " << d << "/client_body;\n  proxy_temp_path " << d
      << "/proxy;\n  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d
      << "/uwsgi;\n  scgi_temp_path " << d << "/scgi;\n"
      << "  include " << d << "/carbonledger-http.conf;\n"
      << "  server {\n    listen 127.0.0.1:" << port_ << ";\n    server_name localhost;\n"
      << "    include " << (shipped / "carbonledger-proxy.conf").string() << ";\n  }\n}\n";
  return true;
}

bool NginxProxy::Start() {
  const std::string binary = NginxBinary();
  if (binary.empty()) {
    error_ = "nginx is not installed (scripts/install-deps.sh installs it)";
    return false;
  }
  const std::string d = dir_.string();
  std::vector<std::string> args = {binary,          "-p", d + "/", "-c", d + "/nginx.conf", "-e",
                                   d + "/error.log"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // nginx's own output (before its error log is open) goes to a file, not to
  // the test's: a pipe reading the test's output must not wait for nginx.
  const int out = open((d + "/stderr.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    error_ = "cannot write " + d + "/stderr.log";
    return false;
  }
  pid_ = fork();
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec: nginx keeps none
    // of the test's descriptors (the server's listening socket among them).
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives a test killed by a timeout
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    close_range(3, ~0U, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out);
  if (pid_ < 0) error_ = "fork failed";
  return pid_ > 0;
}

bool NginxProxy::WaitUntilListening() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "nginx exited (status " + std::to_string(status) + "): " + ErrorLog();
      return false;
    }
    int fd = ConnectFrom("127.0.0.1", port_);
    if (fd >= 0) {
      close(fd);
      return true;
    }
    // Polling a child's socket: there is no event to wait for.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  error_ = "nginx did not listen on port " + std::to_string(port_) + ": " + ErrorLog();
  return false;
}

std::string RawReply::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

RawReply RawHttp(const std::string& source, int port, const std::string& request) {
  RawReply reply;
  int fd = ConnectFrom(source, port);
  if (fd < 0) return reply;
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[8192];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fd);
  const size_t head_end = out.find("\r\n\r\n");
  if (out.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos) return reply;
  reply.status = std::atoi(out.c_str() + 9);
  std::istringstream head(out.substr(0, head_end));
  std::string line;
  std::getline(head, line);  // the status line
  while (std::getline(head, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (!value.empty() && value.back() == '\r') value.pop_back();
    reply.headers.emplace(name, value);
  }
  reply.body = out.substr(head_end + 4);
  return reply;
}

std::string CheckSiteConfiguration() {
  const fs::path shipped = fs::path(CL_SOURCE_DEPLOY_DIR) / "nginx";
  const fs::path dir = fs::temp_directory_path() / ("cl-nginx-site-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "snippets");
  fs::create_directories(dir / "conf.d");
  const std::string d = dir.string();
  const std::string made_cert =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=carbon.example.org -keyout " +
      d + "/privkey.pem -out " + d + "/fullchain.pem >" + d + "/openssl.log 2>&1";
  if (std::system(made_cert.c_str()) != 0)
    return "openssl failed: " + ReadText(dir / "openssl.log");
  for (const char* f : {"carbonledger-http.conf", "carbonledger-proxy.conf"})
    fs::copy_file(shipped / f, dir / "snippets" / f);
  std::string site = ReadText(shipped / "carbonledger.conf");
  const std::string certs = "/etc/letsencrypt/live/carbon.example.org";
  for (size_t at; (at = site.find(certs)) != std::string::npos;) site.replace(at, certs.size(), d);
  std::ofstream(dir / "conf.d" / "carbonledger.conf") << site;
  std::ofstream(dir / "nginx.conf")
      << "pid " << d << "/nginx.pid;\nerror_log " << d
      << "/error.log;\nevents {}\nhttp {\n  include conf.d/*.conf;\n}\n";
  const std::string test = NginxBinary() + " -t -q -p " + d + "/ -c " + d + "/nginx.conf -e " + d +
                           "/error.log >" + d + "/test.log 2>&1";
  std::string out;
  if (NginxBinary().empty())
    out = "nginx is not installed";
  else if (std::system(test.c_str()) != 0)
    out = "nginx -t: " + ReadText(dir / "test.log");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return out;
}

}  // namespace cl::testing
