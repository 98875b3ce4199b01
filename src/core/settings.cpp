#include "core/settings.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_set>

#include "core/encoding.h"

namespace cl {

struct SettingsState {
  toml::table root;
  std::string source;
  ErrorList errors;
  std::unordered_set<const toml::node*> read;  // every node a getter took

  Location At(const toml::node& n, const std::string& field) const {
    const toml::source_position& p = n.source().begin;
    return {source, static_cast<int>(p.line), static_cast<int>(p.column), field};
  }
  void Fail(const toml::node& n, const std::string& field, const std::string& message) {
    errors.Add(Error::InvalidInput(message, At(n, field)));
  }
};

namespace {

const toml::table& AsTable(const void* t) { return *static_cast<const toml::table*>(t); }

// The shortest text that reads back as the same number; whole numbers in full.
std::string Show(double v) {
  std::array<char, 64> text{};
  char* const first = text.data();
  char* const last = first + text.size();
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    auto [end, ec] = std::to_chars(first, last, v, std::chars_format::fixed, 0);
    return {first, end};
  }
  auto [end, ec] = std::to_chars(first, last, v);
  return {first, end};
}

std::optional<double> FiniteNumber(const toml::node& n) {
  double v = 0;
  if (const auto* i = n.as_integer())
    v = static_cast<double>(i->get());
  else if (const auto* f = n.as_floating_point())
    v = f->get();
  else
    return std::nullopt;
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::string Element(const std::string& name, size_t i) {
  return name + "[" + std::to_string(i) + "]";
}

}  // namespace

bool Range::Contains(double v) const {
  const bool above = min_open ? v > min : v >= min;
  const bool below = max_open ? v < max : v <= max;
  return above && below;  // false for nan
}

std::string Range::Describe() const {
  if (!min_open && !max_open) return "from " + Show(min) + " to " + Show(max);
  return (min_open ? "above " : "at least ") + Show(min) + " and " +
         (max_open ? "below " : "at most ") + Show(max);
}

// ---- SettingsTable ----

std::string SettingsTable::Dotted(std::string_view key) const {
  return name_.empty() ? std::string(key) : name_ + "." + std::string(key);
}

const void* SettingsTable::Find(std::string_view key, bool required, const char* what) {
  const toml::node* n = AsTable(table_).get(key);
  if (n == nullptr) {
    if (required && !stand_in_)
      state_->Fail(AsTable(table_), Dotted(key), std::string("is missing (") + what + ")");
    return nullptr;
  }
  state_->read.insert(n);
  return n;
}

bool SettingsTable::Has(std::string_view key) const { return AsTable(table_).get(key) != nullptr; }

void SettingsTable::Fail(std::string_view key, const std::string& message) {
  const toml::node* n = AsTable(table_).get(key);
  state_->Fail(n != nullptr ? *n : AsTable(table_), Dotted(key), message);
}

std::optional<std::string> SettingsTable::OptionalString(std::string_view key) {
  const auto* n = static_cast<const toml::node*>(Find(key, false, "a string"));
  if (n == nullptr) return std::nullopt;
  if (const auto* s = n->as_string()) return s->get();
  state_->Fail(*n, Dotted(key), "must be a string");
  return std::string();
}

std::string SettingsTable::String(std::string_view key) {
  if (!Has(key)) {
    Find(key, true, "a string");
    return {};
  }
  return *OptionalString(key);
}

std::string SettingsTable::Choice(std::string_view key,
                                  std::initializer_list<std::string_view> allowed) {
  const bool present = Has(key);
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  if (!present) {
    Find(key, true, ("one of: " + list).c_str());
    return {};
  }
  const size_t before = state_->errors.size();
  std::string v = String(key);
  if (state_->errors.size() != before) return v;  // not a string: already said
  for (std::string_view a : allowed)
    if (v == a) return v;
  Fail(key, "'" + v + "' is not one of: " + list);
  return v;
}

std::optional<double> SettingsTable::OptionalNumber(std::string_view key, Range range) {
  const auto* n = static_cast<const toml::node*>(Find(key, false, ""));
  if (n == nullptr) return std::nullopt;
  std::optional<double> v = FiniteNumber(*n);
  if (v && range.Contains(*v)) return v;
  state_->Fail(*n, Dotted(key), "must be a number " + range.Describe());
  return 0.0;
}

double SettingsTable::Number(std::string_view key, Range range) {
  if (!Has(key)) {
    Find(key, true, ("a number " + range.Describe()).c_str());
    return 0;
  }
  return *OptionalNumber(key, range);
}

std::optional<int64_t> SettingsTable::OptionalWhole(std::string_view key, WholeRange range) {
  const auto* n = static_cast<const toml::node*>(Find(key, false, ""));
  if (n == nullptr) return std::nullopt;
  if (const auto* i = n->as_integer()) {
    const int64_t v = i->get();
    if (v >= range.min && v <= range.max) return v;
  }
  state_->Fail(*n, Dotted(key),
               "must be a whole number from " + std::to_string(range.min) + " to " +
                   std::to_string(range.max));
  return int64_t{0};
}

int64_t SettingsTable::Whole(std::string_view key, WholeRange range) {
  if (!Has(key)) {
    Find(key, true,
         ("a whole number from " + std::to_string(range.min) + " to " + std::to_string(range.max))
             .c_str());
    return 0;
  }
  return *OptionalWhole(key, range);
}

std::optional<bool> SettingsTable::OptionalBool(std::string_view key) {
  const auto* n = static_cast<const toml::node*>(Find(key, false, ""));
  if (n == nullptr) return std::nullopt;
  if (const auto* b = n->as_boolean()) return b->get();
  state_->Fail(*n, Dotted(key), "must be true or false");
  return false;
}

bool SettingsTable::Bool(std::string_view key) {
  if (!Has(key)) {
    Find(key, true, "true or false");
    return false;
  }
  return *OptionalBool(key);
}

std::optional<std::vector<std::string>> SettingsTable::OptionalStrings(std::string_view key) {
  const auto* n = static_cast<const toml::node*>(Find(key, false, ""));
  if (n == nullptr) return std::nullopt;
  std::vector<std::string> out;
  const auto* a = n->as_array();
  if (a == nullptr) {
    state_->Fail(*n, Dotted(key), "must be a list of strings");
    return out;
  }
  for (size_t i = 0; i < a->size(); ++i) {
    if (const auto* s = (*a)[i].as_string())
      out.push_back(s->get());
    else
      state_->Fail((*a)[i], Element(Dotted(key), i), "must be a string");
  }
  return out;
}

std::vector<std::string> SettingsTable::Strings(std::string_view key) {
  if (!Has(key)) {
    Find(key, true, "a list of strings");
    return {};
  }
  return *OptionalStrings(key);
}

std::vector<double> SettingsTable::Numbers(std::string_view key, Range range) {
  const std::string what = "a list of numbers " + range.Describe();
  const auto* n = static_cast<const toml::node*>(Find(key, true, what.c_str()));
  if (n == nullptr) return {};
  std::vector<double> out;
  const auto* a = n->as_array();
  if (a == nullptr || a->empty()) {
    state_->Fail(*n, Dotted(key), "must be " + what);
    return out;
  }
  for (size_t i = 0; i < a->size(); ++i) {
    std::optional<double> v = FiniteNumber((*a)[i]);
    if (v && range.Contains(*v))
      out.push_back(*v);
    else
      state_->Fail((*a)[i], Element(Dotted(key), i), "must be a number " + range.Describe());
  }
  return out;
}

std::optional<std::map<std::string, std::string>> SettingsTable::OptionalStringMap(
    std::string_view key) {
  std::optional<SettingsTable> t = OptionalTable(key);
  if (!t) return std::nullopt;
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : AsTable(t->table_)) {
    std::string name(k.str());
    out[name] = t->String(name);
  }
  return out;
}

std::map<std::string, std::string> SettingsTable::StringMap(std::string_view key) {
  if (!Has(key)) {
    Find(key, true, "a table of strings");
    return {};
  }
  return *OptionalStringMap(key);
}

std::optional<SettingsTable> SettingsTable::OptionalTable(std::string_view key) {
  const auto* n = static_cast<const toml::node*>(Find(key, false, ""));
  if (n == nullptr) return std::nullopt;
  if (const auto* t = n->as_table()) return SettingsTable(state_, t, Dotted(key));
  state_->Fail(*n, Dotted(key), "must be a table");
  return std::nullopt;
}

SettingsTable SettingsTable::Table(std::string_view key) {
  if (std::optional<SettingsTable> t = OptionalTable(key)) return *t;
  if (!Has(key)) Find(key, true, "a table");
  static const toml::table kEmpty;  // reading from it finds nothing and marks nothing
  return {state_, &kEmpty, Dotted(key), /*stand_in=*/true};
}

std::vector<SettingsTable> SettingsTable::OptionalTables(std::string_view key) {
  const auto* n = static_cast<const toml::node*>(Find(key, false, ""));
  if (n == nullptr) return {};
  std::vector<SettingsTable> out;
  const auto* a = n->as_array();
  if (a == nullptr) {
    state_->Fail(*n, Dotted(key), "must be an array of tables ([[" + Dotted(key) + "]])");
    return out;
  }
  for (size_t i = 0; i < a->size(); ++i) {
    if (const auto* t = (*a)[i].as_table()) {
      state_->read.insert(t);
      out.push_back(SettingsTable(state_, t, Element(Dotted(key), i)));
    } else {
      state_->Fail((*a)[i], Element(Dotted(key), i), "must be a table");
    }
  }
  return out;
}

std::vector<SettingsTable> SettingsTable::Tables(std::string_view key) {
  if (!Has(key)) {
    Find(key, true, "an array of tables");
    return {};
  }
  return OptionalTables(key);
}

// ---- SettingsReader ----

SettingsReader::SettingsReader() : state_(std::make_unique<SettingsState>()) {}
SettingsReader::SettingsReader(SettingsReader&&) noexcept = default;
SettingsReader& SettingsReader::operator=(SettingsReader&&) noexcept = default;
SettingsReader::~SettingsReader() = default;

Result<SettingsReader> SettingsReader::Parse(std::string_view text, const std::string& source) {
  SettingsReader r;
  r.state_->source = source;
  // Debian's toml++ is built with exceptions: caught here, turned into a value.
  try {
    r.state_->root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const toml::source_position& at = e.source().begin;
    return Error::InvalidInput(std::string(e.description()), {source, static_cast<int>(at.line),
                                                              static_cast<int>(at.column), ""});
  }
  return r;
}

Result<SettingsReader> SettingsReader::Load(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.error();
  return Parse(*text, path);
}

SettingsTable SettingsReader::Root() { return {state_.get(), &state_->root, ""}; }

namespace {

// One error for each key under `t` that no getter read; a table that was
// read is looked into, an unread one is reported once. Recursive: as deep as
// the file's tables nest.
// NOLINTNEXTLINE(misc-no-recursion)
void FindUnread(const SettingsState& s, const toml::table& t, const std::string& name,
                std::vector<Error>& out) {
  for (const auto& [k, v] : t) {
    const std::string dotted =
        name.empty() ? std::string(k.str()) : name + "." + std::string(k.str());
    if (!s.read.contains(&v)) {  // at the key, not its value
      const toml::source_position& p = k.source().begin;
      out.push_back(Error::InvalidInput(
          "unknown key", {s.source, static_cast<int>(p.line), static_cast<int>(p.column), dotted}));
      continue;
    }
    if (const auto* table = v.as_table()) FindUnread(s, *table, dotted, out);
    if (const auto* array = v.as_array())
      for (size_t i = 0; i < array->size(); ++i)
        if (const auto* element = (*array)[i].as_table();
            element != nullptr && s.read.contains(element))
          FindUnread(s, *element, Element(dotted, i), out);
  }
}

}  // namespace

Status SettingsReader::Finish() {
  std::vector<Error> unread;
  FindUnread(*state_, state_->root, "", unread);
  // toml++ keeps keys sorted by name; a reader wants them in file order.
  std::stable_sort(unread.begin(), unread.end(), [](const Error& a, const Error& b) {
    return std::pair(a.where().line, a.where().column) <
           std::pair(b.where().line, b.where().column);
  });
  for (Error& e : unread) state_->errors.Add(std::move(e));
  if (state_->errors.empty()) return Ok{};
  return OneError(state_->errors);
}

const ErrorList& SettingsReader::errors() const { return state_->errors; }

Error OneError(const ErrorList& errors) {
  if (errors.size() == 1) return errors.errors().front();
  std::string text = errors.ToString();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return Error::InvalidInput(text);
}

}  // namespace cl
