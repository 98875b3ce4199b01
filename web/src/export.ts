// Tables to CSV (UTF-8 with a byte-order mark, so Excel reads Chinese) and
// XLSX (exceljs, loaded only when asked for); charts to PNG.

export interface Column {
  key: string
  label: string
  numeric?: boolean
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v)
  // A leading = + - @ would make a spreadsheet run a formula.
  const safe = /^[=+\-@\t\r]/.test(s) && Number.isNaN(Number(s)) ? "'" + s : s
  return /[",\n\r]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe
}

export function toCsv(columns: Column[], rows: Record<string, unknown>[]): string {
  const lines = [columns.map((c) => cell(c.label)).join(',')]
  for (const r of rows) lines.push(columns.map((c) => cell(r[c.key])).join(','))
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

export function exportCsv(name: string, columns: Column[], rows: Record<string, unknown>[]) {
  download(name + '.csv', new Blob(['\ufeff' + toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }))
}

export async function exportXlsx(name: string, columns: Column[], rows: Record<string, unknown>[]) {
  const ExcelJS = (await import('exceljs')).default
  const wb = new ExcelJS.Workbook()
  wb.creator = 'CarbonLedger'
  const ws = wb.addWorksheet(name.slice(0, 31).replace(/[\\/?*[\]:]/g, '_'))
  ws.columns = columns.map((c) => ({ header: c.label, key: c.key, width: Math.min(60, Math.max(10, c.label.length + 4)) }))
  for (const r of rows) {
    const out: Record<string, unknown> = {}
    for (const c of columns) {
      const v = r[c.key]
      out[c.key] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v
    }
    ws.addRow(out)
  }
  ws.getRow(1).font = { bold: true }
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  const buf = await wb.xlsx.writeBuffer()
  download(name + '.xlsx', new Blob([buf], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }))
}

export function exportPng(name: string, dataUrl: string) {
  const bin = atob(dataUrl.split(',')[1])
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; ++i) bytes[i] = bin.charCodeAt(i)
  download(name + '.png', new Blob([bytes], { type: 'image/png' }))
}
