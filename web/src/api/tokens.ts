// API tokens with which a unit's gateways import data (docs/api.md, "Signing in").
import { request, type Answer, type Body, type Schemas } from './http'

export type ApiToken = Schemas['ApiToken']
export type IssuedToken = Schemas['IssuedToken']

export const listTokens = () => request<Answer<'listTokens'>>('/api/v1/tokens')
export const issueToken = (body: Body<'issueToken'>) => request<Answer<'issueToken', 201>>('/api/v1/tokens', { method: 'POST', body })
export const revokeToken = (id: number) => request<void>('/api/v1/tokens/' + id, { method: 'DELETE' })
