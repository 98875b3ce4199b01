#include "accounting/bounds.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/csv.h"

namespace cl {
namespace {

constexpr size_t kColumns = 4;

// A number as the messages print it: "6250000", "1e+308".
std::string Short(double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.10g", v);
  return {buf, static_cast<size_t>(n)};
}

bool PositiveNumber(std::string_view s, double& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(out) && out > 0;
}

}  // namespace

Checked<PhysicalBounds> PhysicalBounds::Parse(std::string_view csv, const std::string& source) {
  CsvTable table = ParseCsv(csv, source);
  ErrorList errors = table.errors;
  PhysicalBounds out;
  for (size_t i = 1; i < table.records.size(); ++i) {
    const CsvRecord& r = table.records[i];
    auto at = [&](int column, const char* field) {
      return Location{source, r.line, column, field};
    };
    if (r.fields.size() != kColumns) {
      errors.Add(Error::InvalidInput("expected 4 columns", at(0, "")));
      continue;
    }
    Row row;
    row.carrier = r.fields[0];
    if (row.carrier.empty()) errors.Add(Error::InvalidInput("a carrier or '*'", at(1, "carrier")));
    if (!PositiveNumber(r.fields[1], row.per_hour))
      errors.Add(Error::InvalidInput("a positive finite number", at(2, "max_per_hour")));
    if (r.fields[2] == "any") {
      if (row.carrier != "*")
        errors.Add(Error::InvalidInput("'any' only on a '*' row", at(3, "unit")));
    } else if (auto unit = ParseUnit(r.fields[2]); unit.ok()) {
      row.unit = *unit;
    } else {
      errors.Add(Error::InvalidInput(unit.error().message(), at(3, "unit")));
      continue;
    }
    if (r.fields[3].empty()) errors.Add(Error::InvalidInput("a source", at(4, "source")));
    for (const Row& seen : out.rows_)
      if (seen.carrier == row.carrier && seen.unit.has_value() == row.unit.has_value() &&
          (!row.unit || seen.unit->dim == row.unit->dim))
        errors.Add(
            Error::InvalidInput("a second row for this carrier and dimension", at(3, "unit")));
    // The file by its name alone: a reject never shows the server's paths.
    row.text = r.fields[1] + " " + r.fields[2] + " per hour for " +
               (row.carrier == "*" ? std::string("any carrier") : row.carrier) + " (" +
               std::filesystem::path(source).filename().string() + ":" + std::to_string(r.line) +
               ")";
    out.rows_.push_back(std::move(row));
  }
  if (!errors.empty()) return errors;
  return out;
}

const PhysicalBounds::Row* PhysicalBounds::Find(std::string_view carrier, const Unit& unit) const {
  carrier = carrier.substr(0, carrier.find(':'));
  const Row* any = nullptr;
  const Row* star = nullptr;
  for (const Row& r : rows_) {
    if (!r.unit) {
      any = &r;
      continue;
    }
    if (!(r.unit->dim == unit.dim)) continue;
    if (r.carrier == carrier) return &r;
    if (r.carrier == "*") star = &r;
  }
  return star ? star : any;
}

std::optional<Bound> PhysicalBounds::Limit(std::string_view carrier, const Unit& unit,
                                           double hours) const {
  const Row* r = Find(carrier, unit);
  if (!r) return std::nullopt;
  const double per_hour = r->unit ? r->per_hour * r->unit->to_base / unit.to_base : r->per_hour;
  return Bound{per_hour * hours, r->text};
}

Status PhysicalBounds::Check(double value, std::string_view carrier, const Unit& unit, double hours,
                             std::string_view what) const {
  if (!std::isfinite(value))
    return Error::InvalidInput(std::string(what) + " is not a finite number");
  std::optional<Bound> b = Limit(carrier, unit, hours);
  if (!b || std::fabs(value) <= b->limit) return Ok{};
  return Error::InvalidInput(std::string(what) + " of " + Short(value) + " " + unit.symbol +
                             " is beyond the physical bound of " + Short(b->limit) + " " +
                             unit.symbol + " (" + b->rule + ")");
}

Status CheckFinite(double value, const std::string& what) {
  if (std::isfinite(value)) return Ok{};
  return Error::InvalidInput(what +
                             " is not a finite number (a sum overflowed); correct the "
                             "numbers it sums, which lie beyond physical bounds");
}

}  // namespace cl
