// Words of the charts' tables, the tables' cues and the district legend (issue 15).
export const chartsEn = {
  table: {
    region: '{title}: the table, scrolls sideways',
    scrollHint: 'Wide table: scroll sideways (or use the arrow keys) for more columns.',
    allColumns: 'Show all columns ({n} more)',
    fewerColumns: 'Main columns only',
    show: 'Show as table',
    hide: 'Hide table',
    category: 'Category',
    share: 'Share',
    amount: 'Value ({unit})',
    plainAmount: 'Value',
    value: '{label} ({unit})',
  },
  districts: {
    unit: 'Unit: {unit}',
    scale: 'Darker is higher:',
    noData: 'no data',
  },
  bank: {
    totals: 'Energy and emissions',
    intensities: 'Energy and carbon intensity',
  },
}
export type ChartsMessages = typeof chartsEn
