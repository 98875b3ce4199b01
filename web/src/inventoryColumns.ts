// The columns every list of inventories shows (unit page, inventories,
// the verifier's desk).
import type { TableColumn } from './components/DataTable.vue'
import { dateTime, methodologyName } from './format'

export function inventoryColumns(t: (key: string) => string, withUnit = true): TableColumn[] {
  return [
    { key: 'id', label: t('common.id'), width: 64, link: true },
    ...(withUnit ? [{ key: 'unit', label: t('common.unit'), width: 90 }] : []),
    { key: 'year', label: t('common.year'), width: 64 },
    // On a phone: which inventory, whose, which year and where it stands.
    { key: 'methodology', label: t('common.methodology'), format: (v) => methodologyName(v), minWidth: 200, priority: 2 },
    { key: 'version', label: t('common.version'), width: 80, priority: 3 },
    { key: 'status', label: t('common.status'), format: (v) => t('status.' + v), width: 90 },
    { key: 'created_at', label: t('common.created'), format: (v) => dateTime(v), minWidth: 170, priority: 2 },
    { key: 'created_by', label: t('common.by'), width: 120, priority: 3 },
  ]
}

// The app route of one inventory.
export function inventoryRoute(id: number | string) {
  return { name: 'inventory', params: { id: String(id) } }
}
