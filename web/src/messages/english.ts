// Every English message, in one chunk fetched when English is first chosen:
// Chinese is the default and the only language in the first load (i18n.ts).
import { en } from './en'
import { problemsEn } from './problems.en'
import { dictionaryEn } from './dictionary.en'
import { pagesEn } from './pages.en'
import { chartsEn } from './charts.en'

export const english = { ...en, ...problemsEn, ...pagesEn, dict: dictionaryEn, charts: chartsEn }
