// The figures read model over sql::Db: two tables led by unit_no
// (inventory_figures, inventory_line_figures).
#include <algorithm>
#include <map>

#include "core/period.h"
#include "sql_session.h"

namespace cl::sql {
namespace {

template <typename Quantity>
std::optional<Quantity> OptBase(Row& r) {
  std::optional<double> v = r.OptDouble();
  if (!v) return std::nullopt;
  return Quantity::FromBase(*v);
}
template <typename Quantity>
std::optional<double> BaseOf(const std::optional<Quantity>& v) {
  if (!v) return std::nullopt;
  return v->base();
}

// The head columns, in the order Head() reads them.
constexpr const char* kHeadColumns =
    "SELECT f.inventory_id, u.id, f.year, f.methodology, f.version, f.state, f.datasets, "
    "f.energy_mj, f.scope1_kgco2e, f.scope2_kgco2e, f.scope2_location_kgco2e, "
    "f.scope2_market_kgco2e, f.scope3_kgco2e, f.total_kgco2e, f.biogenic_co2_kg, "
    "f.output_value_cny, f.tce_per_10k_cny, f.tco2e_per_10k_cny "
    "FROM inventory_figures f JOIN units u ON u.unit_no = f.unit_no ";

Result<InventoryFigures> Head(Row& r) {
  InventoryFigures f;
  f.inventory_id = r.Int();
  f.unit_id = r.Text();
  f.year = r.Int32();
  f.methodology = r.Text();
  f.version = r.Int32();
  CL_ASSIGN_OR_RETURN(f.state, ParseInventoryStatus(r.Text()));
  f.datasets = r.Text();
  f.energy = Energy::FromBase(r.Double());
  f.scope1 = Emissions::FromBase(r.Double());
  f.scope2 = Emissions::FromBase(r.Double());
  f.scope2_location = Emissions::FromBase(r.Double());
  f.scope2_market = OptBase<Emissions>(r);
  f.scope3 = Emissions::FromBase(r.Double());
  f.total = Emissions::FromBase(r.Double());
  f.biogenic_co2 = OptBase<Emissions>(r);
  f.output_value = OptBase<Money>(r);
  f.tce_per_10k_cny = r.OptDouble();
  f.tco2e_per_10k_cny = r.OptDouble();
  return f;
}

class SqlFigures final : public FiguresRepository, private Part {
 public:
  explicit SqlFigures(Session& session) : Part(session) {}

  Status PutFigures(int64_t inventory_id, const InventoryFigures& f) override {
    return InTxn<Ok>([&]() -> Result<Ok> {
      auto inv = s_.store().Inventories().GetInventoryHead(inventory_id);
      if (!inv.ok()) return inv.error();
      if (!inv->has_value() || (*inv)->unit_id.empty())
        return Error::NotFound("inventory " + std::to_string(inventory_id) +
                               " of a unit does not exist");
      const InventoryRecord& head = **inv;
      auto unit_no = UnitNo(head.unit_id);
      if (!unit_no.ok()) return unit_no.error();
      auto have = Has(*unit_no, inventory_id);
      if (!have.ok()) return have.error();
      if (*have)
        return Error::Conflict("inventory " + std::to_string(inventory_id) + " has figures");
      CL_RETURN_IF_ERROR(InsertHead(*unit_no, head, f));
      for (const LineFigures& l : f.lines)
        CL_RETURN_IF_ERROR(InsertLine(*unit_no, inventory_id, l));
      return Ok{};
    });
  }

  Result<std::optional<InventoryFigures>> GetFigures(int64_t inventory_id) override {
    CL_ASSIGN_OR_RETURN(auto all, Figures("WHERE f.inventory_id = ?", inventory_id));
    if (all.empty()) return std::optional<InventoryFigures>();
    return std::optional<InventoryFigures>(std::move(all.front()));
  }

  Result<std::vector<InventoryFigures>> ListFigures(int year,
                                                    const std::string& methodology) override {
    return Figures("WHERE f.year = ? AND f.methodology = ?", year, methodology);
  }

 private:
  Result<bool> Has(int64_t unit_no, int64_t inventory_id) {
    CL_ASSIGN_OR_RETURN(auto q, Q("SELECT 1 FROM inventory_figures WHERE unit_no=? AND "
                                  "inventory_id=?",
                                  unit_no, inventory_id));
    return q.Exists();
  }

  Status InsertHead(int64_t unit_no, const InventoryRecord& inv, const InventoryFigures& f) {
    CL_ASSIGN_OR_RETURN(
        auto q,
        Q("INSERT INTO inventory_figures (unit_no, inventory_id, year, methodology, version, "
          "state, datasets, energy_mj, scope1_kgco2e, scope2_kgco2e, scope2_location_kgco2e, "
          "scope2_market_kgco2e, scope3_kgco2e, total_kgco2e, biogenic_co2_kg, output_value_cny, "
          "tce_per_10k_cny, tco2e_per_10k_cny) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
          unit_no, inv.id, inv.year, inv.methodology, inv.version, InventoryStatusName(inv.status),
          inv.pins, f.energy.base(), f.scope1.base(), f.scope2.base(), f.scope2_location.base(),
          BaseOf(f.scope2_market), f.scope3.base(), f.total.base(), BaseOf(f.biogenic_co2),
          BaseOf(f.output_value), f.tce_per_10k_cny, f.tco2e_per_10k_cny));
    CL_RETURN_IF_ERROR(q.Run());
    return Ok{};
  }

  Status InsertLine(int64_t unit_no, int64_t id, const LineFigures& l) {
    CL_ASSIGN_OR_RETURN(
        auto q, Q("INSERT INTO inventory_line_figures (unit_no, inventory_id, line, carrier, "
                  "scope, period_start, period_end, energy_mj, emissions_kgco2e) "
                  "VALUES (?,?,?,?,?,?,?,?,?)",
                  unit_no, id, l.line, l.carrier, l.scope, FormatDate(l.period.start),
                  FormatDate(l.period.end), l.energy.base(), l.emissions.base()));
    CL_RETURN_IF_ERROR(q.Run());
    return Ok{};
  }

  // The figures whose head matches `where` (over inventory_figures f, with
  // `params`), with their lines: two statements, whatever their number.
  template <typename... Params>
  Result<std::vector<InventoryFigures>> Figures(const std::string& where, const Params&... params) {
    std::vector<InventoryFigures> out;
    {
      CL_ASSIGN_OR_RETURN(auto q, Q(kHeadColumns + where + " ORDER BY f.inventory_id", params...));
      CL_ASSIGN_OR_RETURN(out, q.All(Head));
    }
    if (out.empty()) return out;
    std::map<int64_t, size_t> at;  // inventory id -> index in out
    for (size_t i = 0; i < out.size(); ++i) at[out[i].inventory_id] = i;
    CL_ASSIGN_OR_RETURN(
        auto lines,
        Q("SELECT l.inventory_id, l.line, l.carrier, l.scope, l.period_start, l.period_end, "
          "l.energy_mj, l.emissions_kgco2e FROM inventory_line_figures l JOIN inventory_figures f "
          "ON f.unit_no = l.unit_no AND f.inventory_id = l.inventory_id " +
              where,
          params...));
    CL_RETURN_IF_ERROR(lines.Each([&](Row& r) -> Status {
      auto it = at.find(r.Int());
      LineFigures l;
      l.line = r.Int32();
      l.carrier = r.Text();
      l.scope = r.Int32();
      CL_ASSIGN_OR_RETURN(l.period.start, ParseDate(r.Text()));
      CL_ASSIGN_OR_RETURN(l.period.end, ParseDate(r.Text()));
      l.energy = Energy::FromBase(r.Double());
      l.emissions = Emissions::FromBase(r.Double());
      if (it != at.end()) out[it->second].lines.push_back(std::move(l));
      return Ok{};
    }));
    // In the document's order, whatever order the rows came in.
    for (InventoryFigures& f : out)
      std::sort(f.lines.begin(), f.lines.end(),
                [](const LineFigures& a, const LineFigures& b) { return a.line < b.line; });
    return out;
  }
};

}  // namespace

std::unique_ptr<FiguresRepository> MakeSqlFigures(Session& session) {
  return std::make_unique<SqlFigures>(session);
}

}  // namespace cl::sql
