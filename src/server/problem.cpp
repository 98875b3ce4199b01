// Problem documents (RFC 9457): every error kind's status in one table, and
// the places of a request that are wrong (api/openapi.json ProblemError).
#include "api_impl.h"

namespace cl::api {

int StatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return 422;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kIo:  // the store (or a file it needs) is unavailable: retry later
      return 503;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

const char* Title(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Not signed in";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 409:
      return "Conflict";
    case 405:
      return "Method not allowed";
    case 413:
      return "Request body too large";
    case 414:
      return "Request target too long";
    case 415:
      return "Unsupported media type";
    case 422:
      return "Invalid input";
    case 429:
      return "Too many requests";
    case 503:
      return "Service unavailable";
    default:
      return "Internal error";
  }
}

namespace {

// One wrong place of a request, as ProblemError (api/openapi.json): a body
// field or parameter by its pointer, a place in an uploaded file by its
// file, line, column and field.
json PlaceOf(const Error& e) {
  json p = {{"detail", e.message()}};
  const Location& at = e.where();
  if (at.file.empty()) {
    if (!at.field.empty()) p["pointer"] = "#/" + at.field;
    return p;
  }
  p["file"] = at.file;
  if (at.line > 0) p["line"] = at.line;
  if (at.column > 0) p["column"] = at.column;
  if (!at.field.empty()) p["field"] = at.field;
  return p;
}

json ProblemBody(int status, const std::string& title, const std::string& detail,
                 const std::string& instance) {
  json p = {{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
  if (!instance.empty()) p["instance"] = instance;
  return p;
}

ApiResponse ProblemResponse(int status, const json& p) {
  ApiResponse r = Json(status, p);
  r.content_type = "application/problem+json";
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"carbonledger\"");
  return r;
}

}  // namespace

ApiResponse Problem(int status, const std::string& title, const std::string& detail,
                    const std::string& instance, const std::string& pointer) {
  json p = ProblemBody(status, title, detail, instance);
  if (!pointer.empty()) p["errors"] = json::array({{{"pointer", pointer}, {"detail", detail}}});
  return ProblemResponse(status, p);
}

ApiResponse ProblemFrom(const Error& error, const std::string& instance) {
  // At most this many places are listed; the detail counts them all.
  constexpr size_t kMostPlaces = 100;
  int status = StatusOf(error.kind());
  if (status == 500)
    return Problem(500, Title(500), "the server failed to " + error.message(), instance);
  if (status == 503)
    return Problem(503, Title(503), "unavailable; try again later: " + error.message(), instance);
  json body = ProblemBody(status, Title(status), error.message(), instance);
  json places = json::array();
  if (error.details().empty()) {
    json p = PlaceOf(error);
    if (p.size() > 1) places.push_back(std::move(p));
  }
  for (const Error& e : error.details()) {
    if (places.size() == kMostPlaces) break;
    places.push_back(PlaceOf(e));
  }
  if (!places.empty()) body["errors"] = std::move(places);
  return ProblemResponse(status, body);
}

}  // namespace cl::api
