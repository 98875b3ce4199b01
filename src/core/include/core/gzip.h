// gzip-compressed input (meter exports, request bodies).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cl {

bool IsGzip(std::string_view bytes);

// Inflates a whole gzip stream (concatenated members allowed). Fails on a
// corrupt or truncated stream, naming `source`, or when the output would
// exceed `max_bytes`.
Result<std::string> Gunzip(std::string_view bytes, const std::string& source,
                           size_t max_bytes = size_t{1} << 32);

// The bytes themselves, or inflated when they are gzip.
Result<std::string> MaybeGunzip(std::string bytes, const std::string& source);

}  // namespace cl
