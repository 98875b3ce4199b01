#include "accounting/profile.h"

#include <toml++/toml.h>

namespace cl {
namespace {

class Reader {
 public:
  Reader(const toml::table& root, const std::string& source) : root_(root), source_(source) {}

  std::string String(std::string_view path, bool required = true) {
    auto node = root_.at_path(path);
    if (auto s = node.value<std::string>()) return *s;
    if (required) Fail(path, node ? "must be a string" : "is missing");
    return {};
  }
  bool Bool(std::string_view path) {
    auto node = root_.at_path(path);
    if (auto b = node.value<bool>()) return *b;
    Fail(path, node ? "must be true or false" : "is missing");
    return false;
  }
  std::string Choice(std::string_view path, std::initializer_list<std::string_view> allowed) {
    std::string v = String(path);
    for (std::string_view a : allowed) {
      if (v == a) return v;
    }
    if (!failed_) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Fail(path, "'" + v + "' is not one of: " + list);
    }
    return v;
  }
  FactorRef Ref(std::string_view path) {
    std::string p(path);
    return {String(p + ".dataset"), String(p + ".key"), String(p + ".region")};
  }
  bool Has(std::string_view path) const { return static_cast<bool>(root_.at_path(path)); }
  void Fail(std::string_view path, const std::string& what) {
    if (failed_) return;
    failed_ = true;
    error_ =
        Error::InvalidInput(std::string(path) + " " + what, {source_, 0, 0, std::string(path)});
  }
  bool failed() const { return failed_; }
  const Error& error() const { return error_; }

 private:
  const toml::table& root_;
  const std::string& source_;
  bool failed_ = false;
  Error error_{ErrorKind::kInternal, ""};
};

}  // namespace

Result<Profile> ParseProfile(std::string_view toml_text, const std::string& source) {
  // Debian's toml++ is built with exceptions: caught here, turned into a value.
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    return Error::InvalidInput(std::string(e.description()),
                               {source, static_cast<int>(e.source().begin.line),
                                static_cast<int>(e.source().begin.column), ""});
  }
  Reader r(root, source);
  Profile p;
  p.source = source;
  p.id = r.String("id");
  p.name_zh = r.String("name_zh");
  p.name_en = r.String("name_en");
  p.basis = r.String("basis");
  p.gwp_set = r.Choice("gwp_set", {"AR4", "AR5", "AR6"});
  p.region = r.String("region", /*required=*/false);
  p.headline_market = r.Choice("scope2_headline", {"location", "market"}) == "market";
  p.deduct_exports = r.Choice("exported_energy", {"deduct", "memo"}) == "deduct";
  p.onsite_renewables_in_energy =
      r.Choice("onsite_renewables_energy", {"include", "exclude"}) == "include";
  p.year_fallback = r.Choice("year_fallback", {"none", "latest_prior"}) == "latest_prior";
  if (const toml::table* keys = root["energy"]["tce_keys"].as_table()) {
    for (const auto& [k, v] : *keys) {
      if (auto s = v.value<std::string>())
        p.tce_keys[std::string(k.str())] = *s;
      else
        r.Fail("energy.tce_keys." + std::string(k.str()), "must be a string");
    }
  }
  p.electricity_location = r.Ref("electricity.location");
  if (const toml::array* rules = root["electricity"]["location_instruments"].as_array()) {
    for (size_t i = 0; i < rules->size(); ++i) {
      std::string base = "electricity.location_instruments[" + std::to_string(i) + "]";
      p.location_instruments.push_back({r.String(base + ".instrument"), r.Ref(base)});
    }
  }
  if (r.Has("electricity.market")) {
    p.electricity_market_residual = r.Ref("electricity.market.residual");
    p.green_instrument = r.Ref("electricity.market.green_instrument");
  }
  if (p.headline_market && !p.electricity_market_residual) {
    r.Fail("scope2_headline", "is 'market' but [electricity.market] is missing");
  }
  p.heat = r.Ref("heat");
  if (const toml::array* choices = root["choices"].as_array()) {
    for (size_t i = 0; i < choices->size(); ++i) {
      std::string base = "choices[" + std::to_string(i) + "]";
      p.choices.emplace_back(r.String(base + ".choice"), r.String(base + ".source"));
    }
  }
  if (r.failed()) return r.error();
  return p;
}

}  // namespace cl
