// Units of measure as types.
//
// A quantity's dimension is part of its type: Energy + Mass does not compile,
// and Energy * EmissionsPerEnergy is Emissions. Values are held in base units
// (MJ, kg, m3, kgCO2e, CNY, km, item); a Unit converts to and from them.
// Text from data files is parsed into a runtime Unit (ParseUnit) and checked
// against the dimension the code expects (QuantityFrom), so a wrong unit in
// data is an error value, never a silent conversion.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cl {

// Exponents of the base dimensions. Carbon mass (tC) is a mass; CO2e mass is
// its own dimension, "emissions", so fuel mass and emissions never mix.
struct Dim {
  std::int8_t energy = 0;
  std::int8_t mass = 0;
  std::int8_t volume = 0;
  std::int8_t emissions = 0;
  std::int8_t money = 0;
  std::int8_t distance = 0;
  std::int8_t count = 0;

  constexpr Dim operator*(Dim o) const {
    return {static_cast<std::int8_t>(energy + o.energy),
            static_cast<std::int8_t>(mass + o.mass),
            static_cast<std::int8_t>(volume + o.volume),
            static_cast<std::int8_t>(emissions + o.emissions),
            static_cast<std::int8_t>(money + o.money),
            static_cast<std::int8_t>(distance + o.distance),
            static_cast<std::int8_t>(count + o.count)};
  }
  constexpr Dim Inverse() const {
    return {static_cast<std::int8_t>(-energy), static_cast<std::int8_t>(-mass),
            static_cast<std::int8_t>(-volume), static_cast<std::int8_t>(-emissions),
            static_cast<std::int8_t>(-money),  static_cast<std::int8_t>(-distance),
            static_cast<std::int8_t>(-count)};
  }
  constexpr Dim operator/(Dim o) const { return *this * o.Inverse(); }
  constexpr bool operator==(const Dim&) const = default;
};

inline constexpr Dim kDimensionless{};
inline constexpr Dim kEnergyDim{.energy = 1};
inline constexpr Dim kMassDim{.mass = 1};
inline constexpr Dim kVolumeDim{.volume = 1};
inline constexpr Dim kEmissionsDim{.emissions = 1};
inline constexpr Dim kMoneyDim{.money = 1};
inline constexpr Dim kDistanceDim{.distance = 1};
inline constexpr Dim kCountDim{.count = 1};

// "energy", "emissions/energy", "mass*distance", "dimensionless".
std::string DimName(Dim dim);

template <Dim D>
class Quantity {
 public:
  static constexpr Dim kDim = D;
  constexpr Quantity() = default;
  static constexpr Quantity FromBase(double base) { return Quantity(base); }
  constexpr double base() const { return base_; }

  constexpr Quantity operator+(Quantity o) const { return Quantity(base_ + o.base_); }
  constexpr Quantity operator-(Quantity o) const { return Quantity(base_ - o.base_); }
  constexpr Quantity operator-() const { return Quantity(-base_); }
  constexpr Quantity& operator+=(Quantity o) {
    base_ += o.base_;
    return *this;
  }
  constexpr Quantity& operator-=(Quantity o) {
    base_ -= o.base_;
    return *this;
  }
  constexpr Quantity operator*(double k) const { return Quantity(base_ * k); }
  constexpr Quantity operator/(double k) const { return Quantity(base_ / k); }
  constexpr bool operator==(const Quantity&) const = default;
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
  constexpr auto operator<=>(const Quantity&) const = default;

 private:
  constexpr explicit Quantity(double base) : base_(base) {}
  double base_ = 0.0;
};

template <Dim A, Dim B>
constexpr Quantity<A * B> operator*(Quantity<A> a, Quantity<B> b) {
  return Quantity<A * B>::FromBase(a.base() * b.base());
}
template <Dim A, Dim B>
constexpr Quantity<A / B> operator/(Quantity<A> a, Quantity<B> b) {
  return Quantity<A / B>::FromBase(a.base() / b.base());
}
template <Dim D>
constexpr Quantity<D> operator*(double k, Quantity<D> q) {
  return q * k;
}

using Ratio = Quantity<kDimensionless>;
using Energy = Quantity<kEnergyDim>;
using Mass = Quantity<kMassDim>;
using Volume = Quantity<kVolumeDim>;
using Emissions = Quantity<kEmissionsDim>;
using Money = Quantity<kMoneyDim>;
using Distance = Quantity<kDistanceDim>;
using EmissionsPerEnergy = Quantity<kEmissionsDim / kEnergyDim>;
using EnergyPerEnergy = Quantity<kEnergyDim / kEnergyDim>;

// A unit known at compile time: `14500.0 * units::kMWh`, `q.In(units::kTce)`.
template <Dim D>
struct UnitOf {
  const char* symbol;
  double to_base;
};
template <Dim D>
constexpr Quantity<D> operator*(double v, UnitOf<D> u) {
  return Quantity<D>::FromBase(v * u.to_base);
}
template <Dim D>
constexpr double In(Quantity<D> q, UnitOf<D> u) {
  return q.base() / u.to_base;
}

// The conversion constants below are definitions of units, not domain factors:
// 1 kWh = 3.6 MJ; 1 kgce = 29.3076 MJ (7 000 kcal, GB/T 2589).
namespace units {
inline constexpr UnitOf<kEnergyDim> kMJ{"MJ", 1.0};
inline constexpr UnitOf<kEnergyDim> kGJ{"GJ", 1e3};
inline constexpr UnitOf<kEnergyDim> kKWh{"kWh", 3.6};
inline constexpr UnitOf<kEnergyDim> kMWh{"MWh", 3.6e3};
inline constexpr UnitOf<kEnergyDim> kKgce{"kgce", 29.3076};
inline constexpr UnitOf<kEnergyDim> kTce{"tce", 29307.6};
inline constexpr UnitOf<kMassDim> kKg{"kg", 1.0};
inline constexpr UnitOf<kMassDim> kTonne{"t", 1e3};
inline constexpr UnitOf<kVolumeDim> kM3{"m3", 1.0};
inline constexpr UnitOf<kEmissionsDim> kKgCO2e{"kgCO2e", 1.0};
inline constexpr UnitOf<kEmissionsDim> kTCO2e{"tCO2e", 1e3};
inline constexpr UnitOf<kMoneyDim> kCny{"CNY", 1.0};
inline constexpr UnitOf<kMoneyDim> kTenThousandCny{"10^4 CNY", 1e4};
}  // namespace units

// A unit read from text. `symbol` is the canonical spelling.
struct Unit {
  std::string symbol;
  Dim dim;
  double to_base = 1.0;
};

// Parses "kWh", "万千瓦时", "10^4 m3", "tCO2/MWh", "t*km", "kgCO2e/CNY".
// Fails with a message naming the text when any part is unknown.
Result<Unit> ParseUnit(std::string_view text);

// A number in a runtime unit, as read from a file.
struct Measured {
  double value = 0.0;
  Unit unit;
  double base() const { return value * unit.to_base; }
};

// The measured value as a typed quantity; an error if its unit has another
// dimension ("unit 'kWh' is energy; expected mass").
template <Dim D>
Result<Quantity<D>> QuantityFrom(const Measured& m) {
  if (!(m.unit.dim == D)) {
    return Error::InvalidInput("unit '" + m.unit.symbol + "' is " + DimName(m.unit.dim) +
                               "; expected " + DimName(D));
  }
  return Quantity<D>::FromBase(m.base());
}

}  // namespace cl
