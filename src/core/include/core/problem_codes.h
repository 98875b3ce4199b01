// The stable codes of the errors a user can meet through the API.
//
// A code names what went wrong in words that do not change with the text
// ("inventory.wrong_status"); its parameters (Error::params) fill the
// message. The web app holds a message for every code in each of its
// languages (web/src/messages/problems.*.ts); tests/check_problem_codes.py
// fails when one is missing or when the sources use a code that is not here.
// The English templates below are what the server's `detail` says; the
// CLI prints Error::message() as before (docs/decisions/0013-problem-codes.md).
#pragma once

#include <span>
#include <string_view>

namespace cl {

struct ProblemCode {
  std::string_view code;     // dotted lowercase: "inventory.wrong_status"
  std::string_view english;  // the message, with {param} for each parameter
};

// Every code, the generic ones of each HTTP status first.
std::span<const ProblemCode> ProblemCodes();
// Whether `code` is one of ProblemCodes().
bool IsProblemCode(std::string_view code);

}  // namespace cl
