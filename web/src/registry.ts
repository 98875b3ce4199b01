// What a site or meter registration may hold, as the server checks it
// (src/server/unit_routes.cpp PutSiteRoute/PutMeterRoute and CheckMeter in
// src/app/ingest/registry_import.cpp): the activity a meter measures, the
// units that fit its quantity (data/activities.csv quantity_dimension), its
// interval and kind (api/openapi.json MeterInterval, MeterKind).
import type { Schemas } from './api/http'

type Dimension = 'energy' | 'volume' | 'mass' | 'energy_or_mass'
// Activities a meter can measure, by the quantity they are measured in.
export const METER_CARRIERS: Record<string, Dimension> = {
  electricity: 'energy', electricity_exported: 'energy', onsite_pv: 'energy', onsite_wind: 'energy',
  heat: 'energy', heat_exported: 'energy', steam: 'energy_or_mass', natural_gas: 'volume', blast_furnace_gas: 'volume',
  lng: 'mass', diesel: 'mass', gasoline: 'mass', kerosene: 'mass', fuel_oil: 'mass', crude_oil: 'mass', lpg: 'mass',
  refinery_dry_gas: 'mass', raw_coal: 'mass', anthracite: 'mass', bituminous_coal: 'mass', lignite: 'mass',
  cleaned_coal: 'mass', coke: 'mass', coal_tar: 'mass',
}
const UNITS: Record<Exclude<Dimension, 'energy_or_mass'>, string[]> = {
  energy: ['kWh', 'MWh', 'GJ', 'MJ'],
  volume: ['m3'],
  mass: ['t', 'kg'],
}
export function unitsFor(carrier: string): string[] {
  const d = METER_CARRIERS[carrier]
  if (!d) return []
  return d === 'energy_or_mass' ? [...UNITS.energy, ...UNITS.mass] : UNITS[d]
}
export const INTERVALS: Schemas['MeterInterval'][] = ['1min', '5min', '15min', '30min', '60min', 'daily', 'monthly']
export const KINDS: Schemas['MeterKind'][] = ['interval', 'register']
export const TIME_ZONES = ['Asia/Shanghai', 'UTC']
// Ids this app registers: short, safe in a path and a file (the server takes any).
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/
