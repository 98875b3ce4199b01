// The client's address behind reverse proxies (server/client_address.h):
// X-Forwarded-For believed only from a trusted proxy, walked from the right,
// never crashing on what a client writes there; and the API keying its rate
// limit by that address.
#include "server/client_address.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/api.h"
#include "store_fixture.h"

namespace cl {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

TrustedProxies Trust(const std::vector<std::string>& entries) {
  auto t = TrustedProxies::Parse(entries);
  EXPECT_TRUE(t.ok()) << t.error().ToString();
  return t.ok() ? *t : TrustedProxies{};
}

Headers Xff(const std::string& value) { return {{"X-Forwarded-For", value}}; }

TEST(ClientAddressTest, WithoutTrustedProxiesThePeerIsTheClient) {
  const TrustedProxies none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.ClientAddress("192.0.2.7", Xff("203.0.113.9")), "192.0.2.7");
  EXPECT_EQ(none.ClientAddress("::1", {}), "::1");
}

TEST(ClientAddressTest, AnUntrustedPeerCannotSpoofItsAddress) {
  const TrustedProxies t = Trust({"127.0.0.1", "10.0.0.0/8"});
  // A client on the internet writing X-Forwarded-For itself.
  EXPECT_EQ(t.ClientAddress("198.51.100.23", Xff("127.0.0.1")), "198.51.100.23");
  EXPECT_EQ(t.ClientAddress("198.51.100.23", Xff("10.0.0.5, 203.0.113.9")), "198.51.100.23");
  // One address outside 10.0.0.0/8, however close.
  EXPECT_EQ(t.ClientAddress("11.0.0.1", Xff("203.0.113.9")), "11.0.0.1");
  EXPECT_EQ(t.ClientAddress("127.0.0.2", Xff("203.0.113.9")), "127.0.0.2");
}

TEST(ClientAddressTest, BehindATrustedProxyTheRightMostUntrustedEntryIsTheClient) {
  const TrustedProxies t = Trust({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(t.ClientAddress("127.0.0.1", Xff("203.0.113.9")), "203.0.113.9");
  // The client wrote 1.1.1.1 itself; nginx appended the address it saw.
  EXPECT_EQ(t.ClientAddress("127.0.0.1", Xff("1.1.1.1, 203.0.113.9")), "203.0.113.9");
  // Two proxies: a load balancer (10.0.0.5) in front of nginx.
  EXPECT_EQ(t.ClientAddress("127.0.0.1", Xff("1.1.1.1, 203.0.113.9, 10.0.0.5")), "203.0.113.9");
  // Every hop a proxy: the left-most.
  EXPECT_EQ(t.ClientAddress("127.0.0.1", Xff("10.0.0.7, 127.0.0.1")), "10.0.0.7");
  // No X-Forwarded-For: the proxy itself is the client.
  EXPECT_EQ(t.ClientAddress("127.0.0.1", {}), "127.0.0.1");
  EXPECT_EQ(t.ClientAddress("127.0.0.1", Xff(" , ")), "127.0.0.1");
  // Several headers make one list, in order; names are case-insensitive.
  EXPECT_EQ(t.ClientAddress("127.0.0.1", {{"x-forwarded-for", "1.1.1.1"},
                                          {"Host", "example.org"},
                                          {"X-FORWARDED-FOR", "203.0.113.9,, 10.0.0.5"}}),
            "203.0.113.9");
}

TEST(ClientAddressTest, PortsAndIpv6AreReadAndTheAnswerIsCanonical) {
  const TrustedProxies t = Trust({"::1", "fd00::/8", "192.168.0.0/23"});
  EXPECT_EQ(t.ClientAddress("::1", Xff("198.51.100.4:5133")), "198.51.100.4");
  EXPECT_EQ(t.ClientAddress("::1", Xff("[2001:DB8:0::1]:443")), "2001:db8::1");
  EXPECT_EQ(t.ClientAddress("::1", Xff("[2001:db8::1]")), "2001:db8::1");
  EXPECT_EQ(t.ClientAddress("fd12:3456::9", Xff("2001:0db8:0000::0007")), "2001:db8::7");
  EXPECT_EQ(t.ClientAddress("::ffff:192.168.1.255", Xff("::ffff:203.0.113.9")), "203.0.113.9");
  // A prefix that is not a whole number of bytes.
  EXPECT_TRUE(t.Contains("192.168.1.255"));
  EXPECT_FALSE(t.Contains("192.168.2.0"));
  EXPECT_FALSE(t.Contains("fe80::1"));
  EXPECT_EQ(t.ClientAddress("fe80::1", Xff("203.0.113.9")), "fe80::1");
  // 0.0.0.0/0 is every IPv4 address and no IPv6 one; ::/0 is every address.
  EXPECT_TRUE(Trust({"0.0.0.0/0"}).Contains("203.0.113.9"));
  EXPECT_FALSE(Trust({"0.0.0.0/0"}).Contains("2001:db8::1"));
  EXPECT_TRUE(Trust({"::/0"}).Contains("203.0.113.9"));
}

TEST(ClientAddressTest, AnUnreadableEntryOnTheWayFallsBackToThePeer) {
  const TrustedProxies t = Trust({"127.0.0.1"});
  const std::string long_entry(100000, '9');
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "127.0.0.1,";
  for (const std::string& bad :
       {std::string("unknown"), std::string("203.0.113.9, garbage"), std::string("example.org"),
        std::string("999.1.1.1"), std::string("203.0.113.9 198.51.100.1"),
        std::string("203.0.113.9\r\nX-Admin: yes"), std::string("203.0.113.9\0", 12),
        std::string("1.2.3.4:99999999"), std::string("1.2.3.4:"), std::string("[::1"),
        std::string("[::1]x"), std::string("[1.2.3.4]"), std::string(":80"), std::string("0x7f.1"),
        std::string("fe80::1%eth0"), std::string("1.2.3.4/8"), long_entry, std::string("\xff\xfe"),
        many + "nonsense"})
    EXPECT_EQ(t.ClientAddress("127.0.0.1", Xff(bad)), "127.0.0.1") << bad.substr(0, 40);
  // An unreadable entry further left than the client is never reached.
  EXPECT_EQ(t.ClientAddress("127.0.0.1", Xff("garbage, 203.0.113.9")), "203.0.113.9");
  EXPECT_EQ(t.ClientAddress("127.0.0.1", Xff(many + "203.0.113.9")), "203.0.113.9");
  // A peer that is not an address (a Unix socket, a transport's oddity).
  EXPECT_EQ(t.ClientAddress("", Xff("203.0.113.9")), "");
  EXPECT_EQ(t.ClientAddress("unix:/run/cl.sock", Xff("203.0.113.9")), "unix:/run/cl.sock");
}

TEST(ClientAddressTest, ABadEntryIsRefusedWithItsText) {
  EXPECT_TRUE(TrustedProxies::Parse({}).ok());
  EXPECT_TRUE(
      TrustedProxies::Parse({"127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8", "0.0.0.0/0"}).ok());
  for (const char* bad : {"proxy.example.org", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/8x",
                          "10.0.0.0/-1", "", "10.0.0.1/8", "fd00::1/8", "[::1]", "127.0.0.1:80"}) {
    auto t = TrustedProxies::Parse({"127.0.0.1", bad});
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(t.error().message().find(std::string("'") + bad + "'"), std::string::npos)
        << t.error().message();
  }
  EXPECT_NE(TrustedProxies::Parse({"10.0.0.1/8"}).error().message().find("bits set after"),
            std::string::npos);
}

// The API: the rate limit of callers who are not signed in is per client
// address, the forwarded one when the peer is a trusted proxy.
TEST(ClientAddressTest, TheRateLimitCountsTheForwardedAddress) {
  testing::TestStore store("sqlite");
  bool skip = false;
  ServerConfig c;
  c.store = store.Create(&skip);
  c.data_dir = CL_SOURCE_DATA_DIR;
  c.access_log = false;
  c.rate_per_second = 0.01;
  c.rate_burst = 2;
  c.trusted_proxies = {"127.0.0.1"};
  auto api = Api::Open(c);
  ASSERT_TRUE(api.ok()) << api.error().ToString();
  auto status = [&](const std::string& peer, const std::string& xff) {
    ApiRequest req;
    req.method = "GET";
    req.target = "/healthz";
    req.remote = peer;
    if (!xff.empty()) req.headers = Xff(xff);
    return (*api)->Handle(req).status;
  };
  for (int i = 0; i < 2; ++i) EXPECT_EQ(status("127.0.0.1", "203.0.113.1"), 200);
  EXPECT_EQ(status("127.0.0.1", "203.0.113.1"), 429);
  // Another client behind the same proxy has its own bucket...
  EXPECT_EQ(status("127.0.0.1", "203.0.113.2"), 200);
  // ...and a client claiming to be 203.0.113.1 is counted as itself.
  EXPECT_EQ(status("198.51.100.7", "203.0.113.1"), 200);
  EXPECT_EQ(status("198.51.100.7", "203.0.113.1"), 200);
  EXPECT_EQ(status("198.51.100.7", "203.0.113.1"), 429);
  // A bad setting stops the API from opening, naming it.
  c.trusted_proxies = {"10.0.0.1/8"};
  auto bad = Api::Open(c);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("trusted_proxies: '10.0.0.1/8'"), std::string::npos)
      << bad.error().message();
}

}  // namespace
}  // namespace cl
