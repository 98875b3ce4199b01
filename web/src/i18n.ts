import { createI18n } from 'vue-i18n'
import { zhCN } from './messages/zh-CN'
import { problemsZhCN } from './messages/problems.zh-CN'
import { dictionaryZh } from './messages/dictionary.zh-CN'
import { pagesZhCN } from './messages/pages.zh-CN'
import { chartsZhCN } from './messages/charts.zh-CN'

export type Locale = 'zh-CN' | 'en'
const saved = localStorage.getItem('cl.locale')
export const i18n = createI18n({
  legacy: false,
  locale: 'zh-CN',
  fallbackLocale: 'en',
  // The problem codes' messages (problems.ts) beside each language's own; the
  // words for codes (dictionary.*.ts) under `dict.`; the pages of pages.*.ts;
  // the charts' and tables' words (charts.*.ts) under `charts.`.
  messages: {
    'zh-CN': { ...zhCN, ...problemsZhCN, ...pagesZhCN, dict: dictionaryZh, charts: chartsZhCN },
    en: {}, // loadEnglish()
  },
})

// English arrives with its first use (messages/english.ts): the first load
// of the app carries Chinese alone.
let english: Promise<void> | undefined
function loadEnglish(): Promise<void> {
  english ??= import('./messages/english').then((m) => i18n.global.setLocaleMessage('en', m.english as never))
  return english
}

export async function setLocale(l: Locale) {
  if (l === 'en') await loadEnglish()
  i18n.global.locale.value = l
  localStorage.setItem('cl.locale', l)
  document.documentElement.lang = l
}
document.documentElement.lang = i18n.global.locale.value
// The language chosen last time, ready before the first page is drawn.
export const localeReady: Promise<void> = saved === 'en' ? setLocale('en') : Promise.resolve()
