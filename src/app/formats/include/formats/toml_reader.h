// Reading a settings file whose every key is required and known (not a
// public header): numbers by dotted path, and an error for any key that was
// not read.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>

#include "core/error.h"

namespace cl {

struct TomlReader {
  const toml::table& root;
  const std::string& source;
  std::optional<Error> error;
  std::set<std::string> read;

  double Number(const std::string& path) {
    read.insert(path);
    auto node = root.at_path(path);
    if (auto v = node.value<double>()) return *v;
    if (!error) error = Error::InvalidInput(path + " must be a number", {source, 0, 0, path});
    return 0;
  }
  int Int(const std::string& path) { return static_cast<int>(Number(path)); }

  void CheckUnknown() {
    for (const auto& [section, node] : root) {
      const toml::table* t = node.as_table();
      if (t == nullptr) {
        if (!error)
          error = Error::InvalidInput("unknown key " + std::string(section.str()),
                                      {source, 0, 0, std::string(section.str())});
        continue;
      }
      for (const auto& [key, value] : *t) {
        std::string path = std::string(section.str()) + "." + std::string(key.str());
        if (read.count(path) == 0 && !error)
          error = Error::InvalidInput("unknown key " + path, {source, 0, 0, path});
      }
    }
  }
};

// Parses TOML text; a syntax error names the line and column.
inline Result<toml::table> ParseToml(const std::string& text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Error::InvalidInput(std::string(e.description()),
                               {source, static_cast<int>(e.source().begin.line),
                                static_cast<int>(e.source().begin.column), ""});
  }
}

}  // namespace cl
