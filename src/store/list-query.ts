// A list request as the store sees it: back-end-neutral filters, sorts and a keyset page (neutron-api.md §5).

/** A filter value, already converted to what the wire attribute holds (null matches a null attribute). */
export type FilterValue = string | number | boolean | null;

/** `key` is a wire attribute; the item matches when the attribute equals one of `values` (or contains one, for lists). */
export interface ListFilter {
  readonly key: string;
  readonly values: readonly FilterValue[];
}

export interface ListSort {
  readonly key: string;
  readonly dir: 'asc' | 'desc';
}

export interface TagFilter {
  readonly all: readonly string[];
  readonly any: readonly string[];
  readonly notAll: readonly string[];
  readonly notAny: readonly string[];
}

export interface ListQuery {
  readonly filters: readonly ListFilter[];
  readonly tags?: TagFilter;
  /** Items updated at or after this stored timestamp (`YYYY-MM-DDTHH:MM:SSZ`). */
  readonly changedSince?: string;
  /** Without a limit: ties (and no sort at all) keep creation order. With a limit they end on `id`. */
  readonly sorts: readonly ListSort[];
  /** null: every matching item, no paging. */
  readonly limit: number | null;
  /** Id of the last item seen; ignored when it is not among the matching items. */
  readonly marker?: string;
  /** The page ends just before the marker instead of starting after it. */
  readonly reverse: boolean;
  /** Wire attributes asked for; empty means all. */
  readonly fields: readonly string[];
}

/** Who lists: the caller's project, and whether it is admin (sees every project). */
export interface Reader {
  readonly projectId: string;
  readonly admin: boolean;
}

export interface Page<T> {
  readonly items: T[];
  /** Items exist after the page (paged lists only). */
  readonly hasNext: boolean;
  /** Items exist before the page (paged lists only). */
  readonly hasPrevious: boolean;
}

/** True when the query asks for `field` (no `fields` means every attribute). */
export function wantsField(query: Pick<ListQuery, 'fields'>, field: string): boolean {
  return query.fields.length === 0 || query.fields.includes(field);
}
