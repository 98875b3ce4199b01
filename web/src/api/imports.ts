// Imports of readings and activity records, their batches and rejected rows.
import { request, url, type Answer, type Query, type Schemas } from './http'

export type Batch = Schemas['Batch']
export type Reject = Schemas['Reject']
export type ImportResult = Schemas['ImportResult']

// Uploads a file as it is: CSV or JSON Lines, gzipped when `gzip`.
export function importFile(
  kind: 'readings' | 'activities',
  file: Blob,
  o: { contentType: string; gzip: boolean; query: Query<'importReadings'> },
) {
  return request<Answer<'importReadings', 201>>(kind === 'readings' ? '/api/v1/readings' : '/api/v1/activities', {
    method: 'POST',
    raw: file,
    contentType: o.contentType,
    headers: o.gzip ? { 'Content-Encoding': 'gzip' } : {},
    query: o.query,
  })
}

export const listBatches = () => request<Answer<'listBatches'>>('/api/v1/batches')
export const getBatch = (id: number) => request<Answer<'getBatch'>>('/api/v1/batches/' + id)
export const listRejects = (id: number) => request<Answer<'listRejects'>>('/api/v1/batches/' + id + '/rejects')
// Where the browser downloads a batch's rejected rows as CSV.
export const rejectsCsvUrl = (id: number) => url('/api/v1/batches/' + id + '/rejects', { format: 'csv' })
