// One colour per energy carrier, and one per figure, for every chart of the
// app: electricity is the same blue on the overview, a bank's chart, an
// inventory and a meter. Colours after Okabe & Ito's palette for colour-blind
// readers, darkened where needed for 3:1 against white (WCAG 1.4.11); a
// carrier without its own colour takes the one of its family (coal, oil, gas).
const CARRIER: Record<string, string> = {
  electricity: '#0072b2',
  electricity_exported: '#0072b2',
  onsite_pv: '#3a8fc4',
  onsite_wind: '#3a8fc4',
  heat: '#c75000',
  heat_exported: '#c75000',
  steam: '#b5508d',
  natural_gas: '#c98a00',
  lng: '#c98a00',
  refinery_dry_gas: '#c98a00',
  blast_furnace_gas: '#c98a00',
  lpg: '#00876a',
  diesel: '#7b4f2c',
  gasoline: '#9a6b00',
  kerosene: '#7b4f2c',
  fuel_oil: '#6a3d9a',
  crude_oil: '#6a3d9a',
  coal: '#3d3d3d',
  raw_coal: '#3d3d3d',
  anthracite: '#3d3d3d',
  bituminous_coal: '#3d3d3d',
  lignite: '#3d3d3d',
  cleaned_coal: '#3d3d3d',
  coke: '#3d3d3d',
  coal_tar: '#3d3d3d',
  biomass: '#4d8a1f',
  water: '#0e8aa8',
}
// Carriers the table above does not name, in turn (stable by their code).
const SPARE = ['#767676', '#8f5f8a', '#5f7f3a', '#a0522d']
export function carrierColour(code: string): string {
  const known = CARRIER[code]
  if (known) return known
  let h = 0
  for (const ch of code) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return SPARE[h % SPARE.length]
}

// The figures drawn beside the carriers: energy in the app's green,
// emissions in a dark red, intensities in grey; scopes as their own three.
export const FIGURE_COLOUR = {
  energy: '#0b6e4f',
  emissions: '#a8322d',
  intensity: '#4a5563',
  co2Intensity: '#7a2a6e',
} as const
export const SCOPE_COLOUR: Record<string, string> = { scope1: '#a8322d', scope2: '#0072b2', scope2m: '#3a8fc4', scope3: '#767676' }
// Things that are not carriers nor figures (units on a bank's chart), in turn.
export const SERIES_COLOUR = ['#0072b2', '#c75000', '#00876a', '#b5508d', '#6a3d9a', '#7b4f2c', '#3d3d3d', '#9a6b00'] as const
