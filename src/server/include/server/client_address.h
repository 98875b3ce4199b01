// Who the client is behind reverse proxies (docs/deploy.md): the peer's
// address, or, when the peer is a proxy the operator trusts, the address that
// proxy says it forwards for in X-Forwarded-For.
//
// Every proxy on the way appends the address it received the request from to
// X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), so the entries on the
// right were written by trusted proxies and anything on the left may have
// been written by the client. The client is therefore the right-most entry
// that is not a trusted proxy, found by walking from the right; what a client
// writes there itself is never believed unless every proxy after it is
// trusted.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace cl {

// A set of networks (single addresses and CIDR blocks, IPv4 and IPv6) whose
// peers are believed about whom they forward for. Immutable after Parse;
// safe to share between threads.
class TrustedProxies {
 public:
  // An empty set: no peer is a proxy, X-Forwarded-For is never read.
  TrustedProxies() = default;
  // Each entry is an address ("10.0.0.7", "::1") or a network in CIDR form
  // ("10.0.0.0/8", "fd00::/8"). An IPv4 entry also matches the same address
  // written as an IPv4-mapped IPv6 peer ("::ffff:10.0.0.7"). Fails with
  // InvalidInput naming the entry on anything else: a host name, a prefix
  // longer than the address, bits set after the prefix ("10.0.0.1/8").
  static Result<TrustedProxies> Parse(const std::vector<std::string>& entries);

  bool empty() const { return networks_.empty(); }
  // Whether `address` (as a transport writes a peer: "203.0.113.7", "::1",
  // "::ffff:127.0.0.1") lies in one of the networks; false for anything that
  // is not an IP address.
  bool Contains(std::string_view address) const;

  // The client's address for a request from `peer` with these headers:
  // - `peer`, as given, unless it is a trusted proxy;
  // - else the X-Forwarded-For entries (every such header, in order, split at
  //   commas, empty entries skipped) walked from the right: the first that is
  //   not a trusted proxy, or the left-most when all are, in canonical form
  //   ("2001:db8::1"; an IPv4-mapped address as IPv4). An entry may carry a
  //   port ("198.51.100.4:5133", "[2001:db8::1]:443");
  // - `peer` when there is no X-Forwarded-For, or when the walk meets an
  //   entry that is not an IP address ("unknown", a host name, garbage).
  // Never fails; the result is always `peer` or a canonical IP address, so it
  // is safe to log and to key rate limits by.
  std::string ClientAddress(std::string_view peer,
                            const std::vector<std::pair<std::string, std::string>>& headers) const;

 private:
  // An IPv4 address is held as IPv4-mapped IPv6 (::ffff:a.b.c.d, prefix + 96).
  struct Network {
    std::array<uint8_t, 16> bytes{};
    int prefix = 128;
  };
  bool Contains(const std::array<uint8_t, 16>& address) const;
  std::vector<Network> networks_;
};

}  // namespace cl
