// Inventories: computing, reading, explaining, and the workflow.
import { request, type Answer, type Body, type Query, type Schemas } from './http'

export type InventorySummary = Schemas['InventorySummary']
export type InventoryView = Answer<'getInventory'>
export type InventoryUnit = Schemas['InventoryUnit']
export type InventoryLine = Schemas['InventoryLine']
export type BankFigures = Schemas['BankFigures']
export type DataChanged = Schemas['DataChanged']

const at = (id: number | string) => '/api/v1/inventories/' + id

export const listInventories = (query: Query<'listInventories'> = {}) =>
  request<Answer<'listInventories'>>('/api/v1/inventories', { query })
// The programme office's work queues of a reporting year (default: last year).
export const programmeWorklist = (query: Query<'programmeWorklist'> = {}) =>
  request<Answer<'programmeWorklist'>>('/api/v1/worklist', { query })
export type WorkItem = Schemas['WorkItem']
export const computeInventory = (body: Body<'computeInventory'>) =>
  request<Answer<'computeInventory', 201>>('/api/v1/inventories', { method: 'POST', body })
export const getInventory = (id: number | string) => request<Answer<'getInventory'>>(at(id))
export const explainInventory = (id: number | string, line?: string) =>
  request<Answer<'explainInventory'>>(at(id) + '/explanation', { query: { line } })

// A step of the workflow: submit or publish (an optional reason), verify or
// return (the verifier's opinion).
export function submitInventory(id: number | string, body: Body<'submitInventory'> = {}) {
  return request<Answer<'submitInventory'>>(at(id) + '/submit', { method: 'POST', body })
}
export function publishInventory(id: number | string, body: Body<'publishInventory'> = {}) {
  return request<Answer<'publishInventory'>>(at(id) + '/publish', { method: 'POST', body })
}
export function verifyInventory(id: number | string, body: Body<'verifyInventory'>) {
  return request<Answer<'verifyInventory'>>(at(id) + '/verify', { method: 'POST', body })
}
export function returnInventory(id: number | string, body: Body<'returnInventory'>) {
  return request<Answer<'returnInventory'>>(at(id) + '/return', { method: 'POST', body })
}

// The verifier's report file (a PDF) on an inventory under review; the
// link that downloads it.
export function attachReport(id: number | string, file: File) {
  return request<Answer<'putReviewReport', 201>>(at(id) + '/report', {
    method: 'PUT',
    raw: file,
    contentType: 'application/pdf',
    query: { file_name: file.name },
  })
}
export const reportHref = (id: number | string) => at(id) + '/report'

// A correction: a new version from the current data, superseding `id`.
export function correctInventory(id: number | string, body: Body<'correctInventory'>) {
  return request<Answer<'correctInventory', 201>>(at(id) + '/corrections', { method: 'POST', body })
}

// The inventory's document (any inventory but a bank's view of a verified one).
export function documentOf(inv: InventoryView | undefined): Schemas['InventoryDocument'] | undefined {
  return inv && 'document' in inv ? inv.document : undefined
}
// A bank's figures of a verified inventory under consent.
export function figuresOf(inv: InventoryView | undefined): BankFigures | undefined {
  return inv && 'figures' in inv ? inv.figures : undefined
}
