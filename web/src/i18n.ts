import { createI18n } from 'vue-i18n'
import { zhCN } from './messages/zh-CN'
import { en } from './messages/en'
import { dictionaryZh } from './messages/dictionary.zh-CN'
import { dictionaryEn } from './messages/dictionary.en'

export type Locale = 'zh-CN' | 'en'
const saved = localStorage.getItem('cl.locale')
export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'en',
  // The words for codes (dictionary.*.ts) under `dict.`, beside the pages' messages.
  messages: { 'zh-CN': { ...zhCN, dict: dictionaryZh }, en: { ...en, dict: dictionaryEn } },
})

export function setLocale(l: Locale) {
  i18n.global.locale.value = l
  localStorage.setItem('cl.locale', l)
  document.documentElement.lang = l
}
document.documentElement.lang = i18n.global.locale.value
