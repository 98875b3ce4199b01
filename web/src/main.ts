import { createApp } from 'vue'
import { vLoading } from 'element-plus'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/loading/style/css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import './theme.css'
import './style.css'
import App from './App.vue'
import { i18n, localeReady } from './i18n'
import { router } from './router'
import { loadSession } from './session'

// The session and the language are known before the first page is chosen.
Promise.all([loadSession().catch(() => undefined), localeReady.catch(() => undefined)]).finally(() => {
  createApp(App).use(i18n).use(router).directive('loading', vLoading).mount('#app')
})
