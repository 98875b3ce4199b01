// One meter and its stored readings: every reading, or min/mean/max buckets.
import { enc, request, type Answer, type Schemas } from './http'

export type Meter = Schemas['Meter']
export type Reading = Schemas['Reading']
export type Bucket = Schemas['Bucket']

const meterPath = (unit: string, meter: string) => '/api/v1/units/' + enc(unit) + '/meters/' + enc(meter)

export const getMeter = (unit: string, meter: string) => request<Answer<'getMeter'>>(meterPath(unit, meter))

// Every reading between two local dates (at most 400 days).
export const readings = (unit: string, meter: string, from: string, to: string) =>
  request<Schemas['RawReadings']>(meterPath(unit, meter) + '/readings', { query: { from, to } })

// The same range in `buckets` equal spans (up to 30 years).
export const bucketedReadings = (unit: string, meter: string, from: string, to: string, buckets: number) =>
  request<Schemas['BucketedReadings']>(meterPath(unit, meter) + '/readings', { query: { from, to, buckets } })
