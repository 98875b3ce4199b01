// Text files as users save them: UTF-8 with or without a BOM, or GBK/GB18030
// (Excel's CSV on a Chinese Windows).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cl {

struct DecodedText {
  std::string utf8;
  std::string encoding;  // "UTF-8", "UTF-8 with BOM" or "GB18030"
};

// Valid UTF-8 is taken as UTF-8 (BOM removed); anything else is decoded as
// GB18030, a superset of GBK. Fails, naming the line, when neither fits.
Result<DecodedText> DecodeText(std::string_view bytes, const std::string& source);

// UTF-8 to GB18030, for tests and for exports meant for Chinese Excel.
Result<std::string> EncodeGb18030(std::string_view utf8);

// True when `bytes` is well-formed UTF-8.
bool IsValidUtf8(std::string_view bytes);

// Reads a whole file. Errors name the path.
Result<std::string> ReadFile(const std::string& path);

}  // namespace cl
