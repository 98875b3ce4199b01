import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { prefetchOverview } from './overview'
import { watch } from 'vue'
import { i18n } from './i18n'
import { session, type Role } from './session'

const P: Role[] = ['programme_admin', 'programme_staff']
const U: Role[] = ['unit_manager', 'unit_member']

// meta.roles: who may open the page (none: everyone, signed in or not).
const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./views/HomeRedirect.vue') },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: 'login.title' } },
  { path: '/public', name: 'public', component: () => import('./views/PublicView.vue'), beforeEnter: () => prefetchOverview(undefined, undefined, 'published'), meta: { title: 'nav.public' } },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: 'nav.dashboard', roles: U } },
  { path: '/work', name: 'work', component: () => import('./views/WorkView.vue'), meta: { title: 'nav.work', roles: P } },
  { path: '/overview', name: 'overview', component: () => import('./views/OverviewView.vue'), meta: { title: 'nav.overview', roles: P } },
  { path: '/completeness', name: 'completeness', component: () => import('./views/CompletenessView.vue'), meta: { title: 'nav.completeness', roles: [...P, ...U] } },
  { path: '/units', name: 'units', component: () => import('./views/UnitsView.vue'), meta: { title: 'nav.units', roles: [...P, ...U, 'verifier'] } },
  { path: '/units/:unit', name: 'unit', component: () => import('./views/UnitView.vue'), meta: { title: 'common.unit', roles: [...P, ...U, 'verifier', 'bank_analyst'] } },
  { path: '/units/:unit/meters/:meter', name: 'meter', component: () => import('./views/MeterView.vue'), meta: { title: 'common.meter', roles: [...P, ...U, 'verifier', 'bank_analyst'] } },
  { path: '/imports', name: 'imports', component: () => import('./views/ImportsView.vue'), meta: { title: 'nav.imports', roles: [...P, ...U] } },
  { path: '/inventories', name: 'inventories', component: () => import('./views/InventoriesView.vue'), meta: { title: 'nav.inventories', roles: [...P, ...U, 'verifier', 'bank_analyst'] } },
  { path: '/inventories/:id', name: 'inventory', component: () => import('./views/InventoryView.vue'), meta: { title: 'nav.inventories' } },
  { path: '/verification', name: 'verification', component: () => import('./views/VerificationView.vue'), meta: { title: 'nav.verification', roles: ['verifier'] } },
  { path: '/bank', name: 'bank', component: () => import('./views/BankView.vue'), meta: { title: 'nav.bank', roles: ['bank_analyst'] } },
  { path: '/users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { title: 'nav.users', roles: P } },
  { path: '/password', name: 'password', component: () => import('./views/PasswordView.vue'), meta: { title: 'nav.password', roles: [...P, ...U, 'verifier', 'bank_analyst'] } },
  { path: '/consents', name: 'consents', component: () => import('./views/ConsentsView.vue'), meta: { title: 'nav.consents', roles: [...P, ...U] } },
  { path: '/tokens', name: 'tokens', component: () => import('./views/TokensView.vue'), meta: { title: 'pagesNav.tokens', roles: ['programme_admin', 'unit_manager'] } },
  { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { title: 'pagesNav.audit', roles: P } },
  // Reference data is public (the API's too): no roles.
  { path: '/datasets', name: 'datasets', component: () => import('./views/DatasetsView.vue'), meta: { title: 'pagesNav.datasets' } },
  { path: '/datasets/:dataset/:version', name: 'dataset', component: () => import('./views/DatasetView.vue'), meta: { title: 'pagesNav.datasets' } },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

export function homeOf(role: Role | ''): string {
  switch (role) {
    case 'programme_admin':
    case 'programme_staff':
      return '/work'
    case 'unit_manager':
    case 'unit_member':
      return '/dashboard'
    case 'verifier':
      return '/verification'
    case 'bank_analyst':
      return '/bank'
    default:
      return '/public'
  }
}

router.beforeEach((to, from) => {
  const roles = to.meta.roles as Role[] | undefined
  if (!roles) return true
  if (!session.role) return { name: 'login', query: { next: to.fullPath } }
  if (!roles.includes(session.role)) return homeOf(session.role)
  // A temporary password: nothing else until it is changed.
  if (session.mustChangePassword && to.name !== 'password') return { name: 'password', query: { next: to.fullPath } }
  // Pages whose charts come first: fetch the chart library alongside.
  if (to.name === 'overview' || to.name === 'public' || to.name === 'meter') import('./echarts')
  if (to.name === 'overview' && from.name !== 'overview') {
    const q = to.query
    prefetchOverview(q.year ? Number(q.year) : undefined, typeof q.methodology === 'string' ? q.methodology : 'shanghai')
  }
  return true
})

// The page title: the page's name, then the app's, in the language shown.
function setTitle() {
  const key = router.currentRoute.value.meta.title as string | undefined
  const t = i18n.global.t
  document.title = key ? `${t(key)} · ${t('app.name')}` : t('app.name')
}
router.afterEach(setTitle)
watch(i18n.global.locale, setTitle)
