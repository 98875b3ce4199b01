// Feeds arbitrary bytes to the CSV tokenizer, the encoding detector and both
// template readers. Any crash, leak, UB or hang is a bug: the readers must
// turn every input into records or errors.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/csv.h"
#include "core/encoding.h"
#include "core/units.h"
#include "formats/templates.h"
#include "refdata/reference_store.h"

namespace {

const cl::ReferenceData& Data() {
  static auto data = cl::LoadReferenceData(CL_SOURCE_DATA_DIR);
  if (!data.ok()) __builtin_trap();
  return *data.value();
}

const std::vector<cl::ReportingUnit>& Units() {
  static const std::vector<cl::ReportingUnit> units = [] {
    std::string text = "unit_id,credit_code,name_zh,province\nU1,9131011513572468XU,甲,310000\n";
    return cl::ParseUnitsFile(text, "units.csv", Data().regions).value();
  }();
  return units;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)cl::DecodeText(bytes, "fuzz.csv");
  (void)cl::ParseCsv(bytes, "fuzz.csv");
  (void)cl::ParseUnit(bytes.substr(0, 64));
  (void)cl::ParseUnitsFile(bytes, "units.csv", Data().regions);
  (void)cl::ParseActivitiesFile(bytes, "activities.csv", Units(), Data().catalog, 2023);
  return 0;
}
