// Words for codes that no data file names (data sources, intervals, factor
// parameters, units of measure, …). Names of activities, datasets and
// methodologies come from ../data through dictionary.gen.ts (format.ts).
export const dictionaryEn = {
  source: { meter: 'Meter', bill: 'Bill', manual: 'Entered by hand', estimate: 'Estimate', user: 'User-supplied' },
  interval: {
    '1min': '1 minute', '5min': '5 minutes', '10min': '10 minutes', '15min': '15 minutes', '30min': '30 minutes', '60min': 'hourly',
    '1h': 'hourly', hour: 'hourly', hourly: 'hourly', day: 'daily', daily: 'daily', month: 'monthly', monthly: 'monthly',
    minutes: '{n} minutes',
  },
  // The role a factor plays in a line (FactorUse::role) and dataset parameters.
  factor: {
    tce_coefficient: 'standard coal coefficient', ncv: 'net calorific value', carbon_content: 'carbon content per heat',
    oxidation_rate: 'oxidation rate', ef: 'emission factor', location: 'location-based emission factor',
    'market residual': 'market residual mix factor', 'market instrument': 'contractual instrument factor',
    gwp: 'global warming potential', ratio: 'conversion ratio', '44/12': 'CO₂/C mass ratio (44/12)',
    'steam heat content': 'steam heat content', factor: 'factor', option: 'calculation option',
  },
  // Keys of dataset rows that are not activity codes.
  row: {
    grid_average: 'grid average', grid_excl_market_nonfossil: 'grid, excluding market-traded non-fossil power',
    grid_fossil: 'fossil-fuel grid power', green_power_interprovincial: 'inter-provincial green power',
    purchased_heat: 'purchased heat', co2_per_carbon: 'CO₂ per carbon', renewable_attribute: 'renewable attribute',
    electricity_equivalent: 'electricity (equal-value)', natural_gas_gasfield: 'natural gas (gas field)',
    natural_gas_oilfield: 'natural gas (oil field)', steam_low_pressure: 'low-pressure steam', raw_coal: 'raw coal',
    CH4_fossil: 'CH₄ (fossil)', CH4_non_fossil: 'CH₄ (non-fossil)',
  },
  qualifier: { mobile: 'mobile', stationary: 'stationary', category: 'category {n}' },
  gwpSet: { AR4: 'IPCC AR4', AR5: 'IPCC AR5', AR6: 'IPCC AR6' },
  gas: { CO2: 'CO₂', CH4: 'CH₄', N2O: 'N₂O', SF6: 'SF₆', NF3: 'NF₃', CF4: 'CF₄', C2F6: 'C₂F₆', CO2e: 'CO₂e' },
  scope: { n: 'Scope {n}', 0: '—', 1: 'Scope 1', 2: 'Scope 2', 3: 'Scope 3' },
  iso: 'category {n}',
  // Why an import row was rejected (src/app/ingest) and the fields it names.
  reject: {
    missing_value: 'missing value', missing_day: 'missing day', missing_column: 'missing column', missing_field: 'missing field',
    bad_csv: 'malformed CSV', bad_json: 'malformed JSON', bad_encoding: 'not UTF-8 or GB 18030 text', bad_number: 'not a number',
    bad_timestamp: 'not a date and time', unknown_meter: 'meter not registered', out_of_bounds: 'outside plausible bounds',
    duplicate: 'duplicate', out_of_order: 'out of order', negative_value: 'negative value',
  },
  field: {
    timestamp: 'time', meter: 'meter', value: 'reading', unit: 'unit', activity: 'activity', quantity: 'quantity',
    unit_of_measure: 'unit of measure', period_start: 'period start', period_end: 'period end', data_source: 'data source',
    site: 'site', factor: 'factor', factor_unit: 'factor unit', note: 'note',
  },
  rowAt: 'row {n}',
  meterSum: 'sum of {n} readings of meter {meter}',
  // Units of measure, whole; parts of a compound unit are put together by format.ts.
  uom: {
    m3: 'm³', '10^4 m3': '10⁴ m³', t: 't', kg: 'kg', kWh: 'kWh', MWh: 'MWh', '10^4 kWh': '10⁴ kWh', GJ: 'GJ', MJ: 'MJ',
    CNY: 'CNY', '10^4 CNY': '10⁴ CNY', tce: 'tce', kgce: 'kgce', kgCO2e: 'kgCO₂e', m2: 'm²', tCO2e: 'tCO₂e', tCO2: 'tCO₂', tC: 'tC', '1': '',
    '%': '%',
  },
  // The engine's formulas (src/accounting/engine.cpp), as the reader's language writes them.
  formula: {} as Record<string, string>,
  timeZone: { 'Asia/Shanghai': 'China Standard Time (UTC+8)', UTC: 'UTC' },
  origin: { store: 'activity record {n} in the store', file: 'line {n} of {file}' },
  flag: {
    register_reset: 'register reset: {from} → {to}',
    register_rollover: 'register rolled over: {from} → {to}',
    register_decrease: 'below a reading stored earlier: {from} → {to}',
    spike: 'spike: {value} is more than {factor} × the mean of the other readings ({mean})',
    gap: '{n} readings missing from {from}',
    incomplete_day: 'incomplete day: {present} of {due} readings ({share}, under {min})',
    missing_day: 'no readings on {day}',
    out_of_order: '{n} readings came after a later reading of this meter',
    monthly_mismatch: '{period}: readings {readings} against the bill {bill} {unit} ({gap} apart, over {max})',
  },
  warning: {
    fallback: 'no {dataset} factor for “{key}” for {year} in the pinned version; the data year {used} was used',
    noCoefficient: 'GB/T 2589 has no standard coal coefficient for {activity}; give the quantity in GJ to count it in energy',
    otherRegion: 'the unit is in {province}; the rules of {methodology} ({region}) are applied as asked',
    certificatesExceed: 'certificates of {certificates} exceed the line’s {mwh} MWh; the surplus is not applied',
    certificatesCover: 'certificates cover {covered} of {mwh} MWh; the rest is at the residual mix factor',
    supplierHeat: 'the supplier-specific heat factor is not used under {methodology}',
  },
  large: { tce: '× 10⁴ tce', tCO2e: '× 10⁴ tCO₂e' },
  figure: {
    energy: 'Energy', emissions: 'Emissions', header: { title: 'Table', year: 'Year', methodology: 'Methodology', unit: 'Units' },
    multiplier: 'Multiplier', both: 'energy {energy}; emissions {emissions}', perOutput: '{unit} per 10⁴ CNY', about: 'about {v}', labelled: '{label}: {value}',
  },
}
