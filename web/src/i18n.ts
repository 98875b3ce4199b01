import { createI18n } from 'vue-i18n'
import { zhCN } from './messages/zh-CN'
import { en } from './messages/en'
import { problemsZhCN } from './messages/problems.zh-CN'
import { problemsEn } from './messages/problems.en'
import { dictionaryZh } from './messages/dictionary.zh-CN'
import { dictionaryEn } from './messages/dictionary.en'
import { pagesZhCN } from './messages/pages.zh-CN'
import { pagesEn } from './messages/pages.en'
import { chartsZhCN } from './messages/charts.zh-CN'
import { chartsEn } from './messages/charts.en'

export type Locale = 'zh-CN' | 'en'
const saved = localStorage.getItem('cl.locale')
export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'en',
  // The problem codes' messages (problems.ts) beside each language's own; the
  // words for codes (dictionary.*.ts) under `dict.`; the pages of pages.*.ts;
  // the charts' and tables' words (charts.*.ts) under `charts.`.
  messages: {
    'zh-CN': { ...zhCN, ...problemsZhCN, ...pagesZhCN, dict: dictionaryZh, charts: chartsZhCN },
    en: { ...en, ...problemsEn, ...pagesEn, dict: dictionaryEn, charts: chartsEn },
  },
})

export function setLocale(l: Locale) {
  i18n.global.locale.value = l
  localStorage.setItem('cl.locale', l)
  document.documentElement.lang = l
}
document.documentElement.lang = i18n.global.locale.value
