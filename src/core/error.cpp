#include "core/error.h"

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
  out.details_ = std::make_shared<const std::vector<Error>>(errors.errors());
  return out;
}

const std::vector<Error>& Error::details() const {
  static const std::vector<Error> kNone;
  return details_ ? *details_ : kNone;
}

}  // namespace cl
