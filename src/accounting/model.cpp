#include "accounting/model.h"

#include "accounting/inventory.h"

namespace cl {

const char* DataSourceName(DataSource s) {
  switch (s) {
    case DataSource::kMeter:
      return "meter";
    case DataSource::kBill:
      return "bill";
    case DataSource::kManual:
      return "manual";
    case DataSource::kEstimate:
      return "estimate";
  }
  return "bill";
}

const char* InstrumentName(Instrument i) {
  switch (i) {
    case Instrument::kNone:
      return "";
    case Instrument::kGreenPowerInterprovincial:
      return "green_power_interprovincial";
    case Instrument::kGreenPowerContract:
      return "green_power_contract";
    case Instrument::kGec:
      return "gec";
  }
  return "";
}

double UnitInventory::TcePer10kCny() const {
  if (!has_output_value || output_value.base() == 0.0) return 0.0;
  return In(energy, units::kTce) / In(output_value, units::kTenThousandCny);
}

double UnitInventory::Tco2ePer10kCny() const {
  if (!has_output_value || output_value.base() == 0.0) return 0.0;
  return In(scope1 + scope2, units::kTCO2e) / In(output_value, units::kTenThousandCny);
}

}  // namespace cl
