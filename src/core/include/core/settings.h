// The one strict reader of settings files (TOML): the server configuration,
// data/vee.toml, data/mv/caltrack.toml and data/methodologies/*.toml.
//
// Contract:
// - Values are read by key through typed getters on a SettingsTable; each
//   returns the value, or a default (empty, 0, false) after recording an
//   error. Reading goes on after an error, so that Finish() returns every
//   mistake of the file at once, not just the first.
// - Types are exact: a string is a string; a boolean is true or false, never
//   0 or 1; a number is a finite TOML integer or float (nan and inf refused);
//   a whole number is a TOML integer: 2.5 (or 2.0) where a whole number is
//   expected is an error, never truncated. Every number has a range; a value
//   outside it is an error whose message prints the bounds as written
//   ("must be a whole number from 2 to 1024").
// - A required key that is absent is an error; an Optional* getter returns
//   std::nullopt instead. A key that no getter read is an error ("unknown
//   key"), reported by Finish() once for the highest unread key.
// - Every error names the file, the line and column of the value (of the
//   key for an unknown key, of the table for a missing one; toml++ source
//   regions) and the key's dotted name ("server.threads", "choices[2].source").
//
// Ownership and threads: a SettingsReader owns the parsed document and its
// errors; a SettingsTable is a view into it, valid while the reader lives.
// A reader is not thread-safe: use one reader per file, on one thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cl {

// The range of a number: [min, max] unless an end is open ("above 0").
struct Range {
  double min;
  double max;
  bool min_open = false;
  bool max_open = false;

  static Range Closed(double min, double max) { return {min, max, false, false}; }
  static Range Open(double min, double max) { return {min, max, true, true}; }
  bool Contains(double v) const;
  // "from 0.01 to 1000000000", "above 0 and below 1": bounds in their
  // shortest exact form.
  std::string Describe() const;
};

// The range of a whole number, both ends included.
struct WholeRange {
  int64_t min;
  int64_t max;
};

class SettingsReader;
struct SettingsState;

// A view of one table of a settings file; keys are relative to it. Cheap to
// copy; valid while its SettingsReader lives.
class SettingsTable {
 public:
  std::string String(std::string_view key);
  std::optional<std::string> OptionalString(std::string_view key);
  // A string that must be one of `allowed`.
  std::string Choice(std::string_view key, std::initializer_list<std::string_view> allowed);
  double Number(std::string_view key, Range range);
  std::optional<double> OptionalNumber(std::string_view key, Range range);
  int64_t Whole(std::string_view key, WholeRange range);
  std::optional<int64_t> OptionalWhole(std::string_view key, WholeRange range);
  bool Bool(std::string_view key);
  std::optional<bool> OptionalBool(std::string_view key);
  std::vector<std::string> Strings(std::string_view key);
  std::optional<std::vector<std::string>> OptionalStrings(std::string_view key);
  // A non-empty array of numbers, each within `range`.
  std::vector<double> Numbers(std::string_view key, Range range);
  // A table whose every value is a string (its keys are free).
  std::map<std::string, std::string> StringMap(std::string_view key);
  std::optional<std::map<std::string, std::string>> OptionalStringMap(std::string_view key);
  // A required table; when it is missing, an empty stand-in whose keys are
  // not reported missing again.
  SettingsTable Table(std::string_view key);
  std::optional<SettingsTable> OptionalTable(std::string_view key);
  // An array of tables ([[key]]); absent = empty for OptionalTables.
  std::vector<SettingsTable> Tables(std::string_view key);
  std::vector<SettingsTable> OptionalTables(std::string_view key);

  // Whether the key is present (does not count as reading it).
  bool Has(std::string_view key) const;
  // Records an error about a key (a rule between settings), at its value's
  // position when present, else at this table's.
  void Fail(std::string_view key, const std::string& message);
  // The dotted name of this table ("" for the file's top level).
  const std::string& name() const { return name_; }

 private:
  friend class SettingsReader;
  SettingsTable(SettingsState* state, const void* table, std::string name, bool stand_in = false)
      : state_(state), table_(table), name_(std::move(name)), stand_in_(stand_in) {}
  std::string Dotted(std::string_view key) const;
  const void* Find(std::string_view key, bool required, const char* what);

  SettingsState* state_;
  const void* table_;  // a toml::table; toml++ stays out of this header
  std::string name_;
  bool stand_in_;  // for a missing table (already an error): its keys are not missed too
};

class SettingsReader {
 public:
  // Parses TOML text named `source` (a path, for messages). A syntax error is
  // returned with its file, line and column.
  static Result<SettingsReader> Parse(std::string_view text, const std::string& source);
  // Reads and parses a file; an unreadable file is an Io error.
  static Result<SettingsReader> Load(const std::string& path);

  SettingsReader(SettingsReader&& other) noexcept;
  SettingsReader& operator=(SettingsReader&& other) noexcept;
  ~SettingsReader();

  // The file's top-level table.
  SettingsTable Root();
  // Adds one error per unknown key and returns Ok, or the file's errors as
  // one Error: the error itself when alone, else all of them, one per line
  // (message), in the order found. Call once, after every getter.
  Status Finish();
  // Every error so far (after Finish, the unknown keys too).
  const ErrorList& errors() const;

 private:
  SettingsReader();
  std::unique_ptr<SettingsState> state_;
};

// A list of errors as one Error: itself when alone, else every error's
// "file:line:column: key: message", one per line, as the message.
Error OneError(const ErrorList& errors);

}  // namespace cl
