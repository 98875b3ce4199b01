// serve: the platform's HTTP/JSON API; demo: the demo city served.
#include <fmt/format.h>
#include <malloc.h>
#include <pthread.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include "access/audit_anchor.h"
#include "commands.h"
#include "demo/demo_setup.h"
#include "server/api.h"
#include "server/http_server.h"
#include "store/store.h"

namespace cl::cli {
namespace {

// Serves until SIGINT or SIGTERM; requests being answered are finished
// first, so no acknowledged batch is lost.
int Serve(const ServerConfig& config, const std::function<void(int port)>& ready) {
  // Responses of tens of kilobytes on many threads: keep freed memory in the
  // heap instead of mapping and unmapping it per request (measured: page
  // faults and madvise were half the server's time in bench/api_load.sh).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts
  auto api = Api::Open(config);
  if (!api.ok()) {
    std::cerr << "error: " << api.error().ToString() << "\n";
    return kExitInputError;
  }
  HttpServer server(**api);
  auto port = server.Bind(config.host, config.port);
  if (!port.ok()) {
    std::cerr << "error: " << port.error().ToString() << "\n";
    return kExitInputError;
  }
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::cerr << R"({"level":"info","msg":"stopping: finishing the requests being answered"})"
              << "\n";
    server.Stop();
  });
  if (server.WebFileCount() == 0)
    std::cerr
        << R"({"level":"info","msg":"the web app is not built (bash scripts/build-web.sh); serving the API only"})"
        << "\n";
  ready(*port);
  server.Run();
  // Run also returns when listening fails; wake the waiter then.
  // The waiter sits in sigwait for SIGTERM/SIGINT: this wakes it, it does not
  // end it (bugprone-bad-signal-to-kill-thread assumes the latter).
  // NOLINTNEXTLINE(bugprone-bad-signal-to-kill-thread,cert-pos44-c)
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cerr << R"({"level":"info","msg":"stopped"})"
            << "\n";
  return 0;
}

struct ServeOptions {
  std::string config;
  std::string store;
  std::string host;
  int port = -1;
};

ServerConfig Configure(const GlobalOptions& g, const ServeOptions& o, bool& ok) {
  ok = true;
  ServerConfig c;
  if (!o.config.empty()) {
    auto loaded = LoadServerConfig(o.config);
    if (!loaded.ok()) {
      std::cerr << "error: " << loaded.error().ToString() << "\n";
      ok = false;
      return c;
    }
    c = *loaded;
  }
  if (!o.store.empty()) c.store = o.store;
  if (c.store.empty()) c.store = DefaultStoreTarget();
  if (!o.host.empty()) c.host = o.host;
  if (o.port >= 0) c.port = o.port;
  if (!g.data_dir.empty()) c.data_dir = g.data_dir;
  if (!g.audit_dir.empty()) c.audit_dir = g.audit_dir;
  if (c.audit_dir.empty()) c.audit_dir = DefaultAuditDir().string();
  return c;
}

}  // namespace

void AddServeCommands(CLI::App& app, GlobalOptions& g) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand("serve", "serve the HTTP/JSON API (docs/api.md)");
  serve->add_option("--config", o->config, "settings file (TOML, docs/api.md)")
      ->check(CLI::ExistingFile);
  serve->add_option("--store", o->store, "SQLite file or PostgreSQL connection string");
  serve->add_option("--host", o->host, "address to listen on (default 127.0.0.1)");
  serve->add_option("--port", o->port, "port (default 8080; 0 picks a free one)");
  serve->callback([&g, o] {
    bool ok = false;
    ServerConfig c = Configure(g, *o, ok);
    if (!ok) {
      g.exit_code = kExitInputError;
      return;
    }
    g.exit_code = Serve(c, [&](int port) {
      std::cout << fmt::format(
                       "carbonledger serving http://{}:{}/ (store: {})\n", c.host, port,
                       c.store.find("password") != std::string::npos ? "postgresql" : c.store)
                << std::flush;
    });
  });
}

void DemoMain(GlobalOptions& g, int port, const std::string& host) {
  const char* env = std::getenv("CARBONLEDGER_HOME");
  std::string home =
      env && *env ? env : (std::filesystem::current_path() / "carbonledger-demo").string();
  auto setup = PrepareDemo(home, g.data_dir, [](const std::string& line) {
    std::cout << "demo: " << line << "\n" << std::flush;
  });
  if (!setup.ok()) {
    std::cerr << "error: " << setup.error().ToString() << "\n";
    g.exit_code = kExitInputError;
    return;
  }
  for (const auto& line : setup->log) std::cout << "demo: " << line << "\n";
  ServerConfig c;
  c.store = setup->store;
  c.data_dir = g.data_dir;
  c.host = host;
  c.port = port;
  c.access_log = false;
  c.audit_dir = g.audit_dir.empty() ? home : g.audit_dir;
  // Another checkout's built web app (the e2e tests of a work tree).
  if (const char* web = std::getenv("CARBONLEDGER_WEB_DIR"); web && *web) c.web_dir = web;
  g.exit_code = Serve(c, [&](int bound) {
    std::cout << fmt::format("\nCarbonLedger demo: http://{}:{}/  (API: /api/v1/openapi.json)\n",
                             host, bound);
    std::cout << fmt::format("data folder: {}  (store {})\n\n", home, setup->store);
    std::cout << fmt::format("{:<10} {:<17} {:<18} {}\n", "login", "role", "password", "sees");
    for (const auto& a : setup->accounts)
      std::cout << fmt::format("{:<10} {:<17} {:<18} {}\n", a.login, a.role, a.password, a.sees);
    std::cout << fmt::format(
                     "\nSign in: curl -c jar -H 'Content-Type: application/json' -d "
                     "'{{\"login\":\"admin\",\"password\":\"...\"}}' "
                     "http://{}:{}/api/v1/session\nStop with Ctrl-C.\n",
                     host, bound)
              << std::flush;
  });
}

}  // namespace cl::cli
