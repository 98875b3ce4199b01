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
      auto st = Q(old->has_value()
                      ? "UPDATE units SET credit_code=?, name_zh=?, name_en=?, province=?, city=?, "
                        "district=?, industry_code=? WHERE id=?"
                      : "INSERT INTO units (credit_code, name_zh, name_en, province, city, "
                        "district, industry_code, id) VALUES (?,?,?,?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, u.credit_code);
      s->BindText(2, u.name_zh);
      s->BindText(3, u.name_en);
      s->BindText(4, u.province);
      s->BindText(5, u.city);
      s->BindText(6, u.district);
      s->BindText(7, u.industry_code);
      s->BindText(8, u.id);
      CL_RETURN_IF_ERROR(s->Step());
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
      auto st = Q(old ? "UPDATE sites SET name=?, district=?, time_zone=? WHERE unit_no=? AND id=?"
                      : "INSERT INTO sites (name, district, time_zone, unit_no, id) "
                        "VALUES (?,?,?,?,?)");
      if (!st.ok()) return st.error();
      Statement* s = *st;
      s->BindText(1, site.name);
      s->BindText(2, site.district);
      s->BindText(3, site.time_zone);
      s->BindInt(4, *unit_no);
      s->BindText(5, site.id);
      CL_RETURN_IF_ERROR(s->Step());
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
    auto st =
        Q("SELECT id, credit_code, name_zh, name_en, province, city, district, "
          "industry_code FROM units WHERE ? = '' OR id = ? ORDER BY id");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, id);
    (*st)->BindText(2, id);
    std::vector<UnitRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({s->Text(0), s->Text(1), s->Text(2), s->Text(3), s->Text(4), s->Text(5),
                     s->Text(6), s->Text(7)});
    }
    return out;
  }

  Result<std::vector<SiteRecord>> Sites(int64_t unit_no, const std::string& id) {
    auto st =
        Q("SELECT s.id, u.id, s.name, s.district, s.time_zone FROM sites s "
          "JOIN units u ON u.unit_no = s.unit_no WHERE (? = 0 OR s.unit_no = ?) "
          "AND (? = '' OR s.id = ?) ORDER BY u.id, s.id");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, unit_no);
    (*st)->BindInt(2, unit_no);
    (*st)->BindText(3, id);
    (*st)->BindText(4, id);
    std::vector<SiteRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      out.push_back({s->Text(0), s->Text(1), s->Text(2), s->Text(3), s->Text(4)});
    }
    return out;
  }

  Result<std::vector<MeterRecord>> Meters(const std::string& id) {
    auto st =
        Q("SELECT m.id, u.id, m.site_id, m.carrier, m.unit_of_measure, m.reading_interval, "
          "m.kind, m.rollover, m.multiplier, m.time_zone, m.meter_no, m.unit_no "
          "FROM meters m JOIN units u ON u.unit_no = m.unit_no "
          "WHERE ? = '' OR m.id = ? ORDER BY m.id");
    if (!st.ok()) return st.error();
    (*st)->BindText(1, id);
    (*st)->BindText(2, id);
    std::vector<MeterRecord> out;
    for (;;) {
      auto row = (*st)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Statement* s = *st;
      MeterRecord m;
      m.id = s->Text(0);
      m.unit_id = s->Text(1);
      m.site_id = s->Text(2);
      m.carrier = s->Text(3);
      m.unit_of_measure = s->Text(4);
      auto interval = ParseMeterInterval(s->Text(5));
      auto kind = ParseMeterKind(s->Text(6));
      if (!interval.ok() || !kind.ok())
        return Error(ErrorKind::kInternal, "meter '" + m.id + "' has a corrupt definition");
      m.interval = *interval;
      m.kind = *kind;
      if (!s->IsNull(7)) m.rollover = s->Double(7);
      m.multiplier = s->Double(8);
      m.time_zone = s->Text(9);
      m.meter_no = s->Int(10);
      m.unit_no = s->Int(11);
      out.push_back(std::move(m));
    }
    return out;
  }

  // A meter may name no site; a named one must exist in the meter's unit.
  Status CheckSiteExists(int64_t unit_no, const MeterRecord& m) {
    if (m.site_id.empty()) return Ok{};
    auto sites = Sites(unit_no, m.site_id);
    if (!sites.ok()) return sites.error();
    if (sites->empty())
      return Error::NotFound("site '" + m.site_id + "' of unit '" + m.unit_id + "' does not exist");
    return Ok{};
  }

  // A meter never moves unit, and keeps how its readings are read once it has any.
  Status CheckMeterChange(const MeterRecord& o, const MeterRecord& m) {
    if (o.unit_id != m.unit_id)
      return Error::Conflict("meter '" + m.id + "' belongs to unit '" + o.unit_id +
                             "'; a meter cannot move to another unit");
    if (o.interval == m.interval && o.kind == m.kind && o.time_zone == m.time_zone &&
        o.multiplier == m.multiplier && o.rollover == m.rollover)
      return Ok{};
    auto has = Q("SELECT 1 FROM reading_chunks WHERE unit_no=? AND meter_no=? LIMIT 1");
    if (!has.ok()) return has.error();
    (*has)->BindInt(1, o.unit_no);
    (*has)->BindInt(2, o.meter_no);
    auto row = (*has)->Step();
    if (!row.ok()) return row.error();
    if (*row)
      return Error::Conflict("meter '" + m.id +
                             "' has stored readings; its interval, kind, time zone, multiplier and "
                             "rollover cannot change (register a new meter from the change on)");
    return Ok{};
  }

  Status WriteMeter(int64_t unit_no, const MeterRecord& m, bool exists) {
    auto st = Q(exists ? "UPDATE meters SET unit_no=?, site_id=?, carrier=?, unit_of_measure=?, "
                         "reading_interval=?, kind=?, rollover=?, multiplier=?, time_zone=? "
                         "WHERE id=?"
                       : "INSERT INTO meters (unit_no, site_id, carrier, unit_of_measure, "
                         "reading_interval, kind, rollover, multiplier, time_zone, id) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?)");
    if (!st.ok()) return st.error();
    Statement* s = *st;
    s->BindInt(1, unit_no);
    s->BindText(2, m.site_id);
    s->BindText(3, m.carrier);
    s->BindText(4, m.unit_of_measure);
    s->BindText(5, MeterIntervalName(m.interval));
    s->BindText(6, MeterKindName(m.kind));
    if (m.rollover) {
      s->BindDouble(7, *m.rollover);
    } else {
      s->BindNull(7);
    }
    s->BindDouble(8, m.multiplier);
    s->BindText(9, m.time_zone);
    s->BindText(10, m.id);
    CL_RETURN_IF_ERROR(s->Step());
    return Ok{};
  }
};

}  // namespace

std::unique_ptr<RegistryRepository> MakeSqlRegistry(Session& session) {
  return std::make_unique<SqlRegistry>(session);
}

}  // namespace cl::sql
