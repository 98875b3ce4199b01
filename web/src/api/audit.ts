// The audit log: its entries, page by page, and the check of its chain.
import { request, type Answer, type Query, type Schemas } from './http'

export type AuditEntry = Schemas['AuditEntry']

export const listAudit = (query: Query<'listAudit'> = {}) => request<Answer<'listAudit'>>('/api/v1/audit', { query })
export const verifyAudit = () => request<Answer<'verifyAudit'>>('/api/v1/audit/verification')
