// Instants. Stored and compared in UTC; text carries its offset
// ("2015-11-22T00:00:00-06:00") or is read in a site's fixed UTC offset.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cl {

using Instant = std::chrono::sys_seconds;

// ISO 8601 date-time: "YYYY-MM-DDTHH:MM[:SS][.fff]" followed by "Z", "+HH:MM",
// "+HHMM" or nothing; a space may replace 'T'. Without an offset the text is
// read at `default_offset` (e.g. +08:00 for Asia/Shanghai, which has no
// daylight saving); when that is empty too, it is an error.
Result<Instant> ParseInstant(std::string_view s,
                             std::optional<std::chrono::minutes> default_offset = std::nullopt);

// "2015-11-22T06:00:00Z".
std::string FormatInstant(Instant t);

// UTC now as "2026-11-28T23:54:33Z".
std::string NowUtc();

}  // namespace cl
