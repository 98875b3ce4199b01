// The unified social credit code of a legal entity (GB 32100-2015).
#pragma once

#include <string_view>

#include "core/error.h"

namespace cl {

// Succeeds when `code` has 18 characters from the GB 32100 character set and
// its 18th character is the check character computed from the first 17.
// The message of a failure says which rule failed (length, character, check).
Status ValidateCreditCode(std::string_view code);

// The check character for the first 17 characters, or '\0' when one is not in
// the character set.
char CreditCodeCheckCharacter(std::string_view first17);

}  // namespace cl
