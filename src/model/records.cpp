#include "model/records.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace cl {
namespace {

struct IntervalName {
  MeterInterval interval;
  const char* name;
  int seconds;
};
constexpr std::array<IntervalName, 7> kIntervals = {{
    {MeterInterval::k1Min, "1min", 60},
    {MeterInterval::k5Min, "5min", 300},
    {MeterInterval::k15Min, "15min", 900},
    {MeterInterval::k30Min, "30min", 1800},
    {MeterInterval::k60Min, "60min", 3600},
    {MeterInterval::kDaily, "daily", 0},
    {MeterInterval::kMonthly, "monthly", 0},
}};

}  // namespace

const char* MeterIntervalName(MeterInterval i) {
  for (const auto& n : kIntervals)
    if (n.interval == i) return n.name;
  return "?";
}

int IntervalSeconds(MeterInterval i) {
  for (const auto& n : kIntervals)
    if (n.interval == i) return n.seconds;
  return 0;
}

Result<MeterInterval> ParseMeterInterval(std::string_view text) {
  for (const auto& n : kIntervals)
    if (text == n.name) return n.interval;
  // Common spellings.
  if (text == "1h" || text == "hourly" || text == "60" || text == "PT1H")
    return MeterInterval::k60Min;
  if (text == "15" || text == "PT15M") return MeterInterval::k15Min;
  if (text == "30" || text == "PT30M") return MeterInterval::k30Min;
  if (text == "5" || text == "PT5M") return MeterInterval::k5Min;
  if (text == "1" || text == "PT1M") return MeterInterval::k1Min;
  if (text == "day" || text == "P1D" || text == "日") return MeterInterval::kDaily;
  if (text == "month" || text == "P1M" || text == "月") return MeterInterval::kMonthly;
  return Error::InvalidInput("unknown interval '" + std::string(text) +
                             "' (use 1min, 5min, 15min, 30min, 60min, daily or monthly)");
}

const char* MeterKindName(MeterKind k) {
  return k == MeterKind::kInterval ? "interval" : "register";
}

Result<MeterKind> ParseMeterKind(std::string_view text) {
  if (text == "interval" || text == "consumption" || text == "间隔") return MeterKind::kInterval;
  if (text == "register" || text == "cumulative" || text == "累计") return MeterKind::kRegister;
  return Error::InvalidInput("unknown meter kind '" + std::string(text) +
                             "' (use interval or register)");
}

bool MeterRecord::SameDefinition(const MeterRecord& o) const {
  return id == o.id && unit_id == o.unit_id && site_id == o.site_id && carrier == o.carrier &&
         unit_of_measure == o.unit_of_measure && interval == o.interval && kind == o.kind &&
         rollover == o.rollover && multiplier == o.multiplier && time_zone == o.time_zone;
}

const char* BatchKindName(BatchKind k) {
  return k == BatchKind::kReadings ? "readings" : "activities";
}

std::string ActivityRow::Key() const {
  // Unit is the row's scope; what, where, which meter and when identify it.
  return site_id + '\x1f' + meter_id + '\x1f' + activity + '\x1f' + period_start + '\x1f' +
         period_end + '\x1f' + data_source + '\x1f' + instrument + '\x1f' + instrument_ids;
}

const char* InventoryStatusName(InventoryStatus s) {
  switch (s) {
    case InventoryStatus::kDraft:
      return "draft";
    case InventoryStatus::kSubmitted:
      return "submitted";
    case InventoryStatus::kReturned:
      return "returned";
    case InventoryStatus::kVerified:
      return "verified";
    case InventoryStatus::kPublished:
      return "published";
  }
  return "?";
}

bool InventoryTransitionAllowed(InventoryStatus from, InventoryStatus to) {
  using S = InventoryStatus;
  return (from == S::kDraft && to == S::kSubmitted) ||
         (from == S::kSubmitted && (to == S::kVerified || to == S::kReturned)) ||
         (from == S::kVerified && to == S::kPublished);
}

const std::vector<std::string>& ConsentScopes() {
  static const std::vector<std::string> scopes = {"totals", "intensities", "licence", "readings"};
  return scopes;
}

bool ConsentRecord::Allows(std::string_view scope, int year, int64_t now) const {
  if (revoked_at || now >= expires_at || year < year_from || year > year_to) return false;
  return std::ranges::any_of(scopes, [&](const std::string& s) { return s == scope; });
}

Result<InventoryStatus> ParseInventoryStatus(std::string_view text) {
  for (auto s : {InventoryStatus::kDraft, InventoryStatus::kSubmitted, InventoryStatus::kReturned,
                 InventoryStatus::kVerified, InventoryStatus::kPublished})
    if (text == InventoryStatusName(s)) return s;
  return Error::InvalidInput("unknown inventory status '" + std::string(text) + "'");
}

}  // namespace cl
