// The one error type of CarbonLedger: expected failures are values.
//
// An Error has a kind (what went wrong, mapped to an HTTP status in one table
// by the server), a message a person can act on, and where it happened:
// file, line, column (1-based; 0 = not applicable), and field name.
// An Error that a web user can meet also carries a stable code from
// core/problem_codes.h ("inventory.not_draft") and named parameters, from
// which the web app writes the message in the user's language; message()
// stays English (the CLI prints it). Result<T> holds either a T or an Error;
// ErrorList collects every error of one input so that a user sees all of
// them at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cl {

enum class ErrorKind {
  kInvalidInput,     // the user's data is wrong; fix the data
  kNotFound,         // a named thing does not exist
  kConflict,         // the request contradicts stored state
  kIo,               // a file or resource could not be read or written
  kUnauthenticated,  // no valid credentials (sign in, or a valid token)
  kForbidden,        // the caller may not do this, or see this
  kRateLimited,      // too many attempts; retry later
  kInternal,         // a bug: should never reach a user
};

const char* ErrorKindName(ErrorKind kind);

struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string field;
};

class ErrorList;

// Named parameters of a problem code: {"status", "submitted"}.
using ProblemParams = std::map<std::string, std::string>;

class Error {
 public:
  Error(ErrorKind kind, std::string message, Location where = {})
      : kind_(kind), message_(std::move(message)), where_(std::move(where)) {}

  static Error InvalidInput(std::string message, Location where = {}) {
    return {ErrorKind::kInvalidInput, std::move(message), std::move(where)};
  }
  static Error NotFound(std::string message, Location where = {}) {
    return {ErrorKind::kNotFound, std::move(message), std::move(where)};
  }
  static Error Io(std::string message, Location where = {}) {
    return {ErrorKind::kIo, std::move(message), std::move(where)};
  }
  static Error Conflict(std::string message, Location where = {}) {
    return {ErrorKind::kConflict, std::move(message), std::move(where)};
  }
  static Error Unauthenticated(std::string message) {
    return {ErrorKind::kUnauthenticated, std::move(message)};
  }
  static Error Forbidden(std::string message) {
    return {ErrorKind::kForbidden, std::move(message)};
  }
  static Error RateLimited(std::string message) {
    return {ErrorKind::kRateLimited, std::move(message)};
  }
  static Error Internal(std::string message) { return {ErrorKind::kInternal, std::move(message)}; }
  // Every error of one input or request as one Error (it must not be empty):
  // the first one's kind and place, a message naming the first five, and
  // all of them in details().
  static Error Several(const ErrorList& errors);

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const Location& where() const { return where_; }
  // The errors an Error::Several stands for; empty for any other.
  const std::vector<Error>& details() const;

  // Text for the operator only (a database driver's message and the
  // statement it ran): in ToString() and the server's log, never in an HTTP
  // answer, which shows message() alone. Empty for most errors.
  const std::string& internal() const { return internal_; }
  // This error with `text` as its internal() text.
  Error WithInternal(std::string text) && {
    internal_ = std::move(text);
    return std::move(*this);
  }

  // The stable code of this error (core/problem_codes.h), or "" when it has
  // none (the server then answers with the generic code of its status).
  const std::string& code() const { return code_; }
  const ProblemParams& params() const { return params_; }
  // This error with a code and its parameters. The code must be one of
  // ProblemCodes() (asserted: a code the web app has no message for is a
  // bug); the message is unchanged.
  Error WithCode(std::string code, ProblemParams params = {}) &&;
  Error WithCode(std::string code, ProblemParams params = {}) const&;

  // "file:line:column: field: message (internal)" with the parts that are known.
  std::string ToString() const;

 private:
  ErrorKind kind_;
  std::string message_;
  Location where_;
  std::shared_ptr<const std::vector<Error>> details_;  // shared: an Error is copied often
  std::string internal_;
  std::string code_;
  ProblemParams params_;
};

// Either a value or an Error. Access to the wrong alternative is a programmer
// error (asserted).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

// Every error of one input, in the order found.
class ErrorList {
 public:
  void Add(Error error) { errors_.push_back(std::move(error)); }
  void Append(const ErrorList& other) {
    errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
  }
  bool empty() const { return errors_.empty(); }
  size_t size() const { return errors_.size(); }
  const std::vector<Error>& errors() const { return errors_; }
  // One error per line, as Error::ToString prints it.
  std::string ToString() const;

 private:
  std::vector<Error> errors_;
};

// A value, or every error that prevented it.
template <typename T>
class [[nodiscard]] Checked {
 public:
  Checked(T value) : v_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Checked(ErrorList errors) : v_(std::move(errors)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const ErrorList& errors() const { return std::get<1>(v_); }

 private:
  std::variant<T, ErrorList> v_;
};

}  // namespace cl

// Error propagation, the one style (leveldb's and abseil's habit): an early
// return of the error of a Status or Result from a function whose return type
// takes an Error (Status, Result<T>).
//
//   CL_RETURN_IF_ERROR(store.Begin());
//   CL_ASSIGN_OR_RETURN(auto units, ListUnits(store));   // units: the value
#define CL_RETURN_IF_ERROR(expr)                                \
  do {                                                          \
    auto&& cl_status_ = (expr);                                 \
    if (!cl_status_.ok()) return std::move(cl_status_).error(); \
  } while (0)

// `lhs` is a declaration ("auto units") or an lvalue and `result` a name made
// by concatenation: parentheses around either would not compile.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define CL_ERROR_CONCAT_INNER_(a, b) a##b
#define CL_ERROR_CONCAT_(a, b) CL_ERROR_CONCAT_INNER_(a, b)
#define CL_ASSIGN_OR_RETURN(lhs, expr) \
  CL_ASSIGN_OR_RETURN_IMPL_(CL_ERROR_CONCAT_(cl_result_, __LINE__), lhs, expr)
#define CL_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto result = (expr);                              \
  if (!result.ok()) return result.error();           \
  lhs = std::move(result).value()
// NOLINTEND(bugprone-macro-parentheses)
