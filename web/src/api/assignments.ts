// Verifiers assigned to units' inventories.
import { request, type Answer, type Body } from './http'

export const listAssignments = () => request<Answer<'listAssignments'>>('/api/v1/assignments')
// Assigns (or reassigns) the verifier of a unit's inventory of a year.
export const assignVerifier = (unit: string, year: number, body: Body<'assignVerifier'>) =>
  request<Answer<'assignVerifier'>>(`/api/v1/assignments/${encodeURIComponent(unit)}/${year}`, { method: 'PUT', body })
