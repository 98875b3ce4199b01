#include "core/error.h"

#include <cassert>

#include "core/problem_codes.h"

namespace cl {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return "invalid-input";
    case ErrorKind::kNotFound:
      return "not-found";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kUnauthenticated:
      return "unauthenticated";
    case ErrorKind::kForbidden:
      return "forbidden";
    case ErrorKind::kRateLimited:
      return "rate-limited";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

namespace {

// "file:line:column: field: message" with the parts that are known.
std::string Placed(const Error& e) {
  const Location& where = e.where();
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line > 0) {
      out += ':' + std::to_string(where.line);
      if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  if (!where.field.empty()) out += where.field + ": ";
  out += e.message();
  return out;
}

}  // namespace

std::string Error::ToString() const {
  return internal_.empty() ? Placed(*this) : Placed(*this) + " (" + internal_ + ")";
}

std::string ErrorList::ToString() const {
  std::string out;
  for (const Error& e : errors_) {
    out += e.ToString();
    out += '\n';
  }
  return out;
}

Error Error::Several(const ErrorList& errors) {
  constexpr size_t kShown = 5;
  std::string text;
  size_t shown = 0;
  for (const auto& e : errors.errors()) {
    if (shown++ == kShown) {
      text += "; and " + std::to_string(errors.size() - kShown) + " more";
      break;
    }
    text += (text.empty() ? "" : "; ") + Placed(e);  // a message, so never internal text
  }
  const Error& first = errors.errors().front();
  Error out(first.kind(), std::move(text), first.where());
  // One error keeps its code; several are said as such, each with its own.
  if (errors.size() == 1) {
    out.code_ = first.code_;
    out.params_ = first.params_;
  } else {
    out.code_ = "several";
    out.params_ = {{"count", std::to_string(errors.size())}};
  }
  out.details_ = std::make_shared<const std::vector<Error>>(errors.errors());
  return out;
}

Error Error::WithCode(std::string code, ProblemParams params) && {
  assert((code.empty() || IsProblemCode(code)) && "a code missing from core/problem_codes.cpp");
  code_ = std::move(code);
  params_ = std::move(params);
  return std::move(*this);
}

Error Error::WithCode(std::string code, ProblemParams params) const& {
  Error copy = *this;
  return std::move(copy).WithCode(std::move(code), std::move(params));
}

const std::vector<Error>& Error::details() const {
  static const std::vector<Error> kNone;
  return details_ ? *details_ : kNone;
}

}  // namespace cl
