// TrustedProxies: addresses parsed by the C library (inet_pton), held as
// 16 bytes so that one comparison serves IPv4 and IPv6.
#include "server/client_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace cl {
namespace {

using Address = std::array<uint8_t, 16>;

constexpr size_t kLongestAddress = 45;  // INET6_ADDRSTRLEN without its NUL

// An IPv4 or IPv6 address in its textual form, IPv4 as IPv4-mapped IPv6.
std::optional<Address> ParseAddress(std::string_view text) {
  if (text.empty() || text.size() > kLongestAddress ||
      text.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
    return std::nullopt;      // also a NUL, which inet_pton would take for the end
  const std::string z(text);  // inet_pton wants a NUL-terminated string
  Address a{};
  if (text.find(':') != std::string_view::npos) {
    if (inet_pton(AF_INET6, z.c_str(), a.data()) != 1) return std::nullopt;
    return a;
  }
  a[10] = 0xff;
  a[11] = 0xff;
  if (inet_pton(AF_INET, z.c_str(), a.data() + 12) != 1) return std::nullopt;
  return a;
}

bool IsMappedIpv4(const Address& a) {
  return std::all_of(a.begin(), a.begin() + 10, [](uint8_t b) { return b == 0; }) &&
         a[10] == 0xff && a[11] == 0xff;
}

std::string Format(const Address& a) {
  char text[INET6_ADDRSTRLEN] = {};
  const bool v4 = IsMappedIpv4(a);
  if (inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a.data() + 12 : a.data(), text, sizeof text) ==
      nullptr)
    return "";
  return text;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One X-Forwarded-For entry: an address, maybe with a port ("192.0.2.1:80",
// "[2001:db8::1]:443", "[2001:db8::1]").
std::optional<Address> ParseForwarded(std::string_view entry) {
  if (entry.starts_with('[')) {
    const size_t close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = entry.substr(close + 1);
    if (!rest.empty() && !(rest.starts_with(':') && AllDigits(rest.substr(1)))) return std::nullopt;
    std::string_view inside = entry.substr(1, close - 1);
    if (inside.find(':') == std::string_view::npos) return std::nullopt;  // IPv6 only
    return ParseAddress(inside);
  }
  const size_t colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    if (!AllDigits(entry.substr(colon + 1))) return std::nullopt;
    return ParseAddress(entry.substr(0, colon));  // IPv4 with a port
  }
  return ParseAddress(entry);
}

bool IsForwardedFor(std::string_view name) {
  constexpr std::string_view kName = "x-forwarded-for";
  return name.size() == kName.size() &&
         std::equal(name.begin(), name.end(), kName.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

// Every X-Forwarded-For entry, left to right, empty ones skipped (RFC 9110
// §5.6.1: a list may have empty elements; several headers make one list).
std::vector<std::string_view> ForwardedEntries(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::string_view> out;
  for (const auto& [name, value] : headers) {
    if (!IsForwardedFor(name)) continue;
    std::string_view rest = value;
    for (;;) {
      const size_t comma = rest.find(',');
      std::string_view entry = Trim(rest.substr(0, comma));
      if (!entry.empty()) out.push_back(entry);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

// "10.0.0.0/8", "fd00::/8" or a single address.
Result<std::pair<Address, int>> ParseNetwork(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  const size_t slash = text.find('/');
  auto address = ParseAddress(text.substr(0, slash));
  if (!address)
    return Error::InvalidInput(quoted +
                               " is not an IP address or network (10.0.0.7, 10.0.0.0/8, fd00::/8)");
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  const int bits = v4 ? 32 : 128;
  int prefix = bits;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > bits)
      return Error::InvalidInput(quoted + ": the prefix length must be a whole number from 0 to " +
                                 std::to_string(bits));
  }
  if (v4) prefix += 96;
  for (int bit = prefix; bit < 128; ++bit)
    if ((*address)[static_cast<size_t>(bit / 8)] & (0x80 >> (bit % 8)))
      return Error::InvalidInput(quoted + " has bits set after its prefix length");
  return std::pair{*address, prefix};
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries) {
  TrustedProxies t;
  for (const std::string& e : entries) {
    auto network = ParseNetwork(e);
    if (!network.ok()) return network.error();
    t.networks_.push_back({network->first, network->second});
  }
  return t;
}

bool TrustedProxies::Contains(const Address& address) const {
  return std::any_of(networks_.begin(), networks_.end(), [&](const Network& n) {
    const int whole = n.prefix / 8;
    if (!std::equal(n.bytes.begin(), n.bytes.begin() + whole, address.begin())) return false;
    if (n.prefix % 8 == 0) return true;
    const auto mask = static_cast<uint8_t>(0xff << (8 - n.prefix % 8));
    return (address[whole] & mask) == n.bytes[whole];
  });
}

bool TrustedProxies::Contains(std::string_view address) const {
  auto a = ParseAddress(address);
  return a && Contains(*a);
}

std::string TrustedProxies::ClientAddress(
    std::string_view peer, const std::vector<std::pair<std::string, std::string>>& headers) const {
  if (networks_.empty() || !Contains(peer)) return std::string(peer);
  const std::vector<std::string_view> entries = ForwardedEntries(headers);
  std::optional<Address> hop;
  for (size_t i = entries.size(); i-- > 0;) {  // from the right
    hop = ParseForwarded(entries[i]);
    if (!hop) return std::string(peer);  // unreadable: believe nothing further left
    if (!Contains(*hop)) return Format(*hop);
  }
  return hop ? Format(*hop) : std::string(peer);  // every hop a proxy: the left-most
}

}  // namespace cl
