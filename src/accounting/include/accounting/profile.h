// Methodology profiles (data/methodologies/*.toml): the rule set an inventory
// follows. The engine has no built-in profile; everything that differs
// between cn-national, shanghai and ghg-protocol is here, as data.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cl {

// Names a dataset row. region "unit" = the reporting unit's province.
struct FactorRef {
  std::string dataset;
  std::string key;
  std::string region;
};

// A contractual instrument the profile treats specially in its location
// (headline) figure, e.g. Shanghai's inter-provincial green power at zero.
struct InstrumentRule {
  std::string instrument;  // "green_power_interprovincial"
  FactorRef factor;
};

struct Profile {
  std::string id;
  std::string name_zh;
  std::string name_en;
  std::string basis;             // standards the profile follows
  std::string gwp_set;           // "AR5"
  std::string region;            // province the rules are for ("310000"), empty = anywhere
  bool headline_market = false;  // scope2_tco2e = market-based figure
  bool deduct_exports = true;    // exported electricity/heat subtracted
  bool onsite_renewables_in_energy = true;
  bool year_fallback = false;                   // latest prior data year if the year is missing
  std::map<std::string, std::string> tce_keys;  // activity code -> GB/T 2589 key
  FactorRef electricity_location;
  std::vector<InstrumentRule> location_instruments;
  std::optional<FactorRef> electricity_market_residual;  // set = market-based reported
  FactorRef green_instrument;  // market-based factor of green instruments without a factor
  FactorRef heat;
  std::vector<std::pair<std::string, std::string>> choices;  // documented choice -> source
  std::string source;                                        // the file it came from
};

// Parses one profile file with the strict settings reader (core/settings.h):
// a missing or unknown key, a wrong type or a value not among its choices is
// an error; all of them at once, each with file:line:column and the dotted key.
Result<Profile> ParseProfile(std::string_view toml_text, const std::string& source);

}  // namespace cl
