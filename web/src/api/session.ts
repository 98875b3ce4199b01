// Signing in and out, and who the caller is.
import { request, type Answer, type Body } from './http'

export const getSession = () => request<Answer<'getSession'>>('/api/v1/session', { sessionCall: true })

export const signIn = (body: Body<'signIn'>) =>
  request<Answer<'signIn'>>('/api/v1/session', { method: 'POST', body, sessionCall: true })

export const signOut = () => request<void>('/api/v1/session', { method: 'DELETE', sessionCall: true })

export const changePassword = (body: Body<'changePassword'>) =>
  request<void>('/api/v1/session/password', { method: 'POST', body })
