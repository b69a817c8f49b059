import { badRequest } from './http/api-error.js';
import type { ApiRequest } from './http/api-request.js';
import { parseFieldSelector, type FieldSelector } from './selectors/field-selector.js';
import { parseLabelSelector, type LabelSelector } from './selectors/label-selector.js';
import { parseIncludeObject, type IncludeObject } from './table/table.js';
import { wantsTable } from './http/media-type.js';

export interface ListOptions {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  watch: boolean;
  resourceVersion: string | null;
  timeoutSeconds: number | undefined;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean;
  table: 'v1' | 'v1beta1' | undefined;
  includeObject: IncludeObject;
}

function flag(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/** The list/watch query parameters of metav1.ListOptions that hooklet honours. */
export function listOptions(req: ApiRequest, supportedFields: readonly string[], watchPrefix = false): ListOptions {
  const q = req.query;
  const timeout = q.get('timeoutSeconds');
  let timeoutSeconds: number | undefined;
  if (timeout !== null && timeout !== '') {
    timeoutSeconds = Number(timeout);
    if (!Number.isInteger(timeoutSeconds)) throw badRequest(`invalid timeoutSeconds: ${JSON.stringify(timeout)}`);
  }
  return {
    labelSelector: parseLabelSelector(q.get('labelSelector')),
    fieldSelector: parseFieldSelector(q.get('fieldSelector'), supportedFields),
    watch: watchPrefix || flag(q.get('watch')),
    resourceVersion: q.get('resourceVersion'),
    timeoutSeconds,
    allowWatchBookmarks: flag(q.get('allowWatchBookmarks')),
    sendInitialEvents: flag(q.get('sendInitialEvents')),
    table: wantsTable(req.headers['accept']),
    includeObject: parseIncludeObject(q.get('includeObject')),
  };
}

/** Content type of a watch stream: the Table media type when a Table was asked for. */
export function watchContentType(table: 'v1' | 'v1beta1' | undefined): string {
  return table ? `application/json;as=Table;v=${table};g=meta.k8s.io` : 'application/json';
}
