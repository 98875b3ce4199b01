#include "core/text_stream.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/encoding.h"

namespace cl {
namespace {

// Length of the longest prefix of `s` that does not end inside a UTF-8
// multi-byte sequence.
size_t CompleteUtf8Prefix(std::string_view s) {
  size_t n = s.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    auto c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: look further back
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

size_t FirstNonAscii(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) >= 0x80) return i;
  return std::string_view::npos;
}

// Offset of the first byte that is not part of well-formed UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || i + n > s.size()) return i;
    if (!IsValidUtf8(s.substr(i, n))) return i;
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace

Result<std::unique_ptr<TextStream>> TextStream::Open(const std::string& path, size_t block_bytes) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Error::Io(std::string("cannot open: ") + std::strerror(errno), {path, 0, 0, ""});
  uint64_t size = 0;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    const auto end = static_cast<int64_t>(std::ftell(f));
    if (end > 0) size = static_cast<uint64_t>(end);
    (void)std::fseek(f, 0, SEEK_SET);
  }
  return std::unique_ptr<TextStream>(new TextStream(f, path, size, block_bytes));
}

TextStream::~TextStream() {
  if (iconv_) iconv_close(static_cast<iconv_t>(iconv_));
  (void)std::fclose(file_);
}

std::string TextStream::encoding() const {
  switch (mode_) {
    case Mode::kAscii:
      return bom_ ? "UTF-8 with BOM" : "ASCII";
    case Mode::kUtf8:
      return bom_ ? "UTF-8 with BOM" : "UTF-8";
    case Mode::kGb18030:
      return "GB18030";
  }
  return "?";
}

Error TextStream::BadByte(const std::string& raw, size_t at, const char* what) const {
  auto line =
      lines_ + 1 + std::count(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  return Error::InvalidInput(std::string(what) + " at byte " +
                                 std::to_string(offset_ - raw.size() + at) +
                                 "; save the file as CSV UTF-8 or GBK",
                             {path_, static_cast<int>(line), 0, ""});
}

Result<bool> TextStream::ReadInto(std::string& out) {
  if (pending_) {  // the text before a bad byte went out first; now the error
    Error e = *pending_;
    pending_.reset();
    return e;
  }
  bool eof = false;
  std::string raw = ReadBlock(eof);
  if (raw.empty()) return false;
  if (first_) {
    first_ = false;
    SkipBom(raw);
  }
  if (mode_ == Mode::kAscii && DeferEncodingGuess(raw, eof, out)) return true;
  if (mode_ == Mode::kGb18030) return AppendGb18030(raw, eof, out);
  AppendUtf8(raw, eof, out);
  return true;
}

std::string TextStream::ReadBlock(bool& eof) {
  std::string raw = std::move(carry_);
  carry_.clear();
  size_t had = raw.size();
  // A small file needs no full block (the size is a hint: a file may grow).
  size_t want = block_;
  if (size_ > offset_ && size_ - offset_ < want) want = static_cast<size_t>(size_ - offset_) + 1;
  if (size_ > 0 && offset_ >= size_) want = std::min(want, size_t{1} << 16);
  raw.resize(had + want);
  size_t got = std::fread(raw.data() + had, 1, want, file_);
  raw.resize(had + got);
  offset_ += got;
  eof = got < want;
  return raw;
}

void TextStream::SkipBom(std::string& raw) {
  if (raw.compare(0, 3, "\xEF\xBB\xBF") != 0) return;
  bom_ = true;
  mode_ = Mode::kUtf8;
  raw.erase(0, 3);
}

bool TextStream::DeferEncodingGuess(const std::string& raw, bool eof, std::string& out) {
  size_t at = FirstNonAscii(raw);
  if (at == std::string::npos) return false;
  if (!eof && raw.size() - at < 64) {
    // Too little to judge the encoding by: pass the ASCII on, decide next time.
    lines_ += std::count(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    out.append(raw, 0, at);
    carry_.assign(raw, at, std::string::npos);
    return true;
  }
  size_t end = eof ? raw.size() : CompleteUtf8Prefix(raw);
  mode_ = FirstInvalidUtf8(std::string_view{raw}.substr(at, end - at)) == std::string::npos
              ? Mode::kUtf8
              : Mode::kGb18030;
  return false;
}

void TextStream::AppendUtf8(const std::string& raw, bool eof, std::string& out) {
  size_t end = eof ? raw.size() : CompleteUtf8Prefix(raw);
  std::string_view text(raw.data(), end);
  if (mode_ == Mode::kUtf8) {
    size_t bad = FirstInvalidUtf8(text);
    if (bad != std::string::npos) {
      pending_ = BadByte(raw, bad, "invalid UTF-8 in a UTF-8 file");
      out.append(text.substr(0, bad));
      return;
    }
  }
  lines_ += std::count(text.begin(), text.end(), '\n');
  out.append(text);
  carry_.assign(raw, end);
}

Result<bool> TextStream::AppendGb18030(std::string& raw, bool eof, std::string& out) {
  if (!iconv_) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1))  // NOLINT(performance-no-int-to-ptr): POSIX
      return Error::Internal("iconv cannot decode GB18030 on this system");
    iconv_ = cd;
  }
  char* src = raw.data();
  size_t src_left = raw.size();
  size_t base = out.size();
  out.resize(base + raw.size() * 2 + 16);
  char* dst = out.data() + base;
  size_t dst_left = out.size() - base;
  size_t rc = iconv(static_cast<iconv_t>(iconv_), &src, &src_left, &dst, &dst_left);
  size_t consumed = raw.size() - src_left;
  out.resize(out.size() - dst_left);
  if (rc == static_cast<size_t>(-1)) {
    if (errno == EINVAL && !eof) {
      carry_.assign(raw, consumed);  // incomplete sequence at block end
    } else {
      pending_ = BadByte(raw, consumed, "bytes that are neither UTF-8 nor GBK/GB18030");
    }
  }
  lines_ += std::count(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(consumed), '\n');
  return true;
}

}  // namespace cl
