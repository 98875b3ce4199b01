#include "mv/caltrack.h"

#include <algorithm>
#include <cmath>

#include "caltrack_data.h"
#include "mv/least_squares.h"
#include "mv/regression.h"

namespace cl::mv {
namespace {

using detail::CoolingDegreeDays;
using detail::HeatingDegreeDays;

constexpr std::chrono::seconds kDay(86400);

// The usable baseline rows as columns: y (usage per day), w, and the degree
// days of every balance point.
struct Design {
  std::vector<const DesignRow*> rows;
  std::vector<double> y, w;
  std::vector<int> bps;
  std::vector<std::vector<double>> hdd, cdd;  // [bp index][row]
};

Design MakeDesign(const std::vector<DesignRow>& rows, Method method, const CaltrackSettings& s) {
  Design d;
  for (int bp = s.balance_point_min_f; bp <= s.balance_point_max_f; bp += s.balance_point_step_f) {
    d.bps.push_back(bp);
  }
  d.hdd.resize(d.bps.size());
  d.cdd.resize(d.bps.size());
  for (const DesignRow& r : rows) {
    if (!r.usable()) continue;
    if (d.rows.empty()) {
      for (size_t b = 0; b < d.bps.size(); ++b) {
        d.hdd[b].reserve(rows.size());
        d.cdd[b].reserve(rows.size());
      }
    }
    d.rows.push_back(&r);
    d.y.push_back(*r.usage / r.days);
    d.w.push_back(method == Method::kBilling ? r.n_days_kept : 1.0);
    for (size_t b = 0; b < d.bps.size(); ++b) {
      d.hdd[b].push_back(HeatingDegreeDays(r, d.bps[b]));
      d.cdd[b].push_back(CoolingDegreeDays(r, d.bps[b]));
    }
  }
  return d;
}

// Per balance point: whether a degree-day column is sufficient (§5.4).
std::vector<bool> Sufficient(const std::vector<std::vector<double>>& dd,
                             const std::vector<double>& w, double min_non_zero, double min_total) {
  std::vector<bool> ok(dd.size());
  for (size_t b = 0; b < dd.size(); ++b) {
    double total = 0;
    int non_zero = 0;
    for (size_t i = 0; i < dd[b].size(); ++i) {
      total += dd[b][i] * w[i];
      non_zero += dd[b][i] > 0 ? 1 : 0;
    }
    ok[b] = total >= min_total && non_zero >= min_non_zero;
  }
  return ok;
}

// Column moments Σw·x, Σw·x², Σw·x·y for every balance point.
struct ColumnSums {
  std::vector<double> sx, sxx, sxy;
};
ColumnSums Sums(const std::vector<std::vector<double>>& dd, const Design& d) {
  ColumnSums c;
  for (const auto& col : dd) {
    double sx = 0;
    double sxx = 0;
    double sxy = 0;
    for (size_t i = 0; i < col.size(); ++i) {
      sx += d.w[i] * col[i];
      sxx += d.w[i] * col[i] * col[i];
      sxy += d.w[i] * col[i] * d.y[i];
    }
    c.sx.push_back(sx);
    c.sxx.push_back(sxx);
    c.sxy.push_back(sxy);
  }
  return c;
}

class CandidateSearch {
 public:
  CandidateSearch(const Design& d, Method method, Fuel fuel, const CaltrackSettings& s)
      : d_(d), fit_cdd_(fuel == Fuel::kElectricity) {
    bool billing = method == Method::kBilling;
    double min_nz = billing ? s.billing_minimum_non_zero : s.daily_minimum_non_zero;
    double min_total = billing ? s.billing_minimum_total : s.daily_minimum_total;
    hdd_ok_ = Sufficient(d.hdd, d.w, min_nz, min_total);
    cdd_ok_ = Sufficient(d.cdd, d.w, min_nz, min_total);
    base_ = ComputeMoments(d.y, d.w);
    hs_ = Sums(d.hdd, d);
    cs_ = Sums(d.cdd, d);
  }

  // Candidates in eemeter's order; the first strictly best qualified one wins.
  void Run(CaltrackModel& model) {
    Consider(Intercept(), model);
    for (size_t h = 0; h < d_.bps.size(); ++h) Consider(Single(h, true), model);
    if (!fit_cdd_) return;
    for (size_t c = 0; c < d_.bps.size(); ++c) Consider(Single(c, false), model);
    for (size_t c = 0; c < d_.bps.size(); ++c) {
      for (size_t h = 0; h < d_.bps.size() && d_.bps[h] <= d_.bps[c]; ++h)
        Consider(Both(c, h), model);
    }
  }

  bool found() const { return found_; }
  const Candidate& best() const { return best_; }

 private:
  void Consider(const Candidate& c, CaltrackModel& model) {
    if (c.status == Candidate::Status::kNotAttempted) return;
    ++model.candidates_fitted;
    if (c.status != Candidate::Status::kQualified) return;
    ++model.candidates_qualified;
    // eemeter keeps the first of equal candidates (strict >). Candidates whose degree-day
    // columns are proportional on the data have equal adjusted R² up to rounding, so a gain
    // below 1e-10 is a tie, not an improvement.
    if (!found_ || c.r_squared_adj > best_.r_squared_adj +
                                         1e-10 * std::max(1.0, std::fabs(best_.r_squared_adj))) {
      best_ = c;
      found_ = true;
    }
  }

  static void Qualify(Candidate& c) {
    bool negative = c.intercept < 0 || c.beta_hdd < 0 || c.beta_cdd < 0;
    c.status = negative ? Candidate::Status::kDisqualified : Candidate::Status::kQualified;
  }

  Candidate Intercept() const {
    Candidate c;
    LinearFit f = FitFromMoments(base_);
    if (!f.ok) {
      c.status = Candidate::Status::kError;
      return c;
    }
    c.intercept = f.beta[0];
    c.r_squared_adj = 0;  // eemeter pins intercept-only at 0
    Qualify(c);
    return c;
  }

  static Moments WithColumn(Moments m, const ColumnSums& s, size_t b, int slot) {
    m.regressors = slot + 1;
    m.sx[static_cast<size_t>(slot)] = s.sx[b];
    m.sxx[static_cast<size_t>(slot)][static_cast<size_t>(slot)] = s.sxx[b];
    m.sxy[static_cast<size_t>(slot)] = s.sxy[b];
    return m;
  }

  Candidate Single(size_t b, bool heating) const {
    Candidate c;
    c.type = heating ? ModelType::kHddOnly : ModelType::kCddOnly;
    (heating ? c.heating_bp : c.cooling_bp) = d_.bps[b];
    if (!(heating ? hdd_ok_[b] : cdd_ok_[b])) {
      c.status = Candidate::Status::kNotAttempted;
      return c;
    }
    LinearFit f = FitFromMoments(WithColumn(base_, heating ? hs_ : cs_, b, 0));
    if (!f.ok) {
      c.status = Candidate::Status::kError;
      return c;
    }
    c.intercept = f.beta[0];
    (heating ? c.beta_hdd : c.beta_cdd) = f.beta[1];
    c.r_squared_adj = f.r_squared_adj;
    Qualify(c);
    return c;
  }

  Candidate Both(size_t cb, size_t hb) const {
    Candidate c;
    c.type = ModelType::kCddHdd;
    c.cooling_bp = d_.bps[cb];
    c.heating_bp = d_.bps[hb];
    if (!cdd_ok_[cb] || !hdd_ok_[hb]) {
      c.status = Candidate::Status::kNotAttempted;
      return c;
    }
    Moments m = WithColumn(WithColumn(base_, cs_, cb, 0), hs_, hb, 1);
    double cross = 0;
    const auto& x1 = d_.cdd[cb];
    const auto& x2 = d_.hdd[hb];
    for (size_t i = 0; i < x1.size(); ++i) cross += d_.w[i] * x1[i] * x2[i];
    m.sxx[0][1] = m.sxx[1][0] = cross;
    LinearFit f = FitFromMoments(m);
    if (!f.ok) {
      c.status = Candidate::Status::kError;
      return c;
    }
    c.intercept = f.beta[0];
    c.beta_cdd = f.beta[1];
    c.beta_hdd = f.beta[2];
    c.r_squared_adj = f.r_squared_adj;
    Qualify(c);
    return c;
  }

  const Design& d_;
  bool fit_cdd_;
  std::vector<bool> hdd_ok_, cdd_ok_;
  Moments base_;
  ColumnSums hs_, cs_;
  Candidate best_;
  bool found_ = false;
};

int Slopes(ModelType t) {
  return t == ModelType::kCddHdd ? 2 : (t == ModelType::kIntercept ? 0 : 1);
}

// Refits the selected candidate by QR for full precision.
void Refine(const Design& d, Candidate& c) {
  std::vector<std::vector<double>> cols = {std::vector<double>(d.y.size(), 1.0)};
  auto column = [&](const std::vector<std::vector<double>>& dd, int bp) {
    for (size_t b = 0; b < d.bps.size(); ++b) {
      if (d.bps[b] == bp) return dd[b];
    }
    return std::vector<double>();
  };
  if (c.type == ModelType::kCddOnly || c.type == ModelType::kCddHdd)
    cols.push_back(column(d.cdd, c.cooling_bp));
  if (c.type == ModelType::kHddOnly || c.type == ModelType::kCddHdd)
    cols.push_back(column(d.hdd, c.heating_bp));
  LeastSquaresFit f = FitLeastSquares(d.y, cols, d.w);
  if (!f.ok || f.rank != static_cast<int>(cols.size())) return;
  c.intercept = f.beta[0];
  size_t k = 1;
  if (c.type == ModelType::kCddOnly || c.type == ModelType::kCddHdd) c.beta_cdd = f.beta[k++];
  if (c.type == ModelType::kHddOnly || c.type == ModelType::kCddHdd) c.beta_hdd = f.beta[k];
}

// Usage per day predicted for a row from its mean degree days per kept day.
double PerDay(const Candidate& c, const DesignRow& r) {
  double v = c.intercept;
  if (c.type == ModelType::kHddOnly || c.type == ModelType::kCddHdd)
    v += c.beta_hdd * HeatingDegreeDays(r, c.heating_bp);
  if (c.type == ModelType::kCddOnly || c.type == ModelType::kCddHdd)
    v += c.beta_cdd * CoolingDegreeDays(r, c.cooling_bp);
  return v;
}

// eemeter's totals metrics and Guideline 14 statistics on period totals.
void Metrics(const Design& d, CaltrackModel& m) {
  std::vector<double> obs;
  std::vector<double> pred;
  double sq = 0;
  double abs_sum = 0;
  double bias = 0;
  double sum_obs = 0;
  for (size_t i = 0; i < d.rows.size(); ++i) {
    const DesignRow& r = *d.rows[i];
    double o = d.y[i] * r.days;
    double p = PerDay(m.selected, r) * r.days;
    obs.push_back(o);
    pred.push_back(p);
    sq += (p - o) * (p - o);
    abs_sum += std::fabs(o);
    bias += p - o;
    sum_obs += o;
  }
  m.fitted = pred;
  const auto n = static_cast<double>(obs.size());
  if (n > 0 && abs_sum > 0) m.cvrmse = std::sqrt(sq / n) / (abs_sum / n);
  if (sum_obs != 0) m.nmbe = bias / sum_obs;
  m.totals = ComputeFitStatistics(obs, pred, Slopes(m.selected.type) + 1);
}

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

// CalTRACK 2.2 data sufficiency, reported as warnings (eemeter's fit does not apply it).
void Sufficiency(const std::vector<DesignRow>& rows, const Design& d, Fuel fuel,
                 const CaltrackSettings& s, CaltrackModel& m) {
  if (rows.empty()) return;
  double span =
      std::chrono::duration<double>(rows.back().end - rows.front().start).count() / 86400.0;
  if (std::lround(span) != s.baseline_days) {
    m.warnings.push_back("baseline spans " + std::to_string(std::lround(span)) + " days, not " +
                         std::to_string(s.baseline_days) + " (CalTRACK 2.2.1.1)");
  }
  double valid_days = 0;
  int negatives = 0;
  int zeros = 0;
  for (const DesignRow& r : rows) {
    if (r.usable()) valid_days += r.days;
    if (r.usage && *r.usage < 0) ++negatives;
    if (r.usage && *r.usage == 0) ++zeros;
  }
  if (span > 0 && valid_days / span < s.sufficiency_daily_coverage) {
    m.warnings.push_back(
        "only " + std::to_string(std::lround(valid_days)) + " of " +
        std::to_string(std::lround(span)) +
        " baseline days have both usage and temperature (CalTRACK 2.2.1.2 needs 90 %)");
  }
  // CalTRACK 2.2.1.2 on temperature alone: a period counts when > 90 % of its hours have one.
  double temperature_days = 0;
  for (const DesignRow& r : rows) {
    if (r.temperature_hours > 0 &&
        static_cast<double>(r.temperature_hours_valid) / r.temperature_hours >
            s.sufficiency_temperature_coverage) {
      temperature_days += r.days;
    }
  }
  if (span > 0 && temperature_days / span < s.sufficiency_daily_coverage) {
    m.warnings.push_back("only " + std::to_string(std::lround(temperature_days)) + " of " +
                         std::to_string(std::lround(span)) +
                         " baseline days have enough hourly temperatures (CalTRACK 2.2.1.2)");
  }
  if (negatives > 0)
    m.warnings.push_back(std::to_string(negatives) + " negative usage values in the baseline");
  if (zeros > 0 && fuel == Fuel::kElectricity) {
    m.warnings.push_back(std::to_string(zeros) +
                         " zero electricity readings kept as observations (eemeter 3.2.0; CalTRACK "
                         "2.2.1.4 treats them as missing)");
  }
  if (d.y.size() >= 2) {
    double limit = Quantile(d.y, 0.5) +
                   s.extreme_value_iqr_multiple * (Quantile(d.y, 0.75) - Quantile(d.y, 0.25));
    const auto extreme = std::count_if(d.y.begin(), d.y.end(), [&](double v) { return v > limit; });
    if (extreme > 0) {
      m.warnings.push_back(
          std::to_string(extreme) +
          " baseline values above median + 3 IQR, flag for review (CalTRACK 2.3.6)");
    }
  }
}

}  // namespace

void Savings::Add(const ReportingPeriodRow& p) {
  if (p.observed && p.counterfactual) {
    counterfactual += *p.counterfactual;
    observed += *p.observed;
    ++rows;
  } else {
    ++rows_skipped;
  }
  periods.push_back(p);
}

const char* ModelTypeName(ModelType t) {
  switch (t) {
    case ModelType::kIntercept:
      return "intercept_only";
    case ModelType::kHddOnly:
      return "hdd_only";
    case ModelType::kCddOnly:
      return "cdd_only";
    case ModelType::kCddHdd:
      return "cdd_hdd";
  }
  return "intercept_only";
}

const char* FitStatusName(FitStatus s) {
  switch (s) {
    case FitStatus::kSuccess:
      return "SUCCESS";
    case FitStatus::kNoData:
      return "NO DATA";
    case FitStatus::kNoModel:
      return "NO MODEL";
  }
  return "NO DATA";
}

CaltrackModel FitCaltrack(const UsageSeries& usage, const HourlyTemperature& grid,
                          Instant baseline_end, Method method, Fuel fuel, const CaltrackSettings& s,
                          std::chrono::minutes day_offset) {
  CaltrackModel m;
  m.method = method;
  m.fuel = fuel;
  auto periods = detail::MakePeriods(usage, method, day_offset);
  auto window = detail::Window(periods, baseline_end - s.baseline_days * kDay, baseline_end);
  auto tolerance = method == Method::kBilling ? s.billing_temperature_window_days * kDay : kDay;
  m.baseline =
      detail::Features(window, grid, tolerance, s.daily_hourly_coverage, s.billing_hourly_coverage);
  Design d = MakeDesign(m.baseline, method, s);
  Sufficiency(m.baseline, d, fuel, s, m);
  m.baseline_rows = static_cast<int>(d.rows.size());
  for (const DesignRow* r : d.rows) m.baseline_days += r->days;
  if (d.rows.empty()) {
    m.status = FitStatus::kNoData;
    m.warnings.emplace_back("no baseline period has both usage and temperature");
    return m;
  }
  CandidateSearch search(d, method, fuel, s);
  search.Run(m);
  if (!search.found()) {
    m.status = FitStatus::kNoModel;
    m.warnings.emplace_back(
        "no qualified candidate model (all had a negative coefficient or too few degree days)");
    return m;
  }
  m.status = FitStatus::kSuccess;
  m.selected = search.best();
  Refine(d, m.selected);
  Metrics(d, m);
  return m;
}

Savings ComputeSavings(const CaltrackModel& model, const UsageSeries& usage,
                       const HourlyTemperature& grid, Instant reporting_start,
                       const CaltrackSettings& s, std::array<double, 3> fsu_a_b_d,
                       std::chrono::minutes day_offset) {
  Savings out;
  if (model.status != FitStatus::kSuccess) {
    out.warnings.push_back(std::string("no savings: the baseline model's status is ") +
                           FitStatusName(model.status));
    return out;
  }
  auto periods = detail::MakePeriods(usage, model.method, day_offset);
  auto window = detail::Window(periods, reporting_start, reporting_start + s.baseline_days * kDay);
  std::optional<std::chrono::seconds> tolerance;
  if (model.method == Method::kDaily) tolerance = kDay;
  auto rows =
      detail::Features(window, grid, tolerance, s.daily_hourly_coverage, s.billing_hourly_coverage);
  const Candidate& c = model.selected;
  for (const DesignRow& r : rows) {
    ReportingPeriodRow p{r.start, r.end, r.usage, std::nullopt};
    bool needs_dd = c.type != ModelType::kIntercept;
    if (r.temperature_mean && (!needs_dd || !r.daily_means.empty())) {
      // Degree days of dropped days are imputed by the kept-day mean (× all days).
      p.counterfactual = c.intercept * r.days + (PerDay(c, r) - c.intercept) * r.n_days_total;
    }
    out.Add(p);
  }
  out.savings = out.counterfactual - out.observed;
  if (out.rows_skipped > 0) {
    out.warnings.push_back(
        std::to_string(out.rows_skipped) +
        " reporting periods without usage or temperature are left out of both totals");
  }
  if (out.rows == 0)
    out.warnings.emplace_back("no reporting period has both usage and temperature");
  if (model.totals.cvrmse && out.counterfactual != 0 && out.rows > 0) {
    FsuInput in;
    in.cvrmse = *model.totals.cvrmse;
    in.baseline_points = model.baseline_rows;
    in.autocorrelation = model.totals.autocorrelation;
    in.reporting_points = out.rows;
    in.reporting_months = model.method == Method::kDaily ? out.rows / 30.0 : out.rows;
    in.savings_fraction = out.savings / out.counterfactual;
    in.parameters = Slopes(c.type) + 1;
    in.a = fsu_a_b_d[0];
    in.b = fsu_a_b_d[1];
    in.d = fsu_a_b_d[2];
    out.fsu = FractionalSavingsUncertainty(in);
  }
  return out;
}

}  // namespace cl::mv
