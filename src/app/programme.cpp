#include "app/programme.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "app/store_service.h"
#include "core/timezone.h"

namespace cl {
namespace {

using json = nlohmann::json;
using std::chrono::sys_days;
using std::chrono::year_month_day;

double Num(const json& j, const char* key) {
  if (!j.is_object()) return 0.0;
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<double> OptNum(const json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string MonthKey(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()));
  return buf;
}

// The carrier of an inventory line's activity: "diesel:mobile" -> "diesel".
std::string CarrierOf(const std::string& activity) {
  return activity.substr(0, activity.find(':'));
}

// Adds a line's energy and emissions to the months of `year` its period
// covers, in proportion to the days in each.
void SpreadByDays(const json& line, int year,
                  std::map<std::pair<std::string, std::string>, MonthFigures>& months) {
  auto start = ParseDate(Str(line, "period_start"));
  auto end = ParseDate(Str(line, "period_end"));
  if (!start.ok() || !end.ok() || *end < *start) return;
  const double tce = Num(line, "energy_tce"), co2 = Num(line, "tco2e");
  if (tce == 0 && co2 == 0) return;  // output value, a zero record
  const std::string carrier = CarrierOf(Str(line, "activity"));
  const sys_days a{*start}, b{*end};
  const double days = static_cast<double>((b - a).count() + 1);
  for (sys_days d = a; d <= b;) {
    year_month_day ymd{d};
    year_month_day next_month{(ymd.year() / ymd.month() + std::chrono::months(1)) / 1};
    sys_days stop = std::min(sys_days{next_month}, b + std::chrono::days(1));
    const double share = static_cast<double>((stop - d).count()) / days;
    if (static_cast<int>(ymd.year()) == year) {
      MonthFigures& m = months[{MonthKey(ymd), carrier}];
      m.month = MonthKey(ymd);
      m.carrier = carrier;
      m.energy_tce += tce * share;
      m.tco2e += co2 * share;
    }
    d = stop;
  }
}

}  // namespace

Result<CityOverview> BuildCityOverview(Store& store, std::optional<int> asked, int fallback_year,
                                       const std::string& methodology, bool published_only) {
  CityOverview out;
  out.methodology = methodology;
  out.published_only = published_only;
  auto units = store.ListUnits();
  if (!units.ok()) return units.error();
  auto all = store.ListInventorySummaries();
  if (!all.ok()) return all.error();
  auto visible = [&](const InventoryRecord& inv) {
    return !inv.unit_id.empty() && inv.methodology == methodology &&
           (!published_only || inv.status == InventoryStatus::kPublished);
  };
  std::set<int> years;
  for (const auto& inv : *all)
    if (visible(inv)) years.insert(inv.year);
  const int year = asked ? *asked : years.empty() ? fallback_year : *years.rbegin();
  out.year = year;
  std::map<std::string, const InventoryRecord*> latest;  // by unit
  for (const auto& inv : *all) {
    if (!visible(inv) || inv.year != year) continue;
    const InventoryRecord*& best = latest[inv.unit_id];
    if (!best || inv.version > best->version) best = &inv;
  }
  out.years.assign(years.begin(), years.end());
  std::map<std::pair<std::string, std::string>, MonthFigures> months;
  for (const auto& u : *units) {
    auto it = latest.find(u.id);
    if (published_only && it == latest.end()) continue;
    UnitFigures f;
    f.unit_id = u.id;
    f.name_zh = u.name_zh;
    f.name_en = u.name_en;
    f.district = u.district;
    f.industry_code = u.industry_code;
    if (it != latest.end()) {
      auto rec = store.GetInventory(it->second->id);
      if (!rec.ok()) return rec.error();
      if (!rec->has_value()) continue;
      const InventoryRecord& inv = **rec;
      f.inventory_id = inv.id;
      f.version = inv.version;
      f.status = InventoryStatusName(inv.status);
      json doc = json::parse(inv.document, nullptr, false);
      const json* unit = nullptr;
      if (doc.is_object() && doc.contains("units") && doc["units"].is_array())
        for (const auto& x : doc["units"])
          if (Str(x, "unit_id") == u.id) unit = &x;
      if (unit) {
        f.energy_tce = Num(*unit, "energy_tce");
        f.total_tco2e = Num(*unit, "total_tco2e");
        f.scope1_tco2e = Num(*unit, "scope1_tco2e");
        f.scope2_tco2e = Num(*unit, "scope2_tco2e");
        if (auto in = unit->find("intensities"); in != unit->end() && in->is_object()) {
          // No output value recorded, or zero: no intensity (not 0, the best).
          f.output_10k_cny = OptNum(*in, "output_value_10k_cny");
          if (f.output_10k_cny && *f.output_10k_cny > 0) {
            f.tce_per_10k_cny = OptNum(*in, "tce_per_10k_cny");
            f.tco2e_per_10k_cny = OptNum(*in, "tco2e_per_10k_cny");
          }
        }
        if (auto ba = unit->find("by_activity"); ba != unit->end() && ba->is_object())
          for (const auto& [activity, v] : ba->items()) {
            if (Num(v, "energy_tce") == 0 && Num(v, "tco2e") == 0) continue;  // output value
            f.carrier_tce[CarrierOf(activity)] += Num(v, "energy_tce");
            f.carrier_tco2e[CarrierOf(activity)] += Num(v, "tco2e");
          }
        if (auto lines = unit->find("lines"); lines != unit->end() && lines->is_array())
          for (const auto& line : *lines) SpreadByDays(line, year, months);
      }
    }
    out.units.push_back(std::move(f));
  }
  for (auto& [k, m] : months) out.months.push_back(std::move(m));
  return out;
}

Result<std::vector<MeterCompleteness>> BuildCompleteness(
    Store& store, int year, Instant now, double coverage_ok,
    const std::optional<std::vector<std::string>>& units) {
  using namespace std::chrono;
  auto meters = store.ListMeters();
  if (!meters.ok()) return meters.error();
  const year_month_day first{std::chrono::year{year} / January / 1};
  const year_month_day last_of_year{std::chrono::year{year} / December / 31};
  const int first_month = year * 12;
  std::map<int64_t, std::map<int32_t, int64_t>> counts;  // meter_no -> month index -> readings
  auto st = store.ScanMonthTotals(first_month, first_month + 11, [&](const Store::MonthTotal& t) {
    counts[t.meter_no][t.month] += t.count;
  });
  if (!st.ok()) return st.error();
  std::map<std::string, TimeZone> zones;
  std::vector<MeterCompleteness> out;
  for (const auto& m : *meters) {
    if (units && std::find(units->begin(), units->end(), m.unit_id) == units->end()) continue;
    MeterCompleteness c;
    c.meter_id = m.id;
    c.unit_id = m.unit_id;
    c.site_id = m.site_id;
    c.carrier = m.carrier;
    c.interval = MeterIntervalName(m.interval);
    // Due through yesterday, local time.
    auto zone = zones.find(m.time_zone);
    if (zone == zones.end()) {
      auto z = TimeZone::Find(m.time_zone);
      if (!z.ok()) return z.error();
      zone = zones.emplace(m.time_zone, *z).first;
    }
    const year_month_day yesterday{zone->second.DayOf(now) - days(1)};
    const year_month_day until = std::min(yesterday, last_of_year);
    // From the meter's first stored day when it started during the year.
    year_month_day from = first;
    auto range = store.ChunkRange(m.unit_no, m.meter_no);
    if (!range.ok()) return range.error();
    if (*range) from = std::max(first, year_month_day{sys_days{days{(*range)->first}}});
    // Monthly meters keep no month totals: count their readings.
    std::map<int32_t, int64_t> monthly;
    if (m.interval == MeterInterval::kMonthly && until >= from) {
      auto read = ReadMeter(store, m, first, until);
      if (!read.ok()) return read.error();
      for (const auto& r : read->readings) {
        const year_month_day d{zone->second.DayOf(r.at)};
        ++monthly[static_cast<int>(d.year()) * 12 + static_cast<int>(unsigned(d.month())) - 1];
      }
    }
    const auto& mine = m.interval == MeterInterval::kMonthly ? monthly : counts[m.meter_no];
    bool last_due_empty = false;
    for (int mo = 0; mo < 12; ++mo) {
      const year_month_day month_start{std::chrono::year{year} /
                                       month(static_cast<unsigned>(mo + 1)) / 1};
      const year_month_day month_end{month_start.year() / month_start.month() / last};
      const year_month_day start = std::max(month_start, from);
      const year_month_day stop = std::min(month_end, until);
      if (stop < start) continue;
      const int64_t n_days = (sys_days{stop} - sys_days{start}).count() + 1;
      int64_t due = 0;
      const int seconds = IntervalSeconds(m.interval);
      if (seconds > 0)
        due = n_days * 86400 / seconds;
      else if (m.interval == MeterInterval::kDaily)
        due = n_days;
      else
        due = stop == month_end ? 1 : 0;  // monthly: due once the month is over
      auto it = mine.find(first_month + mo);
      const int64_t have = it == mine.end() ? 0 : it->second;
      if (have > 0) c.last_month = MonthKey(month_start);
      if (due == 0) continue;
      c.expected += due;
      c.stored += std::min(have, due);
      if (static_cast<double>(have) < coverage_ok * static_cast<double>(due))
        c.short_months.push_back(MonthKey(month_start));
      last_due_empty = have == 0;
    }
    const int32_t day_from = static_cast<int32_t>(sys_days{from}.time_since_epoch().count());
    const int32_t day_to = static_cast<int32_t>(sys_days{until}.time_since_epoch().count());
    for (const char* kind : {"gap", "incomplete_day", "missing_day"}) {
      auto flagged = store.FlagDays(m.meter_no, kind);
      if (!flagged.ok()) return flagged.error();
      int n = 0;
      for (int32_t d : *flagged) n += d >= day_from && d <= day_to;
      (std::string_view(kind) == "gap" ? c.gap_chunks : c.incomplete_days) += n;
    }
    if (c.expected > 0)
      c.coverage = static_cast<double>(c.stored) / static_cast<double>(c.expected);
    if (c.expected == 0)
      c.status = "not_due";
    else if (c.stored == 0)
      c.status = "no_data";
    else if (last_due_empty)
      c.status = "late";
    else if (!c.short_months.empty() || c.incomplete_days > 0)
      c.status = "incomplete";
    else if (c.gap_chunks > 0)
      c.status = "gaps";
    else
      c.status = "complete";
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace cl
