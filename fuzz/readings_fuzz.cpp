// Feeds arbitrary bytes to the readings importer (CSV and JSON Lines, through
// the streaming decoder, the record splitter, timestamp and number parsing,
// VEE and the merge into a real SQLite store) and to the chunk decoder. Any
// crash, UB or hang is a bug: every input must become stored readings or
// rejects.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "ingest/ingest.h"
#include "refdata/reference_store.h"
#include "store/chunk.h"
#include "store/store.h"

namespace {

struct World {
  std::unique_ptr<cl::Store> store;
  cl::ImportOptions options;
  std::string dir, csv_path, jsonl_path;
  int runs = 0;
};

// A fresh in-memory store with one unit, one site and a meter of each kind.
void Register(World& x) {
  auto s = cl::OpenStore(":memory:");
  if (!s.ok()) __builtin_trap();
  x.store = std::move(*s);
  static auto data = cl::LoadReferenceData(CL_SOURCE_DATA_DIR);
  if (!data.ok()) __builtin_trap();
  cl::Actor a;
  if (!cl::ImportUnits(*x.store, x.dir + "/units.csv", data.value()->regions, a).ok() ||
      !cl::ImportSites(*x.store, x.dir + "/sites.csv", a).ok() ||
      !cl::ImportMeters(*x.store, x.dir + "/meters.csv", data.value()->catalog, a).ok())
    __builtin_trap();
}

World& TheWorld() {
  static World w = [] {
    World x;
    x.dir = "/tmp/cl_readings_fuzz_" + std::to_string(::getpid());
    std::string mk = "mkdir -p " + x.dir;
    if (std::system(mk.c_str()) != 0) __builtin_trap();
    x.csv_path = x.dir + "/in.csv";
    x.jsonl_path = x.dir + "/in.jsonl";
    std::ofstream(x.dir + "/units.csv")
        << "unit_id,credit_code,name_zh,province\nU1,9131011513572468XU,甲,310000\n";
    std::ofstream(x.dir + "/sites.csv") << "unit_id,site_id\nU1,S1\n";
    std::ofstream(x.dir + "/meters.csv")
        << "meter_id,unit_id,site_id,carrier,unit_of_measure,interval,kind,rollover,multiplier\n"
           "M1,U1,S1,electricity,kWh,15min,interval,,1\n"
           "M2,U1,S1,natural_gas,m3,60min,register,99999,2\n"
           "M3,U1,S1,heat,GJ,daily,interval,,1\n"
           "M4,U1,S1,heat,GJ,monthly,interval,,1\n";
    Register(x);
    auto vee = cl::LoadVeeSettings(CL_SOURCE_DATA_DIR);
    if (!vee.ok()) __builtin_trap();
    x.options.vee = *vee;
    x.options.now = *cl::ParseInstant("2026-01-01T00:00:00Z");
    return x;
  }();
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  (void)cl::DecodeChunk(bytes);
  World& w = TheWorld();
  if (++w.runs % 256 == 0) Register(w);  // a fresh store now and then keeps runs fast
  const bool jsonl = data[0] & 1;
  const std::string& path = jsonl ? w.jsonl_path : w.csv_path;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<long>(bytes.size()));
  cl::ReadingsMapping mapping;
  mapping.timestamps_mark_end = data[0] & 2;
  auto r = cl::ImportReadings(*w.store, path, mapping, w.options);
  if (!r.ok() && r.error().kind() == cl::ErrorKind::kInternal) __builtin_trap();
  return 0;
}
