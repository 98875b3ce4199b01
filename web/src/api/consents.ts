// Units' consents that banks see their figures.
import { request, type Answer, type Body, type Schemas } from './http'

export type Consent = Schemas['Consent']
export type ConsentScope = Schemas['ConsentScope']

export const listConsents = () => request<Answer<'listConsents'>>('/api/v1/consents')
export const grantConsent = (body: Body<'grantConsent'>) =>
  request<Answer<'grantConsent', 201>>('/api/v1/consents', { method: 'POST', body })
export const revokeConsent = (id: number) => request<void>('/api/v1/consents/' + id, { method: 'DELETE' })
export const listBanks = () => request<Answer<'listBanks'>>('/api/v1/banks')
