// The city overview's data (api/overview.ts) and the sums the views draw.
import { getOverview, type Overview, type OverviewMonth, type OverviewUnit } from './api/overview'

export type { Overview }
export type UnitRow = OverviewUnit
export type MonthRow = OverviewMonth

export function loadOverview(year?: number, methodology?: string, basis?: 'published'): Promise<Overview> {
  const key = `${year ?? ''}|${methodology ?? ''}|${basis ?? ''}`
  if (prefetched && prefetched.key === key) {
    const p = prefetched.promise
    prefetched = undefined
    return p
  }
  return getOverview({ year, methodology, basis })
}

// The router asks for the overview as soon as it knows the page, so that
// the request runs while the page's code and the chart library load.
let prefetched: { key: string; promise: Promise<Overview> } | undefined
export function prefetchOverview(year?: number, methodology?: string, basis?: 'published') {
  const promise = getOverview({ year, methodology, basis })
  promise.catch(() => undefined)
  prefetched = { key: `${year ?? ''}|${methodology ?? ''}|${basis ?? ''}`, promise }
}

export function sumBy<T>(rows: T[], key: (r: T) => string, value: (r: T) => number): Map<string, number> {
  const m = new Map<string, number>()
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + value(r))
  return m
}

export const industrySection = (code: string) => (code || '?').charAt(0).toUpperCase()

// The city's totals year by year (one overview per year; the year already
// loaded is reused).
export interface YearTotal {
  year: number
  energy_tce: number
  total_tco2e: number
  units: number
}
export function totalsOf(o: Overview): YearTotal {
  const inv = o.units.filter((u) => u.inventory)
  return {
    year: o.year,
    energy_tce: inv.reduce((s, u) => s + u.energy_tce, 0),
    total_tco2e: inv.reduce((s, u) => s + u.total_tco2e, 0),
    units: inv.length,
  }
}
export async function loadYearly(loaded: Overview, basis?: 'published'): Promise<YearTotal[]> {
  const others = loaded.years.filter((y) => y !== loaded.year)
  const more = await Promise.all(others.map((y) => loadOverview(y, loaded.methodology, basis).then(totalsOf)))
  return [...more, totalsOf(loaded)].sort((a, b) => a.year - b.year)
}
