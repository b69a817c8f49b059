import type { ObjectMeta } from '../../api/types.js';

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface RowData {
  cells: unknown[];
  conditions?: TableRowCondition[];
}

/** `includeObject` query parameter: what each row carries besides its cells (contract §6). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  includeObject: IncludeObject;
  resourceVersion?: string;
  /** Watch events after the first may omit the header; kubectl already has it. */
  omitColumns?: boolean;
}

export function column(name: string, description: string, priority = 0, type = 'string', format = ''): TableColumn {
  return { name, type, format, description, priority };
}

/**
 * A meta.k8s.io Table. All cells are always sent (the API server converts
 * wide and lets kubectl hide priority-1 columns), and every row carries its
 * object so `-A`, `--show-labels` and `--sort-by` work.
 */
export function buildTable<T extends { metadata: ObjectMeta }>(
  columns: TableColumn[],
  items: T[],
  row: (item: T) => RowData,
  options: TableOptions,
  kind: { apiVersion: string; kind: string },
): unknown {
  const apiVersion = `meta.k8s.io/${options.version}`;
  return {
    kind: 'Table',
    apiVersion,
    metadata: options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {},
    columnDefinitions: options.omitColumns ? [] : columns,
    rows: items.map((item) => {
      const r = row(item);
      const out: Record<string, unknown> = { cells: r.cells };
      if (r.conditions) out['conditions'] = r.conditions;
      if (options.includeObject === 'Object') out['object'] = { apiVersion: kind.apiVersion, kind: kind.kind, ...item };
      else if (options.includeObject === 'Metadata') {
        out['object'] = { kind: 'PartialObjectMetadata', apiVersion, metadata: item.metadata };
      }
      return out;
    }),
  };
}
