// Tables to CSV (UTF-8 with a byte-order mark, so Excel reads Chinese) and
// XLSX (exceljs, loaded only when asked for); charts to PNG. A table's file
// starts with what it is (title, year, methodology, units: TableHead), an
// empty row, then the table.
import { rounded, spreadsheetFormat, type FigureKind } from './format'

export interface Column {
  key: string
  label: string
  numeric?: boolean
  // The kind of figure a numeric column holds: the file carries it rounded by
  // that kind's rule (format.ts); at most 6 decimals when not said.
  kind?: FigureKind
}

// The lines above a table in its file: [label, value], e.g. ['年度', '2024'].
export type TableHead = [string, string][]

// The rows as the file carries them: numbers rounded by their column's kind.
function roundedRows(columns: Column[], rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const numeric = columns.filter((c) => c.numeric)
  if (!numeric.length) return rows
  return rows.map((r) => {
    const o = { ...r }
    for (const c of numeric) o[c.key] = rounded(r[c.key], c.kind ?? 'factor')
    return o
  })
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v)
  // A leading = + - @ would make a spreadsheet run a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && Number.isNaN(Number(s)) ? "'" + s : s
  return /[",\n\r]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe
}

export function toCsv(columns: Column[], rows: Record<string, unknown>[], head: TableHead = []): string {
  const lines = head.map(([label, value]) => cell(label) + ',' + cell(value))
  if (lines.length) lines.push('')
  lines.push(columns.map((c) => cell(c.label)).join(','))
  for (const r of roundedRows(columns, rows)) lines.push(columns.map((c) => cell(r[c.key])).join(','))
  return lines.join('\r\n') + '\r\n'
}

export function download(name: string, data: Blob) {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(data)
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10000)
}

export function exportCsv(name: string, columns: Column[], rows: Record<string, unknown>[], head: TableHead = []) {
  download(name + '.csv', new Blob(['\ufeff' + toCsv(columns, rows, head)], { type: 'text/csv;charset=utf-8' }))
}

export async function exportXlsx(name: string, columns: Column[], rows: Record<string, unknown>[], head: TableHead = []) {
  const ExcelJS = (await import('exceljs')).default
  const wb = new ExcelJS.Workbook()
  wb.creator = 'CarbonLedger'
  const ws = wb.addWorksheet(name.slice(0, 31).replace(/[\\/?*[\]:]/g, '_'))
  ws.columns = columns.map((c) => ({
    key: c.key,
    width: Math.min(60, Math.max(10, c.label.length + 4)),
    style: c.numeric ? { numFmt: spreadsheetFormat(c.kind ?? 'factor') } : undefined,
  }))
  for (const [label, value] of head) ws.addRow([label, value]).getCell(1).font = { bold: true }
  if (head.length) ws.addRow([])
  const header = ws.addRow(columns.map((c) => c.label))
  header.font = { bold: true }
  for (const r of roundedRows(columns, rows)) {
    const out: Record<string, unknown> = {}
    for (const c of columns) {
      const v = r[c.key]
      out[c.key] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v
    }
    ws.addRow(out)
  }
  ws.views = [{ state: 'frozen', ySplit: header.number }]
  const buf = await wb.xlsx.writeBuffer()
  download(name + '.xlsx', new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }))
}

export function exportPng(name: string, dataUrl: string) {
  const bin = atob(dataUrl.split(',')[1])
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; ++i) bytes[i] = bin.charCodeAt(i)
  download(name + '.png', new Blob([bytes], { type: 'image/png' }))
}

// A chart's image with its title and a line below it (year, unit) drawn
// above the chart, so that the file says what it shows.
export async function titledPng(dataUrl: string, title: string, subtitle: string, pixelRatio = 2): Promise<string> {
  const img = new Image()
  await new Promise((ok, fail) => {
    img.onload = ok
    img.onerror = fail
    img.src = dataUrl
  })
  const r = pixelRatio
  const head = (subtitle ? 56 : 36) * r
  const canvas = document.createElement('canvas')
  canvas.width = img.width
  canvas.height = img.height + head
  const g = canvas.getContext('2d')
  if (!g) return dataUrl
  g.fillStyle = '#fff'
  g.fillRect(0, 0, canvas.width, canvas.height)
  g.fillStyle = '#1d2733'
  g.font = `bold ${16 * r}px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif`
  g.fillText(title, 12 * r, 24 * r)
  if (subtitle) {
    g.fillStyle = '#5a6573'
    g.font = `${13 * r}px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif`
    g.fillText(subtitle, 12 * r, 46 * r)
  }
  g.drawImage(img, 0, head)
  return canvas.toDataURL('image/png')
}
