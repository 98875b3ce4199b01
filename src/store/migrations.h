// Numbered schema migrations, one list per dialect; migration N of one list
// does what migration N of the other does. Applied in order on open and
// recorded in schema_migrations. Never edit a released migration: add one.
#pragma once

#include <vector>

#include "db.h"

namespace cl::sql {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& Migrations(Dialect dialect);

}  // namespace cl::sql
