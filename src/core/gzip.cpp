#include "core/gzip.h"

#include <zlib.h>

namespace cl {

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Result<std::string> Gunzip(std::string_view bytes, const std::string& source, size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK)
    return Error::Io("cannot initialise zlib", {source, 0, 0, ""});
  std::string out;
  char buffer[1 << 16];
  zs.next_in =
      reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));  // zlib's API is not const
  zs.avail_in = static_cast<uInt>(bytes.size());
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return Error::InvalidInput("gzip stream inflates beyond the size limit", {source, 0, 0, ""});
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // another gzip member follows
      continue;
    }
    if (rc != Z_OK) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    return Error::InvalidInput("corrupt or truncated gzip data", {source, 0, 0, ""});
  }
  return out;
}

Result<std::string> MaybeGunzip(std::string bytes, const std::string& source) {
  if (!IsGzip(bytes)) return bytes;
  return Gunzip(bytes, source);
}

}  // namespace cl
