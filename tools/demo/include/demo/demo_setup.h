// The demo platform (`carbonledger demo`): the synthetic city generated into
// the data folder when missing, imported into the embedded store (a rerun
// imports nothing twice), one account per role with a random password kept
// in the data folder, a verifier assignment, a bank consent, and
// inventories in each workflow state, so that every view has something real
// to show.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "server/api.h"

namespace cl {

struct DemoAccount {
  std::string login;
  std::string role;
  std::string password;
  std::string sees;  // one line: what this account is for
};

struct DemoSetup {
  std::string store;  // the SQLite file
  std::vector<DemoAccount> accounts;
  std::vector<std::string> log;  // what was done this time
};

// `home` is the data folder (CARBONLEDGER_HOME). Progress lines go to `say`.
Result<DemoSetup> PrepareDemo(const std::string& home, const std::string& data_dir,
                              const std::function<void(const std::string&)>& say);

}  // namespace cl
