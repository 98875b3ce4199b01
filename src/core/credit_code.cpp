#include "core/credit_code.h"

#include <array>
#include <string>

namespace cl {
namespace {

// GB 32100-2015 §4: 31 characters (no I, O, Z, S, V); weights W_i = 3^(i-1) mod 31.
constexpr std::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};

int ValueOf(char c) {
  size_t pos = kCharset.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

char CreditCodeCheckCharacter(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int v = ValueOf(first17[i]);
    if (v < 0) return '\0';
    sum += v * kWeights[i];
  }
  return kCharset[(31 - sum % 31) % 31];
}

Status ValidateCreditCode(std::string_view code) {
  if (code.size() != 18) {
    return Error::InvalidInput("credit code '" + std::string(code) + "' has " +
                               std::to_string(code.size()) + " characters; GB 32100 needs 18");
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (ValueOf(code[i]) < 0) {
      return Error::InvalidInput("credit code '" + std::string(code) + "': character " +
                                 std::to_string(i + 1) + " '" + std::string(1, code[i]) +
                                 "' is not allowed (digits and capitals except I, O, Z, S, V)");
    }
  }
  char expected = CreditCodeCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) {
    return Error::InvalidInput("credit code '" + std::string(code) +
                               "' fails the GB 32100 check: last character should be '" +
                               std::string(1, expected) + "'");
  }
  return Ok{};
}

}  // namespace cl
