// A text file read block by block as UTF-8, in bounded memory, for files
// larger than memory (meter readings). UTF-8 (with or without BOM) passes
// through; a file whose first non-ASCII bytes are not UTF-8 is decoded from
// GB18030 (a superset of GBK) as it streams. ASCII reads the same in both, so
// the choice is made at the first non-ASCII byte wherever it comes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"

namespace cl {

class TextStream {
 public:
  static Result<std::unique_ptr<TextStream>> Open(const std::string& path,
                                                  size_t block_bytes = size_t{4} << 20);
  ~TextStream();
  TextStream(const TextStream&) = delete;
  TextStream& operator=(const TextStream&) = delete;

  // Appends the next block of UTF-8 text to `out`; false at the end of the file.
  // An undecodable byte is an error naming its line, returned by the call
  // after the one that delivered the text before it.
  Result<bool> ReadInto(std::string& out);

  // "ASCII", "UTF-8", "UTF-8 with BOM" or "GB18030".
  std::string encoding() const;
  uint64_t bytes_read() const { return offset_; }
  uint64_t file_size() const { return size_; }

 private:
  enum class Mode { kAscii, kUtf8, kGb18030 };
  TextStream(std::FILE* f, std::string path, uint64_t size, size_t block)
      : file_(f), path_(std::move(path)), size_(size), block_(block) {}
  Error BadByte(const std::string& raw, size_t at, const char* what) const;
  // The carried bytes plus the next block from the file; `eof` when the file ran short.
  std::string ReadBlock(bool& eof);
  // Drops a leading UTF-8 byte order mark and settles the mode to UTF-8.
  void SkipBom(std::string& raw);
  // In ASCII mode: at the first non-ASCII byte, either chooses UTF-8 or GB18030
  // (false), or, with too few bytes to judge, appends the ASCII before it,
  // carries the rest to the next call and returns true.
  bool DeferEncodingGuess(const std::string& raw, bool eof, std::string& out);
  // Appends the complete UTF-8 (or ASCII) text of `raw`, carrying a split
  // sequence; invalid UTF-8 in UTF-8 mode ends the text and sets pending_.
  void AppendUtf8(const std::string& raw, bool eof, std::string& out);
  // Converts `raw` from GB18030; an error only when iconv cannot be opened.
  Result<bool> AppendGb18030(std::string& raw, bool eof, std::string& out);

  std::FILE* file_;
  std::string path_;
  uint64_t size_;
  size_t block_;
  uint64_t offset_ = 0;  // raw bytes read
  int64_t lines_ = 0;    // newlines in the raw bytes already decoded
  Mode mode_ = Mode::kAscii;
  bool bom_ = false;
  bool first_ = true;
  std::string carry_;             // an incomplete multi-byte sequence from the last block
  std::optional<Error> pending_;  // reported after the text before it
  void* iconv_ = nullptr;
};

}  // namespace cl
