// A failed call in the user's language. The server's problem documents carry
// a stable code and its parameters besides the English detail (docs/api.md,
// "Problem codes"); the messages of every code are in
// messages/problems.{zh-CN,en}.ts. The English detail is shown only in the
// English interface, and only when the code has no message of its own.
import { i18n } from './i18n'
import { ApiError, type ProblemError } from './api/http'

// Parameters whose values are words of ours, said through other messages.
const wordOf: Record<string, (v: string) => string> = {
  status: (v) => word('status.' + v, v),
  to: (v) => word('problemWord.to.' + v, v),
  role: (v) => word('role.' + v, word('problemWord.role.' + v, v)),
  field: (v) => fieldName(v),
}

function word(key: string, fallback: string): string {
  return i18n.global.te(key) ? i18n.global.t(key) : fallback
}

// A body field, parameter or file column by its name ("units/2" is the
// third of units), in the current language when it is known.
export function fieldName(v: string): string {
  const m = v.match(/^(.*?)\/(\d+)$/)
  if (m) return i18n.global.t('problemField.item', { field: fieldName(m[1]), n: Number(m[2]) + 1 })
  return word('problemField.' + v.replace(/^#\//, ''), v)
}

// A size in bytes as people say it: "64 MB", "512 KB".
function size(bytes: string): string {
  const n = Number(bytes)
  if (!Number.isFinite(n)) return bytes
  if (n >= 1 << 20) return `${+(n / (1 << 20)).toFixed(1)} MB`
  if (n >= 1 << 10) return `${+(n / (1 << 10)).toFixed(1)} KB`
  return `${n} B`
}

function localParams(params: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params ?? {})) out[k] = wordOf[k] ? wordOf[k](v) : v
  if (params?.limit_bytes) out.limit = size(params.limit_bytes)
  return out
}

const genericOf: Record<number, string> = {
  400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  408: 'request_timeout', 409: 'conflict', 413: 'payload_too_large', 414: 'uri_too_long',
  415: 'unsupported_media_type', 422: 'invalid_input', 429: 'rate_limited', 431: 'headers_too_large',
  503: 'unavailable',
}

// The generic code of a status (500 and anything unknown: internal).
export function genericCode(status: number): string {
  return genericOf[status] ?? (status >= 400 && status < 500 ? 'bad_request' : 'internal')
}

function english(): boolean {
  return i18n.global.locale.value === 'en'
}

// The message of `code` with its parameters; the generic message of `status`
// when the code has none (in English: the server's detail, when it has one).
function say(code: string | undefined, params: Record<string, string> | undefined, status: number, detail: string) {
  const generic = genericCode(status)
  if (code && code !== generic && i18n.global.te('problem.' + code)) {
    return i18n.global.t('problem.' + code, localParams(params))
  }
  if (english() && detail) return detail
  return i18n.global.t('problem.' + generic)
}

// What to tell the user of a failed call, in the current language: the
// problem's message, and its places when it says only how many or what kind.
export function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    const head = say(e.code, e.params, e.status, e.detail)
    if (specific(e.code, e.status) && e.code !== 'several') return head
    if (english() && e.detail && !specific(e.code, e.status)) return head
    const places = problemPlaces(e)
    if (!places.length) return head
    const more = places.length > 5 ? i18n.global.t('problemField.more', { n: places.length - 5 }) : ''
    return i18n.global.t('problemField.list', { head, places: places.slice(0, 5).join(english() ? ' ' : '') + more })
  }
  if (e instanceof TypeError) return i18n.global.t('problem.network')
  return english() ? String(e) : i18n.global.t('problem.internal')
}

// One wrong place of a refused request, in the current language.
export function placeText(p: ProblemError, status = 422): string {
  return say(p.code, p.params, status, p.detail)
}

// Whether the code has a message of its own (not only its status's).
function specific(code: string | undefined, status: number): boolean {
  return !!code && code !== genericCode(status) && i18n.global.te('problem.' + code)
}

// Each wrong place of a refused request, with where it is: a place in a file,
// or a field whose problem has no message naming it; none when the one
// place is the problem itself, said already.
export function problemPlaces(e: unknown): string[] {
  if (!(e instanceof ApiError)) return []
  const only = e.errors.length === 1 ? e.errors[0] : undefined
  if (only && !only.file && only.code === e.code && specific(e.code, e.status)) return []
  return e.errors.map((p) => {
    const at = [p.file, p.line, p.column].filter((x) => x !== undefined && x !== '').join(':')
    let where = [at, p.file && p.field ? fieldName(p.field) : ''].filter(Boolean).join(' ')
    if (!p.file && p.pointer && !specific(p.code, e.status)) where = fieldName(p.pointer)
    const plain = !specific(p.code, e.status) && !(english() && p.detail)
    const text = plain ? i18n.global.t('problemField.invalid') : placeText(p, e.status)
    return where ? i18n.global.t('problemField.at', { where, text }) : text
  })
}

// The problem's own message, without its places.
export function problemHeadline(e: unknown): string {
  if (e instanceof ApiError) return say(e.code, e.params, e.status, e.detail)
  return problemText(e)
}

// Why a row of an import was rejected, in the current language: by its kind
// (the server's English message only in the English interface).
export function rejectText(r: { kind: string; field?: string; message: string }): string {
  if (english() && r.message) return r.message
  const field = r.field ? fieldName(r.field) : ''
  let key = 'reject.' + r.kind
  if (r.kind.startsWith('invalid_')) key = 'reject.invalid'
  if (r.kind === 'missing_column' && !field) key = 'reject.missing_column_any'
  if (!i18n.global.te(key)) key = 'reject.other'
  return i18n.global.t(key, { field })
}

// The kind of a rejected row in a word or two.
export function rejectKindText(kind: string): string {
  const k = kind.startsWith('invalid_') ? 'invalid' : kind
  return word('rejectKind.' + k, english() ? kind : i18n.global.t('rejectKind.other'))
}
