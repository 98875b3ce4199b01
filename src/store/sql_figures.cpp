// The figures read model over sql::Db: two tables led by unit_no
// (inventory_figures, inventory_line_figures).
#include <algorithm>
#include <map>

#include "core/period.h"
#include "sql_session.h"

namespace cl::sql {
namespace {

std::optional<double> OptDouble(Statement* s, int col) {
  if (s->IsNull(col)) return std::nullopt;
  return s->Double(col);
}
template <typename Q>
std::optional<Q> OptBase(Statement* s, int col) {
  if (s->IsNull(col)) return std::nullopt;
  return Q::FromBase(s->Double(col));
}
void BindOpt(Statement* s, int i, std::optional<double> v) {
  if (v)
    s->BindDouble(i, *v);
  else
    s->BindNull(i);
}
template <typename Q>
void BindOptBase(Statement* s, int i, const std::optional<Q>& v) {
  if (v)
    s->BindDouble(i, v->base());
  else
    s->BindNull(i);
}

// The head columns, in the order Head() reads them.
constexpr const char* kHeadColumns =
    "SELECT f.inventory_id, u.id, f.year, f.methodology, f.version, f.state, f.datasets, "
    "f.energy_mj, f.scope1_kgco2e, f.scope2_kgco2e, f.scope2_location_kgco2e, "
    "f.scope2_market_kgco2e, f.scope3_kgco2e, f.total_kgco2e, f.biogenic_co2_kg, "
    "f.output_value_cny, f.tce_per_10k_cny, f.tco2e_per_10k_cny "
    "FROM inventory_figures f JOIN units u ON u.unit_no = f.unit_no ";

Result<InventoryFigures> Head(Statement* s) {
  InventoryFigures f;
  f.inventory_id = s->Int(0);
  f.unit_id = s->Text(1);
  f.year = static_cast<int>(s->Int(2));
  f.methodology = s->Text(3);
  f.version = static_cast<int>(s->Int(4));
  auto state = ParseInventoryStatus(s->Text(5));
  if (!state.ok()) return state.error();
  f.state = *state;
  f.datasets = s->Text(6);
  f.energy = Energy::FromBase(s->Double(7));
  f.scope1 = Emissions::FromBase(s->Double(8));
  f.scope2 = Emissions::FromBase(s->Double(9));
  f.scope2_location = Emissions::FromBase(s->Double(10));
  f.scope2_market = OptBase<Emissions>(s, 11);
  f.scope3 = Emissions::FromBase(s->Double(12));
  f.total = Emissions::FromBase(s->Double(13));
  f.biogenic_co2 = OptBase<Emissions>(s, 14);
  f.output_value = OptBase<Money>(s, 15);
  f.tce_per_10k_cny = OptDouble(s, 16);
  f.tco2e_per_10k_cny = OptDouble(s, 17);
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
      CL_TRY(InsertHead(*unit_no, head, f));
      for (const LineFigures& l : f.lines) CL_TRY(InsertLine(*unit_no, inventory_id, l));
      return Ok{};
    });
  }

  Result<std::optional<InventoryFigures>> GetFigures(int64_t inventory_id) override {
    auto all =
        Figures("WHERE f.inventory_id = ?", [&](Statement* s) { s->BindInt(1, inventory_id); });
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<InventoryFigures>();
    return std::optional<InventoryFigures>(std::move(all->front()));
  }

  Result<std::vector<InventoryFigures>> ListFigures(int year,
                                                    const std::string& methodology) override {
    return Figures("WHERE f.year = ? AND f.methodology = ?", [&](Statement* s) {
      s->BindInt(1, year);
      s->BindText(2, methodology);
    });
  }

 private:
  Result<bool> Has(int64_t unit_no, int64_t inventory_id) {
    auto st = Q("SELECT 1 FROM inventory_figures WHERE unit_no=? AND inventory_id=?");
    if (!st.ok()) return st.error();
    (*st)->BindInt(1, unit_no);
    (*st)->BindInt(2, inventory_id);
    return (*st)->Step();
  }

  Status InsertHead(int64_t unit_no, const InventoryRecord& inv, const InventoryFigures& f) {
    auto st =
        Q("INSERT INTO inventory_figures (unit_no, inventory_id, year, methodology, version, "
          "state, datasets, energy_mj, scope1_kgco2e, scope2_kgco2e, scope2_location_kgco2e, "
          "scope2_market_kgco2e, scope3_kgco2e, total_kgco2e, biogenic_co2_kg, output_value_cny, "
          "tce_per_10k_cny, tco2e_per_10k_cny) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st.ok()) return st.error();
    Statement* s = *st;
    s->BindInt(1, unit_no);
    s->BindInt(2, inv.id);
    s->BindInt(3, inv.year);
    s->BindText(4, inv.methodology);
    s->BindInt(5, inv.version);
    s->BindText(6, InventoryStatusName(inv.status));
    s->BindText(7, inv.pins);
    s->BindDouble(8, f.energy.base());
    s->BindDouble(9, f.scope1.base());
    s->BindDouble(10, f.scope2.base());
    s->BindDouble(11, f.scope2_location.base());
    BindOptBase(s, 12, f.scope2_market);
    s->BindDouble(13, f.scope3.base());
    s->BindDouble(14, f.total.base());
    BindOptBase(s, 15, f.biogenic_co2);
    BindOptBase(s, 16, f.output_value);
    BindOpt(s, 17, f.tce_per_10k_cny);
    BindOpt(s, 18, f.tco2e_per_10k_cny);
    CL_TRY(s->Step());
    return Ok{};
  }

  Status InsertLine(int64_t unit_no, int64_t id, const LineFigures& l) {
    auto st =
        Q("INSERT INTO inventory_line_figures (unit_no, inventory_id, line, carrier, scope, "
          "period_start, period_end, energy_mj, emissions_kgco2e) VALUES (?,?,?,?,?,?,?,?,?)");
    if (!st.ok()) return st.error();
    Statement* s = *st;
    s->BindInt(1, unit_no);
    s->BindInt(2, id);
    s->BindInt(3, l.line);
    s->BindText(4, l.carrier);
    s->BindInt(5, l.scope);
    s->BindText(6, FormatDate(l.period.start));
    s->BindText(7, FormatDate(l.period.end));
    s->BindDouble(8, l.energy.base());
    s->BindDouble(9, l.emissions.base());
    CL_TRY(s->Step());
    return Ok{};
  }

  // The figures whose head matches `where` (over inventory_figures f), with
  // their lines: two statements, whatever their number.
  template <typename Bind>
  Result<std::vector<InventoryFigures>> Figures(const std::string& where, Bind&& bind) {
    std::vector<InventoryFigures> out;
    std::map<int64_t, size_t> at;  // inventory id -> index in out
    {
      auto st = Q(kHeadColumns + where + " ORDER BY f.inventory_id");
      if (!st.ok()) return st.error();
      bind(*st);
      Status bad = Ok{};
      CL_TRY(EachRow(*st, [&](Statement* s) {
        auto f = Head(s);
        if (!f.ok()) {
          bad = f.error();
          return;
        }
        at[f->inventory_id] = out.size();
        out.push_back(std::move(*f));
      }));
      if (!bad.ok()) return bad.error();
    }
    if (out.empty()) return out;
    auto lines =
        Q("SELECT l.inventory_id, l.line, l.carrier, l.scope, l.period_start, l.period_end, "
          "l.energy_mj, l.emissions_kgco2e FROM inventory_line_figures l JOIN inventory_figures f "
          "ON f.unit_no = l.unit_no AND f.inventory_id = l.inventory_id " +
          where);
    if (!lines.ok()) return lines.error();
    bind(*lines);
    Status bad = Ok{};
    CL_TRY(EachRow(*lines, [&](Statement* s) {
      auto it = at.find(s->Int(0));
      auto start = ParseDate(s->Text(4)), end = ParseDate(s->Text(5));
      if (!start.ok() || !end.ok()) bad = start.ok() ? end.error() : start.error();
      if (it == at.end() || !bad.ok()) return;
      out[it->second].lines.push_back({static_cast<int>(s->Int(1)), s->Text(2),
                                       static_cast<int>(s->Int(3)), Period{*start, *end},
                                       Energy::FromBase(s->Double(6)),
                                       Emissions::FromBase(s->Double(7))});
    }));
    if (!bad.ok()) return bad.error();
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
