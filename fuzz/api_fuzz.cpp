// Input bytes -> one HTTP request through Api::Handle (everything the
// transport does not do: target parsing, routing, authentication, CSRF,
// authorization, body checks and parsing, every handler), against a SQLite
// store with a unit, a meter and a signed-in manager.
//
// Input: byte 0 picks the method (GET POST PUT DELETE HEAD) and bit 7 of
// byte 1 whether the manager's session cookie and CSRF token come with it;
// then the target up to the first newline; then headers "Name: value" one per
// line up to an empty line; the rest is the body.
//
// Beyond not crashing, every answer must be a status 200..599, and every
// error an RFC 9457 problem whose status matches.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "identity/identity.h"
#include "server/api.h"
#include "store/store.h"

namespace {

struct World {
  std::unique_ptr<cl::Api> api;
  std::string cookie;
  std::string csrf;
  std::string dir;
};

World& Setup() {
  static World w = [] {
    World x;
    x.dir = std::filesystem::temp_directory_path() / ("cl_api_fuzz_" + std::to_string(getpid()));
    std::filesystem::create_directories(x.dir);
    cl::ServerConfig c;
    c.store = x.dir + "/carbonledger.db";
    c.data_dir = CL_SOURCE_DATA_DIR;
    c.access_log = false;
    c.rate_per_second = 1e9;
    c.rate_burst = 1e9;
    {
      auto store = cl::OpenStore(c.store);
      if (!store.ok()) std::abort();
      cl::Actor a{"fuzz", "fuzz"};
      (void)(*store)->Registry().PutUnit(
          {"SH-A", "91310107MA18FPQ95F", "甲", "A", "310000", "上海市", "普陀区", "F5211", {}}, a);
      (void)(*store)->Registry().PutSite({"S1", "SH-A", "厂", "", "Asia/Shanghai"}, a);
      cl::MeterRecord m;
      m.id = "SH-A/E1";
      m.unit_id = "SH-A";
      m.site_id = "S1";
      m.carrier = "electricity";
      m.unit_of_measure = "kWh";
      (void)(*store)->Registry().PutMeter(m, a);
      cl::UserRecord u;
      u.login = "manager";
      u.role = "unit_manager";
      u.units = {"SH-A"};
      u.password_hash = *cl::HashPassword("correct horse battery");
      (void)(*store)->Identity().CreateUser(u, a);
    }
    auto api = cl::Api::Open(c);
    if (!api.ok()) std::abort();
    x.api = std::move(*api);
    cl::ApiRequest in;
    in.method = "POST";
    in.target = "/api/v1/session";
    in.headers = {{"Content-Type", "application/json"}};
    in.body = R"({"login":"manager","password":"correct horse battery"})";
    cl::ApiResponse r = x.api->Handle(in);
    if (r.status != 200) std::abort();
    x.csrf = nlohmann::json::parse(r.body)["csrf_token"];
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie" && v.rfind("cl_session=", 0) == 0) x.cookie = v.substr(0, v.find(';'));
    return x;
  }();
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = Setup();
  if (size < 2) return 0;
  static const char* kMethods[] = {"GET", "POST", "PUT", "DELETE", "HEAD"};
  cl::ApiRequest req;
  req.method = kMethods[data[0] % 5];
  const bool signed_in = data[1] & 0x80;
  std::string rest(reinterpret_cast<const char*>(data + 2), size - 2);
  size_t nl = rest.find('\n');
  req.target = rest.substr(0, nl);
  rest = nl == std::string::npos ? "" : rest.substr(nl + 1);
  while (!rest.empty()) {
    nl = rest.find('\n');
    std::string line = rest.substr(0, nl);
    rest = nl == std::string::npos ? "" : rest.substr(nl + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    req.headers.emplace_back(line.substr(0, colon), value);
  }
  if (signed_in) {
    req.headers.emplace_back("Cookie", w.cookie);
    req.headers.emplace_back("X-CSRF-Token", w.csrf);
  }
  req.remote = "127.0.0.1";
  std::string file;
  if (w.api->UploadLimit(req.method, req.target) > 0) {
    file = w.dir + "/upload.csv";
    std::ofstream(file, std::ios::binary) << rest;
    req.body_file = file;
    if (auto refused = w.api->Check(req)) {
      if (refused->content_type != "application/problem+json") std::abort();
      return 0;
    }
    req.checked = true;
  } else {
    req.body = rest;
  }
  cl::ApiResponse r = w.api->Handle(req);
  if (r.status < 200 || r.status > 599) std::abort();
  if (r.status >= 400) {
    if (r.content_type != "application/problem+json") std::abort();
    auto p = nlohmann::json::parse(r.body, nullptr, false);
    if (!p.is_object() || p.value("status", 0) != r.status) std::abort();
  }
  return 0;
}
