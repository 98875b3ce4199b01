// Reference data: methodology profiles and dataset versions.
import { enc, request, type Answer, type Schemas } from './http'

export type Methodology = Schemas['Methodology']

export const listMethodologies = () => request<Answer<'listMethodologies'>>('/api/v1/methodologies')
export const listDatasets = () => request<Answer<'listDatasets'>>('/api/v1/datasets')
export const getDataset = (dataset: string, version: string) =>
  request<Answer<'getDataset'>>('/api/v1/datasets/' + enc(dataset) + '/' + enc(version))
