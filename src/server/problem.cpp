// Problem documents (RFC 9457): every error kind's status in one table, and
// the places of a request that are wrong (api/openapi.json ProblemError).
#include <cstdio>

#include "api_impl.h"
#include "core/timestamp.h"

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

const char* GenericCode(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 409:
      return "conflict";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_media_type";
    case 422:
      return "invalid_input";
    case 429:
      return "rate_limited";
    case 431:
      return "headers_too_large";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

namespace {

// The code and parameters of an error, its status's generic code when it
// has none.
void PutCode(json& p, const Error& e, int status) {
  p["code"] = e.code().empty() ? GenericCode(status) : e.code();
  if (!e.params().empty()) p["params"] = e.params();
}

// One wrong place of a request, as ProblemError (api/openapi.json): a body
// field or parameter by its pointer, a place in an uploaded file by its
// file, line, column and field.
json PlaceOf(const Error& e) {
  json p = {{"detail", e.message()}};
  PutCode(p, e, StatusOf(e.kind()));
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
                 const std::string& instance, const std::string& code = "",
                 const ProblemParams& params = {}) {
  json p = {{"type", "about:blank"},
            {"title", title},
            {"status", status},
            {"detail", detail},
            {"code", code.empty() ? GenericCode(status) : code}};
  if (!params.empty()) p["params"] = params;
  if (!instance.empty()) p["instance"] = instance;
  return p;
}

ApiResponse ProblemResponse(int status, const json& p) {
  ApiResponse r = Json(status, p);
  r.content_type = "application/problem+json";
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"carbonledger\"");
  return r;
}

// What the log keeps of an error that its answer does not show.
void LogInternal(const Error& error, const std::string& instance) {
  json line = {{"ts", NowUtc()},
               {"level", "error"},
               {"path", instance},
               {"kind", ErrorKindName(error.kind())},
               {"msg", error.ToString()}};
  std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  (void)std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace

ApiResponse NonFiniteProblem(const std::string& instance) {
  LogInternal(Error::Internal("a response held a number that is not finite"), instance);
  // Built by hand: Json() refuses documents like the one that failed.
  ApiResponse r{500,
                "application/problem+json",
                json{{"type", "about:blank"},
                     {"title", Title(500)},
                     {"status", 500},
                     {"detail", "the server failed; the error is logged"},
                     {"code", GenericCode(500)}}
                    .dump(),
                {}};
  if (!instance.empty()) r.body.insert(r.body.size() - 1, ",\"instance\":" + json(instance).dump());
  return r;
}

ApiResponse Problem(int status, const std::string& title, const std::string& detail,
                    const std::string& instance, const std::string& pointer,
                    const std::string& code, const ProblemParams& params) {
  json p = ProblemBody(status, title, detail, instance, code, params);
  if (!pointer.empty()) {
    json place = {{"pointer", pointer}, {"detail", detail}, {"code", p["code"]}};
    if (!params.empty()) place["params"] = params;
    p["errors"] = json::array({std::move(place)});
  }
  return ProblemResponse(status, p);
}

ApiResponse ProblemFrom(const Error& error, const std::string& instance) {
  // At most this many places are listed; the detail counts them all.
  constexpr size_t kMostPlaces = 100;
  int status = StatusOf(error.kind());
  // A failure of the server or of its store says nothing of its internals
  // (a message, SQL, a driver's text): that goes to the log.
  if (status == 500 || status == 503 || !error.internal().empty()) LogInternal(error, instance);
  if (status == 500)
    return Problem(500, Title(500), "the server failed; the error is logged", instance);
  if (status == 503)
    return Problem(503, Title(503), "the store is unavailable; try again later", instance);
  json body =
      ProblemBody(status, Title(status), error.message(), instance, error.code(), error.params());
  json places = json::array();
  if (error.details().empty()) {
    json p = PlaceOf(error);
    if (p.contains("pointer") || p.contains("file")) places.push_back(std::move(p));
  }
  for (const Error& e : error.details()) {
    if (places.size() == kMostPlaces) break;
    places.push_back(PlaceOf(e));
  }
  if (!places.empty()) body["errors"] = std::move(places);
  return ProblemResponse(status, body);
}

}  // namespace cl::api
