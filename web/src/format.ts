// Numbers and names as the reader's language writes them.
import { i18n } from './i18n'

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

// A carrier's (activity's) name, or its code when there is no translation.
export function carrierName(code: string): string {
  const key = 'carrier.' + code
  return i18n.global.te(key) ? i18n.global.t(key) : code
}

// The last day a consent is valid: it ends at the start of the next day
// (expires_at), so the day before that instant, in UTC.
export function lastValidDay(expiresAt: string): string {
  const t = Date.parse(expiresAt)
  return Number.isNaN(t) ? expiresAt : new Date(t - 1000).toISOString().slice(0, 10)
}
