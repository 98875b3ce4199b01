#include "accounting/profile.h"

#include "core/settings.h"

namespace cl {
namespace {

FactorRef Ref(SettingsTable t) {
  return {t.String("dataset"), t.String("key"), t.String("region")};
}

void ReadElectricity(SettingsTable e, Profile& p) {
  p.electricity_location = Ref(e.Table("location"));
  for (SettingsTable rule : e.OptionalTables("location_instruments"))
    p.location_instruments.push_back({rule.String("instrument"), Ref(rule)});
  if (std::optional<SettingsTable> market = e.OptionalTable("market")) {
    p.electricity_market_residual = Ref(market->Table("residual"));
    p.green_instrument = Ref(market->Table("green_instrument"));
  }
}

}  // namespace

Result<Profile> ParseProfile(std::string_view toml_text, const std::string& source) {
  Result<SettingsReader> reader = SettingsReader::Parse(toml_text, source);
  if (!reader.ok()) return reader.error();
  SettingsTable r = reader->Root();
  Profile p;
  p.source = source;
  p.id = r.String("id");
  p.name_zh = r.String("name_zh");
  p.name_en = r.String("name_en");
  p.basis = r.String("basis");
  p.gwp_set = r.Choice("gwp_set", {"AR4", "AR5", "AR6"});
  p.region = r.OptionalString("region").value_or("");
  p.headline_market = r.Choice("scope2_headline", {"location", "market"}) == "market";
  p.deduct_exports = r.Choice("exported_energy", {"deduct", "memo"}) == "deduct";
  p.onsite_renewables_in_energy =
      r.Choice("onsite_renewables_energy", {"include", "exclude"}) == "include";
  p.year_fallback = r.Choice("year_fallback", {"none", "latest_prior"}) == "latest_prior";
  if (std::optional<SettingsTable> energy = r.OptionalTable("energy"))
    p.tce_keys =
        energy->OptionalStringMap("tce_keys").value_or(std::map<std::string, std::string>{});
  ReadElectricity(r.Table("electricity"), p);
  if (p.headline_market && !p.electricity_market_residual)
    r.Fail("scope2_headline", "is 'market' but [electricity.market] is missing");
  p.heat = Ref(r.Table("heat"));
  for (SettingsTable c : r.OptionalTables("choices"))
    p.choices.emplace_back(c.String("choice"), c.String("source"));
  if (Status done = reader->Finish(); !done.ok()) return done.error();
  return p;
}

}  // namespace cl
