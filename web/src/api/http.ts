// The one transport of the app's calls to the server: same origin, the
// session cookie and its CSRF token, problems as ApiError, the end of a
// session noticed. The calls themselves are the per-resource modules of this
// folder, typed from api/openapi.json (schema.gen.ts, made at build time);
// paths are spelled there and nowhere else.
import type { components, operations } from './schema.gen'

export type Schemas = components['schemas']
export type ProblemError = Schemas['ProblemError']

// The JSON body of an operation's answer with a status (200 unless told).
export type Answer<Op extends keyof operations, Status extends number = 200> =
  operations[Op]['responses'] extends { [S in Status]: { content: { 'application/json': infer T } } } ? T : never
// The JSON body an operation takes.
export type Body<Op extends keyof operations> =
  NonNullable<operations[Op]['requestBody']> extends { content: { 'application/json': infer T } } ? T : never
// An operation's query parameters.
export type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>

// A refused call. `code` and `params` say what went wrong in words of no
// language (docs/api.md, "Problem codes"): problems.ts makes the user's text
// of them; `detail` is the server's English, for the English interface only.
export class ApiError extends Error {
  status: number
  title: string
  detail: string
  code: string
  params: Record<string, string>
  errors: ProblemError[]
  constructor(status: number, title: string, detail: string, errors: ProblemError[] = [],
    code = '', params: Record<string, string> = {}) {
    super(detail || title)
    this.status = status
    this.title = title
    this.detail = detail
    this.code = code
    this.params = params
    this.errors = errors
  }
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
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  body?: unknown
  raw?: BodyInit
  contentType?: string
  headers?: Record<string, string>  // e.g. Content-Encoding: gzip for a .gz upload
  query?: object  // an operation's Query<…>: values undefined or '' are left out
  sessionCall?: boolean  // the session's own calls: a 401 there is no news of an ended session
}

// A path (as the calling module spells it) with its query.
export function url(path: string, query?: RequestOptions['query']): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return path + (s ? '?' + s : '')
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
    let code = ''
    let params: Record<string, string> = {}
    try {
      const p = (await res.json()) as Partial<Schemas['Problem']>
      title = p.title ?? title
      detail = p.detail ?? ''
      errors = p.errors ?? []
      code = p.code ?? ''
      params = p.params ?? {}
    } catch {
      /* not a problem document */
    }
    if (res.status === 401 && signedIn && !o.sessionCall) {
      signedIn = false
      for (const f of expiredListeners) f()
    }
    throw new ApiError(res.status, title, detail, errors, code, params)
  }
  return res
}

// The JSON answer (undefined for 204), typed by the calling module.
export async function request<T>(path: string, o: RequestOptions = {}): Promise<T> {
  const res = await send(path, o)
  if (res.status === 204) return undefined as T
  return (await res.json()) as T
}

export function enc(s: string): string {
  return encodeURIComponent(s)
}

// Rows newest first (the highest id first), as lists of batches and consents show them.
export function newestFirst<T extends { id: number }>(rows: readonly T[] | undefined): T[] {
  return [...(rows ?? [])].sort((a, b) => b.id - a.id)
}
