// Users, as the programme office administers them (docs/roles.md §Accounts).
import { enc, request, type Answer, type Body } from './http'

export type Account = Answer<'getUser'>

const userPath = (login: string) => '/api/v1/users/' + enc(login)

export const listUsers = () => request<Answer<'listUsers'>>('/api/v1/users')
export const createUser = (body: Body<'createUser'>) =>
  request<Answer<'createUser', 201>>('/api/v1/users', { method: 'POST', body })
export const changeUser = (login: string, body: Body<'changeUser'>) =>
  request<Account>(userPath(login), { method: 'PATCH', body })
export const resetPassword = (login: string) =>
  request<Answer<'resetPassword', 201>>(userPath(login) + '/password-reset', { method: 'POST', body: {} })
export const endSessions = (login: string) =>
  request<Answer<'endSessions'>>(userPath(login) + '/sessions', { method: 'DELETE' })
