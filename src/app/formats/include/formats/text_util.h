// Small text helpers shared by the app layer's readers and services (not a
// public header).
#pragma once

#include <charconv>
#include <string>

namespace cl {

// "data/x/activities.csv" -> "activities.csv": errors name the file as the user knows it.
inline std::string FileName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The shortest text that reads back as the same double ("27.4", "1e-05").
inline std::string ShortestNumber(double v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return {buf, ec == std::errc() ? p : buf};
}

}  // namespace cl
