// 数据文件中没有名称的代码（数据来源、采集间隔、因子参数、计量单位等）的中文写法；
// 活动、数据集和核算方法的名称取自 ../data（dictionary.gen.ts，经 format.ts）。
import type { dictionaryEn } from './dictionary.en'

export const dictionaryZh: typeof dictionaryEn = {
  source: { meter: '计量表', bill: '账单', manual: '手工填报', estimate: '估算', user: '单位自报' },
  interval: {
    '1min': '1 分钟', '5min': '5 分钟', '10min': '10 分钟', '15min': '15 分钟', '30min': '30 分钟', '60min': '每小时',
    '1h': '每小时', hour: '每小时', hourly: '每小时', day: '每日', daily: '每日', month: '每月', monthly: '每月',
    minutes: '{n} 分钟',
  },
  factor: {
    tce_coefficient: '折标准煤系数', ncv: '低位发热量', carbon_content: '单位热值含碳量', oxidation_rate: '碳氧化率',
    ef: '排放因子', location: '基于位置的排放因子', 'market residual': '市场剩余组合排放因子',
    'market instrument': '合同工具排放因子', gwp: '全球增温潜势', ratio: '换算系数', '44/12': '二氧化碳与碳的分子量之比（44/12）',
    'steam heat content': '蒸汽热焓', factor: '因子', option: '计算选项',
  },
  row: {
    grid_average: '电网平均', grid_excl_market_nonfossil: '电网平均（不含市场化交易非化石能源电量）',
    grid_fossil: '化石能源电量', green_power_interprovincial: '跨省绿色电力',
    purchased_heat: '外购热力', co2_per_carbon: '碳转换为二氧化碳', renewable_attribute: '可再生能源属性',
    electricity_equivalent: '电力（当量值）', natural_gas_gasfield: '天然气（气田）',
    natural_gas_oilfield: '天然气（油田）', steam_low_pressure: '低压蒸汽', raw_coal: '原煤',
    CH4_fossil: '甲烷（化石来源）', CH4_non_fossil: '甲烷（非化石来源）',
  },
  qualifier: { mobile: '移动源', stationary: '固定源', category: '第 {n} 类' },
  gwpSet: { AR4: 'IPCC 第四次评估报告', AR5: 'IPCC 第五次评估报告', AR6: 'IPCC 第六次评估报告' },
  gas: { CO2: '二氧化碳', CH4: '甲烷', N2O: '氧化亚氮', SF6: '六氟化硫', NF3: '三氟化氮', CF4: '四氟化碳', C2F6: '六氟乙烷', CO2e: '二氧化碳当量' },
  scope: { n: '范围{n}', 0: '—', 1: '范围一', 2: '范围二', 3: '范围三' },
  iso: '第 {n} 类',
  reject: {
    missing_value: '缺少数值', missing_day: '缺少日期', missing_column: '缺少列', missing_field: '缺少字段',
    bad_csv: 'CSV 格式错误', bad_json: 'JSON 格式错误', bad_encoding: '文字编码无法识别', bad_number: '不是有效数字',
    bad_timestamp: '时间格式错误', unknown_meter: '计量表未登记', out_of_bounds: '超出合理范围',
    duplicate: '重复', out_of_order: '顺序错误', negative_value: '数值为负',
  },
  field: {
    timestamp: '时间', meter: '计量表', value: '读数', unit: '单位', activity: '活动', quantity: '活动数据',
    unit_of_measure: '计量单位', period_start: '期间起', period_end: '期间止', data_source: '数据来源',
    site: '场所', factor: '因子', factor_unit: '因子单位', note: '备注',
  },
  rowAt: '第 {n} 行',
  meterSum: '计量表 {meter} 的 {n} 条读数之和',
  uom: {
    m3: '立方米', '10^4 m3': '万立方米', t: '吨', kg: '千克', kWh: '千瓦时', MWh: '兆瓦时', '10^4 kWh': '万千瓦时', GJ: '吉焦',
    MJ: '兆焦', CNY: '元', '10^4 CNY': '万元', tce: '吨标准煤', kgce: '千克标准煤', kgCO2e: '千克二氧化碳当量', m2: '平方米', tCO2e: '吨二氧化碳当量', tCO2: '吨二氧化碳',
    tC: '吨碳', '1': '', '%': '%',
  },
  formula: {
    'AD (MWh) × EF (tCO2/MWh)': '活动数据（兆瓦时）× 排放因子（吨二氧化碳/兆瓦时）',
    '−AD (MWh) × EF (tCO2/MWh)': '−活动数据（兆瓦时）× 排放因子（吨二氧化碳/兆瓦时）',
    'memo: exported energy is not deducted under this profile': '备忘：本核算方法不扣减输出能源',
    'self-generated renewable electricity: no emissions': '自发自用可再生能源电力：无排放',
    'AD (t) × heat content (GJ/t) × EF (tCO2/GJ)': '活动数据（吨）× 热焓（吉焦/吨）× 排放因子（吨二氧化碳/吉焦）',
    'AD (GJ) × EF (tCO2/GJ)': '活动数据（吉焦）× 排放因子（吨二氧化碳/吉焦）',
    '−AD (GJ) × EF (tCO2/GJ)': '−活动数据（吉焦）× 排放因子（吨二氧化碳/吉焦）',
    'FC × EF (user-supplied)': '燃料消耗量 × 排放因子（单位自报）',
    'AD (GJ) × CC × OF × 44/12': '活动数据（吉焦）× 单位热值含碳量 × 碳氧化率 × 44/12',
    'FC × NCV × CC × OF × 44/12': '燃料消耗量 × 低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12',
    'mass of gas (t) × GWP': '气体质量（吨）× 全球增温潜势',
    'AD × EF (user-supplied)': '活动数据 × 排放因子（单位自报）',
    'AD × EF (user-supplied); biogenic CO2 reported outside the totals': '活动数据 × 排放因子（单位自报）；生物质二氧化碳单独报告，不计入总量',
  } as Record<string, string>,
  timeZone: { 'Asia/Shanghai': '北京时间（UTC+8）', UTC: '协调世界时' },
  warning: {
    fallback: '所定版本的{dataset}中没有 {year} 年的“{key}”因子，已采用 {used} 年数据',
    noCoefficient: 'GB/T 2589 未给出{activity}的折标准煤系数；请以吉焦填报数量，以计入能耗',
    otherRegion: '本单位位于{province}，按要求采用{methodology}（适用于{region}）的规则',
    certificatesExceed: '绿证 {certificates} 超过本行的 {mwh} 兆瓦时，超出部分未予抵扣',
    certificatesCover: '绿证覆盖 {mwh} 兆瓦时中的 {covered}，其余按剩余组合排放因子计算',
    supplierHeat: '{methodology}不采用供热方特定排放因子',
  },
  large: { tce: '万吨标准煤', tCO2e: '万吨二氧化碳当量' },
  figure: {
    energy: '能耗', emissions: '排放量', header: { title: '表名', year: '年度', methodology: '核算方法', unit: '计量单位' },
    multiplier: '倍率', both: '能耗：{energy}；排放量：{emissions}', perOutput: '{unit}/万元', about: '约 {v}', labelled: '{label}：{value}',
  },
}
