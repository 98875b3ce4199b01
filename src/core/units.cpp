#include "core/units.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace cl {
namespace {

struct UnitSpelling {
  std::string_view spelling;  // matched case-insensitively (ASCII)
  std::string_view symbol;    // canonical
  Dim dim;
  double to_base;
};

// Every spelling CarbonLedger reads. Base units: MJ, kg, m3, kgCO2e, CNY, km, item.
constexpr std::array kUnits = {
    UnitSpelling{"MJ", "MJ", kEnergyDim, 1.0},
    UnitSpelling{"兆焦", "MJ", kEnergyDim, 1.0},
    UnitSpelling{"GJ", "GJ", kEnergyDim, 1e3},
    UnitSpelling{"吉焦", "GJ", kEnergyDim, 1e3},
    UnitSpelling{"百万千焦", "GJ", kEnergyDim, 1e3},
    UnitSpelling{"TJ", "TJ", kEnergyDim, 1e6},
    UnitSpelling{"太焦", "TJ", kEnergyDim, 1e6},
    UnitSpelling{"kJ", "kJ", kEnergyDim, 1e-3},
    UnitSpelling{"千焦", "kJ", kEnergyDim, 1e-3},
    UnitSpelling{"kWh", "kWh", kEnergyDim, 3.6},
    UnitSpelling{"千瓦时", "kWh", kEnergyDim, 3.6},
    UnitSpelling{"度", "kWh", kEnergyDim, 3.6},
    UnitSpelling{"10^4 kWh", "10^4 kWh", kEnergyDim, 3.6e4},
    UnitSpelling{"10^4kWh", "10^4 kWh", kEnergyDim, 3.6e4},
    UnitSpelling{"万千瓦时", "10^4 kWh", kEnergyDim, 3.6e4},
    UnitSpelling{"万度", "10^4 kWh", kEnergyDim, 3.6e4},
    UnitSpelling{"MWh", "MWh", kEnergyDim, 3.6e3},
    UnitSpelling{"兆瓦时", "MWh", kEnergyDim, 3.6e3},
    UnitSpelling{"GWh", "GWh", kEnergyDim, 3.6e6},
    UnitSpelling{"吉瓦时", "GWh", kEnergyDim, 3.6e6},
    UnitSpelling{"therm", "therm", kEnergyDim, 105.505585262},  // 100 000 Btu (IT)
    UnitSpelling{"kgce", "kgce", kEnergyDim, 29.3076},
    UnitSpelling{"千克标准煤", "kgce", kEnergyDim, 29.3076},
    UnitSpelling{"千克标煤", "kgce", kEnergyDim, 29.3076},
    UnitSpelling{"tce", "tce", kEnergyDim, 29307.6},
    UnitSpelling{"吨标准煤", "tce", kEnergyDim, 29307.6},
    UnitSpelling{"吨标煤", "tce", kEnergyDim, 29307.6},
    UnitSpelling{"10^4 tce", "10^4 tce", kEnergyDim, 29307.6e4},
    UnitSpelling{"万吨标准煤", "10^4 tce", kEnergyDim, 29307.6e4},
    UnitSpelling{"g", "g", kMassDim, 1e-3},
    UnitSpelling{"克", "g", kMassDim, 1e-3},
    UnitSpelling{"kg", "kg", kMassDim, 1.0},
    UnitSpelling{"千克", "kg", kMassDim, 1.0},
    UnitSpelling{"公斤", "kg", kMassDim, 1.0},
    UnitSpelling{"t", "t", kMassDim, 1e3},
    UnitSpelling{"吨", "t", kMassDim, 1e3},
    UnitSpelling{"10^4 t", "10^4 t", kMassDim, 1e7},
    UnitSpelling{"万吨", "10^4 t", kMassDim, 1e7},
    UnitSpelling{"tC", "tC", kMassDim, 1e3},
    UnitSpelling{"kgC", "kgC", kMassDim, 1.0},
    UnitSpelling{"m3", "m3", kVolumeDim, 1.0},
    UnitSpelling{"Nm3", "m3", kVolumeDim, 1.0},
    UnitSpelling{"立方米", "m3", kVolumeDim, 1.0},
    UnitSpelling{"方", "m3", kVolumeDim, 1.0},
    UnitSpelling{"10^4 m3", "10^4 m3", kVolumeDim, 1e4},
    UnitSpelling{"10^4m3", "10^4 m3", kVolumeDim, 1e4},
    UnitSpelling{"10^4 Nm3", "10^4 m3", kVolumeDim, 1e4},
    UnitSpelling{"10^4Nm3", "10^4 m3", kVolumeDim, 1e4},
    UnitSpelling{"万立方米", "10^4 m3", kVolumeDim, 1e4},
    UnitSpelling{"万方", "10^4 m3", kVolumeDim, 1e4},
    UnitSpelling{"万Nm3", "10^4 m3", kVolumeDim, 1e4},
    UnitSpelling{"万m3", "10^4 m3", kVolumeDim, 1e4},
    UnitSpelling{"10^8 m3", "10^8 m3", kVolumeDim, 1e8},
    UnitSpelling{"亿立方米", "10^8 m3", kVolumeDim, 1e8},
    UnitSpelling{"L", "L", kVolumeDim, 1e-3},
    UnitSpelling{"升", "L", kVolumeDim, 1e-3},
    UnitSpelling{"kgCO2e", "kgCO2e", kEmissionsDim, 1.0},
    UnitSpelling{"kgCO2", "kgCO2e", kEmissionsDim, 1.0},
    UnitSpelling{"千克二氧化碳当量", "kgCO2e", kEmissionsDim, 1.0},
    UnitSpelling{"千克二氧化碳", "kgCO2e", kEmissionsDim, 1.0},
    UnitSpelling{"tCO2e", "tCO2e", kEmissionsDim, 1e3},
    UnitSpelling{"tCO2", "tCO2e", kEmissionsDim, 1e3},
    UnitSpelling{"吨二氧化碳当量", "tCO2e", kEmissionsDim, 1e3},
    UnitSpelling{"吨二氧化碳", "tCO2e", kEmissionsDim, 1e3},
    UnitSpelling{"10^4 tCO2e", "10^4 tCO2e", kEmissionsDim, 1e7},
    UnitSpelling{"万吨二氧化碳当量", "10^4 tCO2e", kEmissionsDim, 1e7},
    UnitSpelling{"CNY", "CNY", kMoneyDim, 1.0},
    UnitSpelling{"元", "CNY", kMoneyDim, 1.0},
    UnitSpelling{"10^4 CNY", "10^4 CNY", kMoneyDim, 1e4},
    UnitSpelling{"万元", "10^4 CNY", kMoneyDim, 1e4},
    UnitSpelling{"km", "km", kDistanceDim, 1.0},
    UnitSpelling{"公里", "km", kDistanceDim, 1.0},
    UnitSpelling{"千米", "km", kDistanceDim, 1.0},
    UnitSpelling{"t*km", "t*km", kMassDim* kDistanceDim, 1e3},
    UnitSpelling{"tkm", "t*km", kMassDim* kDistanceDim, 1e3},
    UnitSpelling{"吨公里", "t*km", kMassDim* kDistanceDim, 1e3},
    UnitSpelling{"item", "item", kCountDim, 1.0},
    UnitSpelling{"个", "item", kCountDim, 1.0},
    UnitSpelling{"件", "item", kCountDim, 1.0},
    UnitSpelling{"台", "item", kCountDim, 1.0},
    UnitSpelling{"1", "1", kDimensionless, 1.0},
    UnitSpelling{"%", "%", kDimensionless, 1e-2},
};

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto ca = static_cast<unsigned char>(a[i]);
    auto cb = static_cast<unsigned char>(b[i]);
    if (std::tolower(ca) != std::tolower(cb)) return false;
  }
  return true;
}

// Superscripts and full-width forms Excel users type: ³ ⁴ ₂ × · ／ and spaces.
std::string Normalize(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kReplace = {{
      {"³", "3"},
      {"⁴", "^4"},
      {"⁸", "^8"},
      {"₂", "2"},
      {"·", "*"},
      {"×", "*"},
      {"／", "/"},
      {"　", " "},
      {"e4", "^4"},
  }};
  std::string out(text);
  for (const auto& [from, to] : kReplace) {
    if (from == "e4") continue;  // only "10e4" style below
    for (size_t pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos)) {
      out.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
  if (out.rfind("10e4", 0) == 0) out.replace(0, 4, "10^4");
  // Trim, and collapse inner runs of spaces to one.
  std::string collapsed;
  for (char c : out) {
    if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed += c;
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

const UnitSpelling* FindSimple(std::string_view text) {
  for (const UnitSpelling& u : kUnits) {
    if (EqualsIgnoreAsciiCase(u.spelling, text)) return &u;
  }
  // "10^4 m3" may be written without the space or with it elsewhere.
  std::string no_space;
  for (char c : text) {
    if (c != ' ') no_space += c;
  }
  if (no_space.size() != text.size()) {
    for (const UnitSpelling& u : kUnits) {
      std::string candidate;
      for (char c : u.spelling) {
        if (c != ' ') candidate += c;
      }
      if (EqualsIgnoreAsciiCase(candidate, no_space)) return &u;
    }
  }
  return nullptr;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// A product of simple units: "t*km".
Result<Unit> ParseProduct(std::string_view text, std::string_view whole) {
  if (const UnitSpelling* u = FindSimple(text)) {
    return Unit{std::string(u->symbol), u->dim, u->to_base};
  }
  Unit product{"", kDimensionless, 1.0};
  size_t start = 0;
  while (start <= text.size()) {
    size_t star = text.find('*', start);
    std::string_view part = Trim(
        text.substr(start, star == std::string_view::npos ? std::string_view::npos : star - start));
    const UnitSpelling* u = FindSimple(part);
    if (u == nullptr || part.empty()) {
      return Error::InvalidInput(
          "unknown unit of measure '" + std::string(whole) + "'" +
          (part != whole ? " (unknown part '" + std::string(part) + "')" : std::string()));
    }
    product.symbol += (product.symbol.empty() ? "" : "*") + std::string(u->symbol);
    product.dim = product.dim * u->dim;
    product.to_base *= u->to_base;
    if (star == std::string_view::npos) break;
    start = star + 1;
  }
  return product;
}

}  // namespace

std::string DimName(Dim dim) {
  static constexpr std::array<std::string_view, 7> kNames = {
      "energy", "mass", "volume", "emissions", "money", "distance", "count"};
  const std::array<std::int8_t, 7> exps = {dim.energy, dim.mass,     dim.volume, dim.emissions,
                                           dim.money,  dim.distance, dim.count};
  std::string num;
  std::string den;
  for (size_t i = 0; i < exps.size(); ++i) {
    std::string& side = exps[i] > 0 ? num : den;
    for (int k = 0; k < std::abs(exps[i]); ++k) {
      if (!side.empty()) side += '*';
      side += kNames[i];
    }
  }
  if (num.empty() && den.empty()) return "dimensionless";
  if (num.empty()) num = "1";
  return den.empty() ? num : num + "/" + den;
}

Result<Unit> ParseUnit(std::string_view text) {
  std::string norm = Normalize(text);
  if (norm.empty()) return Error::InvalidInput("empty unit of measure");
  size_t slash = norm.find('/');
  if (slash == std::string::npos) return ParseProduct(norm, text);
  if (norm.find('/', slash + 1) != std::string::npos) {
    return Error::InvalidInput("unit of measure '" + std::string(text) + "' has more than one '/'");
  }
  Result<Unit> num = ParseProduct(Trim(std::string_view{norm}.substr(0, slash)), text);
  if (!num.ok()) return num.error();
  Result<Unit> den = ParseProduct(Trim(std::string_view{norm}.substr(slash + 1)), text);
  if (!den.ok()) return den.error();
  return Unit{num->symbol + "/" + den->symbol, num->dim / den->dim, num->to_base / den->to_base};
}

}  // namespace cl
