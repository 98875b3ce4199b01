// Reference datasets in words: where a row applies, its validity and
// confidence, and the source of a version (the pages of /datasets).
import { i18n } from './i18n'
import { datasetSources } from './dictionary.gen'
import { regionName } from './format'

const t = (key: string, params: Record<string, unknown> = {}) => i18n.global.t(key, params)
const inChinese = () => i18n.global.locale.value.startsWith('zh')

// CN, global, a grid region (grid:east) or a GB/T 2260 province code.
export function regionText(r: string): string {
  if (r === 'CN' || r === 'global') return t('datasets.region_.' + r)
  const grid = r.match(/^grid:(\w+)$/)
  if (grid) {
    const key = 'datasets.grids.' + grid[1]
    return t('datasets.region_.grid', { name: i18n.global.te(key) ? t(key) : grid[1] })
  }
  return regionName(r)
}
export function validityText(from?: string, to?: string): string {
  if (from && to) return t('datasets.fromTo', { from, to })
  if (from) return t('datasets.since', { from })
  if (to) return t('datasets.until', { to })
  return t('datasets.always')
}
export function confidenceText(c: string): string {
  const key = 'datasets.grade.' + c
  return i18n.global.te(key) ? t(key) : c
}
// A version's source: the published source (dataset-names.csv) in Chinese;
// its title, which names it, in English.
export function datasetCitation(d: { id: string; title: string }): string {
  return inChinese() ? datasetSources[d.id] ?? '' : d.title
}
