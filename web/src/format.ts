// Numbers and names as the reader's language writes them: every code the
// API sends (an activity, a data source, an interval, a factor, a dataset, a
// unit of measure) reaches the screen through a function of this file, and
// every figure through the precision rule of its kind (PRECISION below).
import { i18n } from './i18n'
import { activityNames, datasetNames, datasetSources, methodologyNames, regionNames, type Names } from './dictionary.gen'
import { dictionaryEn } from './messages/dictionary.en'
import { dictionaryZh } from './messages/dictionary.zh-CN'

// Intl.NumberFormat objects are costly to make (a fraction of a millisecond
// each): one per language and number of digits.
const formats = new Map<string, Intl.NumberFormat>()
function numberFormat(digits: number): Intl.NumberFormat {
  const locale = i18n.global.locale.value
  const key = locale + '|' + digits
  let f = formats.get(key)
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
    formats.set(key, f)
  }
  return f
}

export function num(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  return numberFormat(digits).format(v)
}

export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined) return '—'
  return num(v * 100, digits) + ' %'
}

// The name of any record that has name_zh and name_en (a unit, a
// methodology) in the reader's language, the other one when it is missing.
export function localName(r: { name_zh?: string; name_en?: string; id?: string }): string {
  return unitName(r)
}

export function unitName(u: { name_zh?: string; name_en?: string; unit?: string; id?: string }): string {
  const zh = i18n.global.locale.value.startsWith('zh')
  return (zh ? u.name_zh || u.name_en : u.name_en || u.name_zh) || u.unit || u.id || ''
}

export function dateTime(iso: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(i18n.global.locale.value, { hour12: false })
}

// A carrier's name: the short word of the messages (电力), else its activity's name.
export function carrierName(code: string): string {
  const key = 'carrier.' + code
  return i18n.global.te(key) ? i18n.global.t(key) : activityName(code)
}

// The last day a consent is valid: it ends at the start of the next day
// (expires_at), so the day before that instant, in UTC.
export function lastValidDay(expiresAt: string): string {
  const t = Date.parse(expiresAt)
  return Number.isNaN(t) ? expiresAt : new Date(t - 1000).toISOString().slice(0, 10)
}

// --- codes as words ----------------------------------------------------------
const inChinese = () => i18n.global.locale.value.startsWith('zh')
const words = () => (inChinese() ? dictionaryZh : dictionaryEn)
const pick = (n: Names | undefined) => n && (inChinese() ? n.zh : n.en)
const fill = (s: string, n: string | number) => s.replace('{n}', String(n))
const lookup = (table: object, key: string): string | undefined => (table as Record<string, string>)[key]
const bracket = (s: string, inner: string) => (inChinese() ? `${s}（${inner}）` : `${s} (${inner})`)

// An activity code of data/activities.csv; a qualifier after ':' is added
// in brackets (diesel:mobile → 柴油（移动源）, scope3:6 → 范围三（第 6 类））.
export function activityName(code: string | null | undefined): string {
  if (!code) return ''
  const [base, ...rest] = code.split(':')
  const found = pick(activityNames[base]) ?? lookup(words().row, base) ?? code
  // English names are written lower case in the data, for use in sentences; alone they start upper case.
  const name = inChinese() ? found : found.charAt(0).toUpperCase() + found.slice(1)
  if (!rest.length) return name
  const q = rest.join(':')
  const word = lookup(words().qualifier, q) ?? (/^\d+$/.test(q) ? fill(words().qualifier.category, q) : gasName(q))
  return bracket(name, word)
}
// Where an activity figure comes from: meter, bill, manual, estimate.
export const sourceName = (s: string | null | undefined) => (s ? lookup(words().source, s) ?? s : '')
// A meter's reading interval: 15min, hourly, daily, monthly.
export function intervalName(iv: string | null | undefined): string {
  if (!iv) return ''
  const m = iv.match(/^(\d+)\s*min$/)
  return lookup(words().interval, iv) ?? (m ? fill(words().interval.minutes, m[1]) : iv)
}
// A reference dataset (data/reference/dataset-names.csv) and a methodology (data/methodologies).
export const datasetName = (id: string | null | undefined) => (id ? pick(datasetNames[id]) ?? id : '')
export const methodologyName = (id: string | null | undefined) => (id ? pick(methodologyNames[id]) ?? id : '')
// The role of a factor in a line or a dataset parameter: ncv, tce_coefficient, ef, AR5, …
export function factorName(role: string | null | undefined): string {
  if (!role) return ''
  return lookup(words().factor, role) ?? (/^AR\d$/.test(role) ? gwpSetName(role) : role)
}
// The key of a dataset row (a fuel, a gas, a grid), or where it is: gbt2589/2020.csv:10 → 第 10 行.
export function factorRowName(key: string | null | undefined): string {
  if (!key) return ''
  const at = key.match(/^[\w./-]+\.csv:(\d+)$/)
  if (at) return fill(words().rowAt, at[1])
  return pick(activityNames[key]) ?? lookup(words().row, key) ?? gasName(key)
}
export const gasName = (g: string | null | undefined) => (g ? lookup(words().gas, g) ?? g.replace(/([A-Z])(\d+)/g, (_, a: string, d: string) => a + [...d].map((x) => '₀₁₂₃₄₅₆₇₈₉'[Number(x)]).join('')) : '')
export const gwpSetName = (s: string | null | undefined) => (s ? lookup(words().gwpSet, s) ?? s : '')
export function scopeName(n: number | string | null | undefined): string {
  if (n === null || n === undefined || n === '') return ''
  return lookup(words().scope, String(n)) ?? fill(words().scope.n, n)
}
export const isoCategoryName = (n: number | string | null | undefined) => (n === null || n === undefined ? '' : fill(words().iso, n))
// A factor's source as published, without the project's notes on where it was checked ("(facts §2.2 [2c])").
// In Chinese, a source written in English gives way to its dataset's source (dataset-names.csv).
export function factorSource(s: string | null | undefined, dataset?: string): string {
  const text = (s ?? '').replace(/\s*[(（]\s*facts\b[^)）]*[)）]/g, '').replace(/[;,]?\s*facts\s*§[^;,)]*/g, '').trim()
  if (!inChinese() || /[\u4e00-\u9fff]/.test(text)) return text
  return (dataset && datasetSources[dataset]) || ''
}

// A unit of measure as people write it: m3 → m³ (立方米), 10^4 CNY → 10⁴ CNY
// (万元), tCO2e → tCO₂e (吨二氧化碳当量); a/b part by part.
export function unitOfMeasure(u: string | null | undefined): string {
  if (!u) return ''
  const whole = lookup(words().uom, u.trim())
  if (whole !== undefined) return whole
  const slash = u.indexOf('/')
  if (slash > 0) return unitOfMeasure(u.slice(0, slash)) + '/' + unitOfMeasure(u.slice(slash + 1))
  const power = u.match(/^10\^(\d+)\s*(.*)$/)
  if (power) {
    const rest = unitOfMeasure(power[2])
    if (inChinese() && power[1] === '4') return '万' + rest
    return '10' + [...power[1]].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]).join('') + ' ' + rest
  }
  return u.replace(/CO2/g, 'CO₂').replace(/\bm3\b/g, 'm³').replace(/\bm2\b/g, 'm²')
}

// --- figures -----------------------------------------------------------------
// One precision rule per kind of figure, on the screen and in the exports
// (CSV and Excel carry the figure rounded by the same rule), always with the
// reader's thousands separators:
//   kind       decimals           unit
//   energy     2                  tce (吨标准煤); 10 000 and more also as 万吨标准煤 / 10⁴ tce
//   emissions  2                  tCO₂e (吨二氧化碳当量); likewise 万吨二氧化碳当量 / 10⁴ tCO₂e
//   total      0                  a city's or district's sum of energy or emissions, whole tonnes
//   intensity  4                  per 10⁴ CNY of output value (per 万元)
//   quantity   3                  activity data, in its own unit of measure
//   reading    2                  meter readings and their min / mean / max
//   factor     up to 6            factors as published, trailing zeros dropped
//   money      2                  10⁴ CNY (万元)
//   share      1                  per cent
//   count      0                  lines, readings, units
export type FigureKind = 'energy' | 'emissions' | 'total' | 'intensity' | 'quantity' | 'reading' | 'factor' | 'money' | 'share' | 'count'
const PRECISION: Record<FigureKind, { digits: number; trim?: boolean }> = {
  energy: { digits: 2 },
  emissions: { digits: 2 },
  total: { digits: 0 },
  intensity: { digits: 4 },
  quantity: { digits: 3 },
  reading: { digits: 2 },
  factor: { digits: 6, trim: true },
  money: { digits: 2 },
  share: { digits: 1 },
  count: { digits: 0 },
}
const LARGE = 10_000

// A figure as text, by its kind's rule (no unit).
export function figure(v: number | null | undefined, kind: FigureKind): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  const rule = PRECISION[kind]
  if (!rule.trim) return num(v, rule.digits)
  const locale = i18n.global.locale.value
  return new Intl.NumberFormat(locale, { maximumFractionDigits: rule.digits }).format(v)
}
// A spreadsheet's number format for a kind: separators, the kind's decimals.
export function spreadsheetFormat(kind: FigureKind): string {
  const rule = PRECISION[kind]
  return rule.digits ? '#,##0.' + (rule.trim ? '#' : '0').repeat(rule.digits) : '#,##0'
}
// A figure as a number rounded by its kind's rule (for exports).
export function rounded(v: unknown, kind: FigureKind): unknown {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v
  return Number(v.toFixed(PRECISION[kind].digits))
}
// A share (0.123) as a percentage (12.3 %).
export const share = (v: number | null | undefined) => pct(v, PRECISION.share.digits)
// The unit word of energy and emissions: 吨标准煤 / tce, 吨二氧化碳当量 / tCO₂e.
export const energyUnit = () => unitOfMeasure('tce')
export const emissionsUnit = () => unitOfMeasure('tCO2e')
export const outputUnit = () => unitOfMeasure('10^4 CNY')
// The units of a table or chart of both: 能耗：吨标准煤；排放量：吨二氧化碳当量.
export const energyAndEmissionsUnits = () => i18n.global.t('dict.figure.both', { energy: energyUnit(), emissions: emissionsUnit() })
// Energy or emissions with its unit; 10 000 t and more in 10⁴ t (万吨标准煤).
export function amount(v: number | null | undefined, kind: 'energy' | 'emissions'): string {
  const unit = kind === 'energy' ? 'tce' : 'tCO2e'
  if (v !== null && v !== undefined && Math.abs(v) >= LARGE) return num(v / LARGE, 2) + ' ' + words().large[unit]
  return figure(v, kind) + ' ' + unitOfMeasure(unit)
}
// A chart axis label: separators, no needless decimals.
export const axisLabel = (v: number) => new Intl.NumberFormat(i18n.global.locale.value, { maximumFractionDigits: 2 }).format(v)
// The engine's formula of a line, in the reader's language.
export const formulaText = (f: string | null | undefined) => (f ? words().formula[f] ?? unitOfMeasure(f) : '')
// A time zone: Asia/Shanghai → 北京时间 / China Standard Time.
export const timeZoneName = (z: string | null | undefined) => (z ? lookup(words().timeZone, z) ?? z : '')
// A province or city by its GB/T 2260 code (data/regions.csv).
export const regionName = (code: string | null | undefined) => (code ? pick(regionNames[code]) ?? code : '')

// The engine's warnings (src/accounting/engine.cpp), in the reader's
// language; one that is not known here is shown as the engine wrote it.
const WARNINGS: [RegExp, string, (m: RegExpMatchArray) => Record<string, string>][] = [
  [/^no (\S+) factor '([^']+)' for (\d+) in the pinned version; used data year (\d+)$/, 'fallback',
    (m) => ({ dataset: datasetName(m[1]), key: factorRowName(m[2]), year: m[3], used: m[4] })],
  [/^no GB\/T 2589 standard coal coefficient for '([^']+)'; give the quantity in GJ to count it in energy$/, 'noCoefficient',
    (m) => ({ activity: activityName(m[1]) })],
  [/^unit is in province (\S+); profile (\S+) applies the rules of (\S+) as asked$/, 'otherRegion',
    (m) => ({ province: regionName(m[1]), methodology: methodologyName(m[2]), region: regionName(m[3]) })],
  [/^(\S+) certificates exceed the line's (\S+) MWh; the surplus is not applied$/, 'certificatesExceed',
    (m) => ({ certificates: m[1], mwh: m[2] })],
  [/^certificates cover (\S+) of (\S+) MWh; the rest is at the residual factor$/, 'certificatesCover',
    (m) => ({ covered: m[1], mwh: m[2] })],
  [/^supplier-specific heat factor ignored under profile (\S+)$/, 'supplierHeat', (m) => ({ methodology: methodologyName(m[1]) })],
]
export function warningText(message: string): string {
  for (const [re, key, args] of WARNINGS) {
    const m = message.match(re)
    if (m) return i18n.global.t('dict.warning.' + key, args(m))
  }
  return message
}
// A line's note: the one the platform writes (store_bridge.cpp: "sum of N
// readings of meter ID") in the reader's language, a person's as written.
export function noteText(note: string | null | undefined): string {
  const m = (note ?? '').match(/^sum of (\d+) readings of meter (\S+)$/)
  return m ? i18n.global.t('dict.meterSum', { n: figure(Number(m[1]), 'count'), meter: m[2] }) : note ?? ''
}
// Where a line of an inventory comes from, by its id: "store:activities:7"
// (the store's activity records, in order) or "file.csv:12".
export function lineOrigin(id: string | null | undefined): string {
  const m = (id ?? '').match(/^(.*):(\d+)$/)
  if (!m) return id ?? ''
  const t = i18n.global.t
  return m[1] === 'store:activities' ? t('dict.origin.store', { n: m[2] }) : t('dict.origin.file', { file: m[1], n: m[2] })
}

// A meter's data-quality flags as the platform writes them ('kind: detail',
// several joined by '; '; a day's prefixed by its date), in the reader's
// language with its numbers; one not known here is shown as written.
const n = (s: string) => figure(Number(s), 'reading')
const FLAGS: [RegExp, string, (m: RegExpMatchArray) => Record<string, string>][] = [
  [/^register_(reset|rollover|decrease): (\S+) -> (\S+)( \(stored earlier\))?$/, '', (m) => ({ kind: 'register_' + m[1], from: n(m[2]), to: n(m[3]) })],
  [/^spike: (\S+) is more than (\S+) x the mean of the chunk's other readings \((\S+)\)$/, 'spike', (m) => ({ value: n(m[1]), factor: m[2], mean: n(m[3]) })],
  [/^gap: (\d+) readings missing from (\S+)$/, 'gap', (m) => ({ n: m[1], from: dateTime(m[2]) })],
  [/^incomplete_day: (\d+) of (\d+) readings \((\S+) %, under (\S+) %\)$/, 'incomplete_day', (m) => ({ present: m[1], due: m[2], share: m[3] + '%', min: m[4] + '%' })],
  [/^missing_day: no readings on (\S+)$/, 'missing_day', (m) => ({ day: m[1] })],
  [/^out_of_order: (\d+) readings came after a later reading of this meter$/, 'out_of_order', (m) => ({ n: m[1] })],
  [/^monthly_mismatch: readings (\S+) vs bill (\S+) (\S+) \((\S+) %, over (\S+) %\) for (\S+)\.\.(\S+)$/, 'monthly_mismatch',
    (m) => ({ readings: n(m[1]), bill: n(m[2]), unit: unitOfMeasure(m[3]), gap: m[4] + '%', max: m[5] + '%', period: m[6] + ' – ' + m[7] })],
]
export function flagText(flag: string): string {
  for (const [re, key, args] of FLAGS) {
    const m = flag.match(re)
    if (!m) continue
    const a = args(m)
    return i18n.global.t('dict.flag.' + (key || a.kind), a)
  }
  return flag
}
// A reading's flags ('kind: detail; kind: detail') and a day's ('2025-01-07 kind: detail').
export const flagsText = (flags: string | null | undefined) => (flags ? flags.split('; ').map(flagText).join(inChinese() ? '；' : '; ') : '')
export function dayFlagText(flag: string): string {
  const m = flag.match(/^(\d{4}-\d{2}-\d{2}) (.*)$/)
  return m ? m[1] + ' ' + flagText(m[2]) : flagText(flag)
}

// Why an import row was rejected, and the field it names (src/app/ingest).
export const rejectKindName = (k: string | null | undefined) => (k ? lookup(words().reject, k) ?? k : '')
export const fieldName = (f: string | null | undefined) => (f ? lookup(words().field, f) ?? f : '')
