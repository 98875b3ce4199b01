// Words of the charts' tables, the tables' cues and the district legend (issue 15).
export const chartsEn = {
  table: {
    scrollHint: 'This table is wide: scroll sideways (or use the arrow keys) to see its other columns.',
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
