// Verifiers assigned to units' inventories.
import { request, type Answer } from './http'

export const listAssignments = () => request<Answer<'listAssignments'>>('/api/v1/assignments')
