// carbonledger serve --config FILE.toml: every setting read, every mistake
// named with its file, line, column and setting (docs/api.md §Configuration).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/api.h"

namespace cl {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    path_ = (std::filesystem::temp_directory_path() /
             ("cl-config-" + std::to_string(::getpid()) + ".toml"))
                .string();
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(ConfigTest, ReadsEverySection) {
  auto c = LoadServerConfig(Write(R"(
[server]
store = "city.db"
port = 9090
threads = 48
document_cache_mib = 0
access_log = false
[limits]
rate_per_second = 2.5
keep_alive_s = 30
[identity]
session_s = 3600
session_cache_s = 0.25
)"));
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->store, "city.db");
  EXPECT_EQ(c->port, 9090);
  EXPECT_EQ(c->threads, 48);
  EXPECT_EQ(c->document_cache_mib, 0u);
  EXPECT_FALSE(c->access_log);
  EXPECT_EQ(c->rate_per_second, 2.5);
  EXPECT_EQ(c->keep_alive_s, 30);
  EXPECT_EQ(c->identity.session_s, 3600);
  EXPECT_EQ(c->identity.session_cache_s, 0.25);
  // Unset settings keep their defaults.
  EXPECT_EQ(c->sqlite_cache_mib, ServerConfig{}.sqlite_cache_mib);
  EXPECT_EQ(c->host, "127.0.0.1");
}

TEST_F(ConfigTest, NamesEveryMistakeWithItsPlace) {
  const std::string file = Write(R"([server]
threads = 2.5
document_cache_mib = -3
access_log = 0
colour = "green"
[identity]
session_cache_s = "soon"
[limits]
rate_per_second = nan
keep_alive_s = 0
)");
  auto c = LoadServerConfig(file);
  ASSERT_FALSE(c.ok());
  const std::string text = c.error().message();
  // All of them at once, each with file:line:column and the setting.
  EXPECT_NE(text.find(file + ":2:11: server.threads: must be a whole number from 2 to 1024"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(file + ":3:22: server.document_cache_mib: must be a whole number from 0 to 65536"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(file + ":4:14: server.access_log: must be true or false"), std::string::npos)
      << text;
  EXPECT_NE(text.find(file + ":5:1: server.colour: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find(file + ":7:19: identity.session_cache_s: must be a number from 0 to 60"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find(file + ":9:19: limits.rate_per_second: must be a number from 0.01 to 1000000000"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(file + ":10:16: limits.keep_alive_s: must be a whole number from 1 to 3600"),
            std::string::npos)
      << text;
}

TEST_F(ConfigTest, TrustedProxiesAreAddressesOrNetworks) {
  auto c = LoadServerConfig(Write("[server]\ntrusted_proxies = [\"127.0.0.1\", \"fd00::/8\"]\n"));
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->trusted_proxies, (std::vector<std::string>{"127.0.0.1", "fd00::/8"}));
  EXPECT_TRUE(ServerConfig{}.trusted_proxies.empty());
  const std::string file =
      Write("[server]\ntrusted_proxies = [\"127.0.0.1\", \"proxy.example.org\"]\n");
  auto bad = LoadServerConfig(file);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().ToString().find("server.trusted_proxies: 'proxy.example.org' is not an IP"),
            std::string::npos)
      << bad.error().ToString();
  EXPECT_EQ(bad.error().where().line, 2);
  auto not_a_list = LoadServerConfig(Write("[server]\ntrusted_proxies = \"127.0.0.1\"\n"));
  ASSERT_FALSE(not_a_list.ok());
  EXPECT_NE(not_a_list.error().message().find("must be a list of strings"), std::string::npos);
}

// The settings docs/deploy.md installs behind nginx.
TEST_F(ConfigTest, TheDeploymentSettingsAreValid) {
  auto c = LoadServerConfig(std::string(CL_SOURCE_DEPLOY_DIR) + "/server.toml");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->host, "127.0.0.1");
  EXPECT_EQ(c->port, 8080);
  EXPECT_TRUE(c->secure_cookies);
  EXPECT_EQ(c->trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"}));
  // The proxy is exempt from the cap per address (http_server.cpp), so the
  // default stays for anyone else who reaches the port.
  EXPECT_EQ(c->max_connections_per_address, ServerConfig{}.max_connections_per_address);
}

TEST_F(ConfigTest, ASyntaxErrorNamesItsPlace) {
  const std::string file = Write("[server]\nport = = 1\n");
  auto c = LoadServerConfig(file);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().where().file, file);
  EXPECT_EQ(c.error().where().line, 2);
}

}  // namespace
}  // namespace cl
