// The registry: units, their sites, meters and activity records.
import { enc, request, type Answer, type Body, type Query } from './http'

const unitPath = (unit: string) => '/api/v1/units/' + enc(unit)

export const listUnits = (query: Query<'listUnits'> = {}) => request<Answer<'listUnits'>>('/api/v1/units', { query })
export const getUnit = (unit: string) => request<Answer<'getUnit'>>(unitPath(unit))
export const listSites = (unit: string) => request<Answer<'listSites'>>(unitPath(unit) + '/sites')
export const listMeters = (unit: string) => request<Answer<'listMeters'>>(unitPath(unit) + '/meters')
export const listActivities = (unit: string) => request<Answer<'listActivities'>>(unitPath(unit) + '/activities')
// Register a site or a meter, or change it (PUT: 201 registered, 200 changed).
export const putSite = (unit: string, site: string, body: Body<'putSite'>) =>
  request<Answer<'putSite'>>(unitPath(unit) + '/sites/' + enc(site), { method: 'PUT', body })
export const putMeter = (unit: string, meter: string, body: Body<'putMeter'>) =>
  request<Answer<'putMeter'>>(unitPath(unit) + '/meters/' + enc(meter), { method: 'PUT', body })
