#include "core/encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cl {
namespace {

// Converts with iconv; on failure returns the byte offset that failed.
struct Converted {
  std::string out;
  bool ok = false;
  size_t bad_offset = 0;
};

Converted Convert(std::string_view in, const char* to, const char* from) {
  Converted result;
  iconv_t cd = iconv_open(to, from);
  // iconv_open reports failure as (iconv_t)-1 (POSIX).
  if (cd == reinterpret_cast<iconv_t>(-1)) return result;  // NOLINT(performance-no-int-to-ptr)
  result.out.resize(in.size() * 4 + 16);
  char* src = const_cast<char*>(in.data());  // iconv's API is not const-correct
  size_t src_left = in.size();
  char* dst = result.out.data();
  size_t dst_left = result.out.size();
  size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
  result.ok = rc != static_cast<size_t>(-1) && src_left == 0;
  if (result.ok) {
    // Flush any shift state.
    rc = iconv(cd, nullptr, nullptr, &dst, &dst_left);
    result.ok = rc != static_cast<size_t>(-1);
  }
  result.bad_offset = in.size() - src_left;
  result.out.resize(result.out.size() - dst_left);
  iconv_close(cd);
  return result;
}

int LineAt(std::string_view bytes, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') ++line;
  }
  return line;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    unsigned min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      min = 0x10000;
    } else {
      return false;
    }
    unsigned cp = c & (0x3F >> n);
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

Result<DecodedText> DecodeText(std::string_view bytes, const std::string& source) {
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (bytes.substr(0, 3) == kBom) {
    std::string_view rest = bytes.substr(3);
    if (!IsValidUtf8(rest)) {
      return Error::InvalidInput("file starts with a UTF-8 byte-order mark but is not valid UTF-8",
                                 {source, 0, 0, ""});
    }
    return DecodedText{std::string(rest), "UTF-8 with BOM"};
  }
  if (IsValidUtf8(bytes)) return DecodedText{std::string(bytes), "UTF-8"};
  Converted c = Convert(bytes, "UTF-8", "GB18030");
  if (!c.ok) {
    return Error::InvalidInput("text is neither UTF-8 nor GBK/GB18030 (undecodable bytes at byte " +
                                   std::to_string(c.bad_offset) + "); save the file as CSV UTF-8",
                               {source, LineAt(bytes, c.bad_offset), 0, ""});
  }
  return DecodedText{std::move(c.out), "GB18030"};
}

Result<std::string> EncodeGb18030(std::string_view utf8) {
  Converted c = Convert(utf8, "GB18030", "UTF-8");
  if (!c.ok) return Error::InvalidInput("text cannot be encoded as GB18030");
  return std::move(c.out);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error::Io(std::string("cannot open file: ") + std::strerror(errno), {path, 0, 0, ""});
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error::Io("error while reading file", {path, 0, 0, ""});
  return buffer.str();
}

}  // namespace cl
