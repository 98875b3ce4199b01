// Shanghai's 16 districts (GB/T 2260 codes 310101–310151) placed on a tile
// grid that keeps their rough geography: Chongming island in the north-east,
// the centre around Huangpu, Pudong east of the river, the outer districts
// west and south. Names as the units' registry spells them (zh) and in pinyin.
export interface DistrictTile {
  zh: string
  en: string
  col: number
  row: number
}

export const DISTRICTS: DistrictTile[] = [
  { zh: '崇明区', en: 'Chongming', col: 4, row: 0 },
  { zh: '嘉定区', en: 'Jiading', col: 1, row: 1 },
  { zh: '普陀区', en: 'Putuo', col: 2, row: 1 },
  { zh: '宝山区', en: 'Baoshan', col: 3, row: 1 },
  { zh: '青浦区', en: 'Qingpu', col: 0, row: 2 },
  { zh: '长宁区', en: 'Changning', col: 1, row: 2 },
  { zh: '静安区', en: "Jing'an", col: 2, row: 2 },
  { zh: '虹口区', en: 'Hongkou', col: 3, row: 2 },
  { zh: '杨浦区', en: 'Yangpu', col: 4, row: 2 },
  { zh: '松江区', en: 'Songjiang', col: 0, row: 3 },
  { zh: '闵行区', en: 'Minhang', col: 1, row: 3 },
  { zh: '徐汇区', en: 'Xuhui', col: 2, row: 3 },
  { zh: '黄浦区', en: 'Huangpu', col: 3, row: 3 },
  { zh: '浦东新区', en: 'Pudong', col: 4, row: 3 },
  { zh: '金山区', en: 'Jinshan', col: 1, row: 4 },
  { zh: '奉贤区', en: 'Fengxian', col: 2, row: 4 },
]

export function districtName(zh: string, locale: string): string {
  if (locale.startsWith('zh')) return zh
  return DISTRICTS.find((d) => d.zh === zh)?.en ?? zh
}
