import type { ChartsMessages } from './charts.en'

// Words of the charts' tables, the tables' cues and the district legend (issue 15).
export const chartsZhCN: ChartsMessages = {
  table: {
    region: '{title}：表格内容，可左右滚动',
    scrollHint: '表格较宽：左右滑动（或用方向键）查看其余列。',
    allColumns: '显示全部列（另有 {n} 列）',
    fewerColumns: '只显示主要列',
    show: '查看数据表',
    hide: '隐藏数据表',
    category: '类别',
    share: '占比',
    amount: '数值（{unit}）',
    plainAmount: '数值',
    value: '{label}（{unit}）',
  },
  districts: {
    unit: '单位：{unit}',
    scale: '颜色越深数值越高：',
    noData: '无数据',
  },
  bank: {
    totals: '综合能耗与排放',
    intensities: '万元产值能耗与碳排放强度',
  },
}
