// Neutron list semantics at the edge (neutron-api.md §5): the query string becomes a ListQuery; a page becomes the answer with links.
import { InvalidInputError } from '../domain/index.js';
import type { FilterValue, ListFilter, ListQuery, ListSort, Page, TagFilter } from '../service/index.js';

export type Query = Record<string, string | string[] | undefined>;
type Wire = object;

/** Turns a query-string value into the wire value it must equal; throws InvalidInputError when it cannot. */
export type FilterConverter = (raw: string) => unknown;

export interface ListSpec {
  readonly collection: string;
  readonly filters: Readonly<Record<string, FilterConverter>>;
  readonly sortable: readonly string[];
  readonly tagged?: boolean;
}

const CONTROL_KEYS = new Set(['fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse', 'changed_since']);
const TAG_KEYS = ['tags', 'tags-any', 'not-tags', 'not-tags-any'] as const;

function bad(message: string): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', message);
}

export function values(query: Query, key: string): string[] {
  const v = query[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function field(item: Wire, key: string): unknown {
  return (item as Record<string, unknown>)[key];
}

function readFilters(query: Query, spec: ListSpec): ListFilter[] {
  const unknown = Object.keys(query).filter(
    (k) => !CONTROL_KEYS.has(k) && !Object.hasOwn(spec.filters, k) && !(spec.tagged && (TAG_KEYS as readonly string[]).includes(k)),
  );
  if (unknown.length > 0) throw bad(`[${unknown.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
  const out: ListFilter[] = [];
  for (const [key, convert] of Object.entries(spec.filters)) {
    const raw = values(query, key);
    if (raw.length > 0) out.push({ key, values: raw.map((r) => convert(r) as FilterValue) });
  }
  return out;
}

function readTags(query: Query): TagFilter {
  const list = (key: string) => values(query, key).flatMap((v) => v.split(',')).filter((t) => t.length > 0);
  return { all: list('tags'), any: list('tags-any'), notAll: list('not-tags'), notAny: list('not-tags-any') };
}

/** Stored timestamps have whole seconds, so "at or after t" is "at or after t rounded up to the second". */
function readChangedSince(query: Query): string | undefined {
  const since = values(query, 'changed_since')[0];
  if (since === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/.test(since) || Number.isNaN(Date.parse(since))) {
    throw bad(`Invalid input for changed_since. Reason: '${since}' is not a valid timestamp.`);
  }
  const t = Date.parse(since.endsWith('Z') ? since : `${since}Z`);
  return new Date(Math.ceil(t / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function readSorts(query: Query, spec: ListSpec): ListSort[] {
  const keys = values(query, 'sort_key');
  const dirs = values(query, 'sort_dir');
  if (keys.length !== dirs.length) throw bad('The number of sort_keys and sort_dirs must be same');
  const invalid = keys.filter((k) => !spec.sortable.includes(k));
  if (invalid.length > 0) throw bad(`[${invalid.map((k) => `'${k}'`).join(', ')}] is invalid attribute for sort_keys`);
  return keys.map((key, i) => {
    const dir = dirs[i] ?? 'asc';
    if (dir !== 'asc' && dir !== 'desc') throw bad(`[${`'${dir}'`}] is invalid attribute for sort_dirs`);
    return { key, dir };
  });
}

function readLimit(query: Query): number | null {
  const raw = values(query, 'limit')[0];
  if (raw === undefined) return null;
  if (!/^[0-9]+$/.test(raw)) throw bad(`Bad limit request: Limit must be an integer 0 or greater and not '${raw}'.`);
  const n = Number(raw);
  return n === 0 ? null : n;
}

function readFields(query: Query): string[] {
  return values(query, 'fields').flatMap((f) => f.split(',')).filter((f) => f.length > 0);
}

function pickFields(item: Wire, fields: readonly string[]): Wire {
  if (fields.length === 0) return item;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in item) out[f] = field(item, f);
  return out;
}

/**
 * Validates a list query (same checks and messages, in the same order, as Neutron) and turns it into the
 * back-end-neutral ListQuery the store compiles to SQL. A paged list always ends its order on `id`.
 */
export function parseListQuery(query: Query, spec: ListSpec): ListQuery {
  const fields = readFields(query);
  const limit = readLimit(query);
  const sorts = readSorts(query, spec);
  const filters = readFilters(query, spec);
  const changedSince = readChangedSince(query);
  if (limit !== null && !sorts.some((s) => s.key === 'id')) sorts.push({ key: 'id', dir: 'asc' });
  const marker = values(query, 'marker')[0];
  return {
    filters,
    ...(spec.tagged && { tags: readTags(query) }),
    ...(changedSince !== undefined && { changedSince }),
    sorts,
    limit,
    ...(limit !== null && marker !== undefined && { marker }),
    reverse: /^(true|1|yes)$/i.test(values(query, 'page_reverse')[0] ?? ''),
    fields,
  };
}

export interface ListResult {
  readonly items: Wire[];
  readonly links?: { rel: 'next' | 'previous'; href: string }[];
}

/** A page of wire objects as the list answer: `fields` applied, next/previous links when paging is in effect. */
export function pageResult(page: Page<Wire>, parsed: ListQuery, query: Query, selfUrl: string): ListResult {
  const items = page.items.map((i) => pickFields(i, parsed.fields));
  if (parsed.limit === null) return { items };
  const links: { rel: 'next' | 'previous'; href: string }[] = [];
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  if (last && page.hasNext) links.push({ rel: 'next', href: linkTo(selfUrl, query, String(field(last, 'id')), false) });
  if (first && page.hasPrevious) links.push({ rel: 'previous', href: linkTo(selfUrl, query, String(field(first, 'id')), true) });
  return { items, links };
}

function linkTo(selfUrl: string, query: Query, marker: string, reverse: boolean): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (k === 'marker' || k === 'page_reverse' || v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  }
  params.set('marker', marker);
  if (reverse) params.set('page_reverse', 'True');
  return `${selfUrl}?${params.toString()}`;
}

/** `fields=` on a single resource. */
export function selectFields(item: Wire, query: Query): Wire {
  return pickFields(item, values(query, 'fields').flatMap((f) => f.split(',')).filter((f) => f.length > 0));
}
