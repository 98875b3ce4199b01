// The one way the app talks to the server: the documented API under
// /api/v1 (docs/api.md), same origin, the session cookie and its CSRF token.

export interface ProblemError {
  pointer?: string
  detail?: string
  file?: string
  line?: number
  column?: number
}

export class ApiError extends Error {
  status: number
  title: string
  detail: string
  errors: ProblemError[]
  constructor(status: number, title: string, detail: string, errors: ProblemError[] = []) {
    super(detail || title)
    this.status = status
    this.title = title
    this.detail = detail
    this.errors = errors
  }
}

// What to tell the user of a failed call: the problem's detail, else its title.
export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.detail || e.title : String(e)
}

type Listener = () => void
const expiredListeners: Listener[] = []
// Called when a signed-in request comes back 401: the session has ended.
export function onSessionExpired(f: Listener) {
  expiredListeners.push(f)
}

function csrfToken(): string {
  const m = document.cookie.match(/(?:^|;\s*)cl_csrf=([^;]*)/)
  return m ? decodeURIComponent(m[1]) : ''
}

let signedIn = false
export function setSignedIn(v: boolean) {
  signedIn = v
}

export interface RequestOptions {
  method?: string
  body?: unknown
  raw?: BodyInit
  contentType?: string
  headers?: Record<string, string>  // e.g. Content-Encoding: gzip for a .gz upload
  query?: Record<string, string | number | undefined>
}

export function url(path: string, query?: RequestOptions['query']): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return '/api/v1' + path + (s ? '?' + s : '')
}

async function send(path: string, o: RequestOptions = {}): Promise<Response> {
  const method = o.method ?? 'GET'
  const headers: Record<string, string> = { Accept: 'application/json', ...(o.headers ?? {}) }
  let body: BodyInit | undefined
  if (o.raw !== undefined) {
    body = o.raw
    if (o.contentType) headers['Content-Type'] = o.contentType
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body)
    headers['Content-Type'] = 'application/json'
  }
  if (method !== 'GET') {
    const t = csrfToken()
    if (t) headers['X-CSRF-Token'] = t
  }
  const res = await fetch(url(path, o.query), { method, headers, body, credentials: 'same-origin' })
  if (!res.ok) {
    let title = res.statusText
    let detail = ''
    let errors: ProblemError[] = []
    try {
      const p = await res.json()
      title = p.title ?? title
      detail = p.detail ?? ''
      errors = p.errors ?? []
    } catch {
      /* not a problem document */
    }
    if (res.status === 401 && signedIn && path !== '/session') {
      signedIn = false
      for (const f of expiredListeners) f()
    }
    throw new ApiError(res.status, title, detail, errors)
  }
  return res
}

export async function api<T = any>(path: string, o: RequestOptions = {}): Promise<T> {
  const res = await send(path, o)
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

export async function apiText(path: string, o: RequestOptions = {}): Promise<string> {
  return (await send(path, o)).text()
}

export function enc(s: string): string {
  return encodeURIComponent(s)
}

// A bank consent as GET /api/v1/consents lists it.
export interface Consent {
  id: number
  unit: string
  bank: string
  scopes: string[]
  year_from: number
  year_to: number
  expires_at: string
  created_at: string
  created_by: string
  active: boolean
  revoked_at?: string
}

// Rows newest first (the highest id first), as lists of batches and consents show them.
export function newestFirst<T extends { id: number }>(rows: readonly T[] | undefined): T[] {
  return [...(rows ?? [])].sort((a, b) => b.id - a.id)
}
