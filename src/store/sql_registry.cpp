// The registry over sql::Db: units, sites, meters.
#include "sql_session.h"

namespace cl::sql {
namespace {

class SqlRegistry final : public RegistryRepository, private Part {
 public:
  explicit SqlRegistry(Session& session) : Part(session) {}

  Result<WriteOutcome> PutUnit(const UnitRecord& u, const Actor& by) override {
    return InTxn<WriteOutcome>([&]() -> Result<WriteOutcome> {
      auto old = GetUnit(u.id);
      if (!old.ok()) return old.error();
      if (old->has_value() && **old == u) return WriteOutcome::kUnchanged;
      CL_ASSIGN_OR_RETURN(
          auto q,
          Q(old->has_value() ? "UPDATE units SET credit_code=?, name_zh=?, name_en=?, province=?, "
                               "city=?, district=?, industry_code=?, floor_area_m2=? WHERE id=?"
                             : "INSERT INTO units (credit_code, name_zh, name_en, province, city, "
                               "district, industry_code, floor_area_m2, id) "
                               "VALUES (?,?,?,?,?,?,?,?,?)",
            u.credit_code, u.name_zh, u.name_en, u.province, u.city, u.district, u.industry_code,
            u.floor_area_m2, u.id));
      CL_RETURN_IF_ERROR(q.Run());
      CL_RETURN_IF_ERROR(Audit(by, old->has_value() ? "update" : "create", "unit", u.id,
                               old->has_value() ? UnitJson(**old).dump() : "", UnitJson(u).dump(),
                               ""));
      return old->has_value() ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
    });
  }

  Result<std::vector<UnitRecord>> ListUnits() override { return Units(""); }

  Result<std::optional<UnitRecord>> GetUnit(const std::string& id) override {
    auto all = Units(id);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<UnitRecord>();
    return std::optional<UnitRecord>(all->front());
  }

  Result<WriteOutcome> PutSite(const SiteRecord& site, const Actor& by) override {
    return InTxn<WriteOutcome>([&]() -> Result<WriteOutcome> {
      auto unit_no = UnitNo(site.unit_id);
      if (!unit_no.ok()) return unit_no.error();
      auto sites = Sites(*unit_no, site.id);
      if (!sites.ok()) return sites.error();
      std::optional<SiteRecord> old;
      if (!sites->empty()) old = sites->front();
      if (old && *old == site) return WriteOutcome::kUnchanged;
      CL_ASSIGN_OR_RETURN(
          auto q,
          Q(old ? "UPDATE sites SET name=?, district=?, time_zone=? WHERE unit_no=? AND id=?"
                : "INSERT INTO sites (name, district, time_zone, unit_no, id) "
                  "VALUES (?,?,?,?,?)",
            site.name, site.district, site.time_zone, *unit_no, site.id));
      CL_RETURN_IF_ERROR(q.Run());
      CL_RETURN_IF_ERROR(Audit(by, old ? "update" : "create", "site", site.unit_id + "/" + site.id,
                               old ? SiteJson(*old).dump() : "", SiteJson(site).dump(), ""));
      return old ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
    });
  }

  Result<std::vector<SiteRecord>> ListSites() override { return Sites(0, ""); }

  Result<WriteOutcome> PutMeter(const MeterRecord& m, const Actor& by) override {
    return InTxn<WriteOutcome>([&]() -> Result<WriteOutcome> {
      auto unit_no = UnitNo(m.unit_id);
      if (!unit_no.ok()) return unit_no.error();
      CL_RETURN_IF_ERROR(CheckSiteExists(*unit_no, m));
      auto old = GetMeter(m.id);
      if (!old.ok()) return old.error();
      if (old->has_value() && (*old)->SameDefinition(m)) return WriteOutcome::kUnchanged;
      if (old->has_value()) CL_RETURN_IF_ERROR(CheckMeterChange(**old, m));
      CL_RETURN_IF_ERROR(WriteMeter(*unit_no, m, old->has_value()));
      CL_RETURN_IF_ERROR(Audit(by, old->has_value() ? "update" : "create", "meter", m.id,
                               old->has_value() ? MeterJson(**old).dump() : "", MeterJson(m).dump(),
                               ""));
      return old->has_value() ? WriteOutcome::kUpdated : WriteOutcome::kInserted;
    });
  }

  Result<std::vector<MeterRecord>> ListMeters() override { return Meters(""); }

  Result<std::optional<MeterRecord>> GetMeter(const std::string& id) override {
    auto all = Meters(id);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<MeterRecord>();
    return std::optional<MeterRecord>(all->front());
  }

 private:
  Result<std::vector<UnitRecord>> Units(const std::string& id) {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT id, credit_code, name_zh, name_en, province, city, "
                                  "district, industry_code, floor_area_m2 FROM units "
                                  "WHERE ? = '' OR id = ? ORDER BY id",
                                  id, id));
    return q.All([](Row& r) {
      return UnitRecord{r.Text(), r.Text(), r.Text(), r.Text(),     r.Text(),
                        r.Text(), r.Text(), r.Text(), r.OptDouble()};
    });
  }

  Result<std::vector<SiteRecord>> Sites(int64_t unit_no, const std::string& id) {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT s.id, u.id, s.name, s.district, s.time_zone FROM sites s "
                                  "JOIN units u ON u.unit_no = s.unit_no "
                                  "WHERE (? = 0 OR s.unit_no = ?) AND (? = '' OR s.id = ?) "
                                  "ORDER BY u.id, s.id",
                                  unit_no, unit_no, id, id));
    return q.All([](Row& r) {
      return SiteRecord{r.Text(), r.Text(), r.Text(), r.Text(), r.Text()};
    });
  }

  Result<std::vector<MeterRecord>> Meters(const std::string& id) {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("SELECT m.id, u.id, m.site_id, m.carrier, m.unit_of_measure, m.reading_interval, "
                  "m.kind, m.rollover, m.multiplier, m.time_zone, m.meter_no, m.unit_no "
                  "FROM meters m JOIN units u ON u.unit_no = m.unit_no "
                  "WHERE ? = '' OR m.id = ? ORDER BY m.id",
                  id, id));
    return q.All([](Row& r) -> Result<MeterRecord> {
      MeterRecord m;
      m.id = r.Text();
      m.unit_id = r.Text();
      m.site_id = r.Text();
      m.carrier = r.Text();
      m.unit_of_measure = r.Text();
      auto interval = ParseMeterInterval(r.Text());
      auto kind = ParseMeterKind(r.Text());
      if (!interval.ok() || !kind.ok())
        return Error::Internal("meter '" + m.id + "' has a corrupt definition");
      m.interval = *interval;
      m.kind = *kind;
      m.rollover = r.OptDouble();
      m.multiplier = r.Double();
      m.time_zone = r.Text();
      m.meter_no = r.Int();
      m.unit_no = r.Int();
      return m;
    });
  }

  // A meter may name no site; a named one must exist in the meter's unit.
  Status CheckSiteExists(int64_t unit_no, const MeterRecord& m) {
    if (m.site_id.empty()) return Ok{};
    auto sites = Sites(unit_no, m.site_id);
    if (!sites.ok()) return sites.error();
    if (sites->empty())
      return Error::NotFound("site '" + m.site_id + "' of unit '" + m.unit_id + "' does not exist")
          .WithCode("site.not_found", {{"site", m.site_id}, {"unit", m.unit_id}});
    return Ok{};
  }

  // A meter never moves unit, and keeps how its readings are read once it has any.
  Status CheckMeterChange(const MeterRecord& o, const MeterRecord& m) {
    if (o.unit_id != m.unit_id)
      return Error::Conflict("meter '" + m.id + "' belongs to unit '" + o.unit_id +
                             "'; a meter cannot move to another unit")
          .WithCode("meter.other_unit", {{"meter", m.id}, {"owner", o.unit_id}});
    if (o.interval == m.interval && o.kind == m.kind && o.time_zone == m.time_zone &&
        o.multiplier == m.multiplier && o.rollover == m.rollover)
      return Ok{};
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT 1 FROM reading_chunks WHERE unit_no=? AND meter_no=? "
                                  "LIMIT 1",
                                  o.unit_no, o.meter_no));
    CL_ASSIGN_OR_RETURN(bool has_readings, q.Exists());
    if (has_readings)
      return Error::Conflict("meter '" + m.id +
                             "' has stored readings; its interval, kind, time zone, multiplier and "
                             "rollover cannot change (register a new meter from the change on)")
          .WithCode("meter.has_readings", {{"meter", m.id}});
    return Ok{};
  }

  Status WriteMeter(int64_t unit_no, const MeterRecord& m, bool exists) {
    CL_ASSIGN_OR_RETURN(
        auto q, Q(exists ? "UPDATE meters SET unit_no=?, site_id=?, carrier=?, unit_of_measure=?, "
                           "reading_interval=?, kind=?, rollover=?, multiplier=?, time_zone=? "
                           "WHERE id=?"
                         : "INSERT INTO meters (unit_no, site_id, carrier, unit_of_measure, "
                           "reading_interval, kind, rollover, multiplier, time_zone, id) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?)",
                  unit_no, m.site_id, m.carrier, m.unit_of_measure, MeterIntervalName(m.interval),
                  MeterKindName(m.kind), m.rollover, m.multiplier, m.time_zone, m.id));
    CL_RETURN_IF_ERROR(q.Run());
    return Ok{};
  }
};

}  // namespace

std::unique_ptr<RegistryRepository> MakeSqlRegistry(Session& session) {
  return std::make_unique<SqlRegistry>(session);
}

}  // namespace cl::sql
