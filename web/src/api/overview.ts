// The programme office's views: the city overview and meter completeness.
import { request, type Answer, type Query, type Schemas } from './http'

export type Overview = Schemas['Overview']
export type OverviewUnit = Schemas['OverviewUnit']
export type OverviewMonth = Schemas['OverviewMonth']
export type MeterCompleteness = Schemas['MeterCompleteness']

export const getOverview = (query: Query<'cityOverview'> = {}) =>
  request<Answer<'cityOverview'>>('/api/v1/overview', { query })
export const getCompleteness = (query: Query<'meterCompleteness'> = {}) =>
  request<Answer<'meterCompleteness'>>('/api/v1/completeness', { query })
// When the inventories of a reporting year are due (data/programme.toml).
export const getCalendar = (query: Query<'programmeCalendar'> = {}) =>
  request<Answer<'programmeCalendar'>>('/api/v1/calendar', { query })
