// Physical bounds (data/bounds.csv): the largest plausible quantity of a
// carrier per hour, so that a reading or an activity beyond what any site can
// use is refused, and so that the sums of accepted numbers cannot overflow.
//
// A row states a limit per hour in one unit of measure for one carrier (an
// activity code) or for every carrier ("*"); it holds for every unit of the
// same dimension by conversion. A carrier's own row wins over "*"; the "*"
// row whose unit is "any" holds for a dimension no other row names, in the
// quantity's own unit. Plain values: safe to copy and share once parsed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/units.h"

namespace cl {

// The limit of one quantity: the largest plausible magnitude, in the
// quantity's unit, and the row it comes from, for a reject's message.
struct Bound {
  double limit = 0;
  std::string rule;  // "25000000 kWh per hour for electricity (bounds.csv:2)"
};

class PhysicalBounds {
 public:
  // The rows of bounds.csv (carrier,max_per_hour,unit,source); every error
  // with file:line:column. A limit is a positive finite number; the unit
  // parses (or is "any", on a "*" row); a carrier and dimension appear once.
  static Checked<PhysicalBounds> Parse(std::string_view csv, const std::string& source);

  // The limit of a quantity of `carrier` (an activity code; the part before
  // ':' counts) in `unit` over `hours`; nullopt when no row applies (no
  // bounds loaded).
  std::optional<Bound> Limit(std::string_view carrier, const Unit& unit, double hours) const;

  // Whether |value| is within the bound; false for a number that is not finite.
  // `what` names the quantity in the message ("a 15min reading").
  Status Check(double value, std::string_view carrier, const Unit& unit, double hours,
               std::string_view what) const;

  bool empty() const { return rows_.empty(); }

 private:
  struct Row {
    std::string carrier;       // "*": any
    double per_hour = 0;       // in `unit`
    std::optional<Unit> unit;  // none: "any", the quantity's own unit
    std::string text;          // the rule as the message quotes it
  };
  const Row* Find(std::string_view carrier, const Unit& unit) const;
  std::vector<Row> rows_;
};

// Whether a sum (or any computed number) is finite; else an error naming
// `what` ("the day total of meter 'E1' on 2025-01-01"), so that a number that
// overflowed is refused before it is stored or shown.
Status CheckFinite(double value, const std::string& what);

}  // namespace cl
