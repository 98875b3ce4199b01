import { reactive } from 'vue'
import { ApiError, setSignedIn, type Schemas } from './api/http'
import * as calls from './api/session'

export type Role = Schemas['Role']

export interface SessionState {
  loaded: boolean
  login: string
  role: Role | ''
  organisation: string
  units: string[]
  expired: boolean
  // Signed in with a temporary password: the app shows only the change form.
  mustChangePassword: boolean
}

export const session = reactive<SessionState>({
  loaded: false,
  login: '',
  role: '',
  organisation: '',
  units: [],
  expired: false,
  mustChangePassword: false,
})

// A signed-in user, or an API token (no role: the app has nothing for it).
function take(s: { login: string; role?: Role; organisation?: string; units: string[]; must_change_password?: boolean }) {
  session.login = s.login
  session.mustChangePassword = s.must_change_password ?? false
  session.role = s.role ?? ''
  session.organisation = s.organisation ?? ''
  session.units = s.units
  session.expired = false
  setSignedIn(true)
}

export async function loadSession() {
  try {
    take(await calls.getSession())
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e
    clear()
  } finally {
    session.loaded = true
  }
}

export async function signIn(login: string, password: string) {
  take(await calls.signIn({ login, password }))
}

export async function signOut() {
  try {
    await calls.signOut()
  } finally {
    clear()
  }
}

export async function changePassword(current: string, next: string) {
  await calls.changePassword({ current_password: current, new_password: next })
  session.mustChangePassword = false
}

export function clear() {
  session.mustChangePassword = false
  session.login = ''
  session.role = ''
  session.organisation = ''
  session.units = []
  setSignedIn(false)
}

export const isProgramme = () => session.role === 'programme_admin' || session.role === 'programme_staff'
export const isUnitPerson = () => session.role === 'unit_manager' || session.role === 'unit_member'
export const isManager = () => session.role === 'unit_manager'
export const isVerifier = () => session.role === 'verifier'
export const isBank = () => session.role === 'bank_analyst'
