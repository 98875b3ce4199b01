// The registry: units, their sites, meters and activity records.
import { enc, request, type Answer, type Query } from './http'

const unitPath = (unit: string) => '/api/v1/units/' + enc(unit)

export const listUnits = (query: Query<'listUnits'> = {}) => request<Answer<'listUnits'>>('/api/v1/units', { query })
export const getUnit = (unit: string) => request<Answer<'getUnit'>>(unitPath(unit))
export const listSites = (unit: string) => request<Answer<'listSites'>>(unitPath(unit) + '/sites')
export const listMeters = (unit: string) => request<Answer<'listMeters'>>(unitPath(unit) + '/meters')
export const listActivities = (unit: string) => request<Answer<'listActivities'>>(unitPath(unit) + '/activities')
