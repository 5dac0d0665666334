// Neutron list semantics on wire objects (neutron-api.md §5): filters, tag filters, fields, sorting, pagination links.
import { InvalidInputError } from '../domain/index.js';

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

function applyFilters(items: readonly Wire[], query: Query, spec: ListSpec): Wire[] {
  const unknown = Object.keys(query).filter(
    (k) => !CONTROL_KEYS.has(k) && !Object.hasOwn(spec.filters, k) && !(spec.tagged && (TAG_KEYS as readonly string[]).includes(k)),
  );
  if (unknown.length > 0) throw bad(`[${unknown.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
  const tests: ((item: Wire) => boolean)[] = [];
  for (const [key, convert] of Object.entries(spec.filters)) {
    const raw = values(query, key);
    if (raw.length === 0) continue;
    const wanted = raw.map((r) => convert(r));
    tests.push((item) => {
      const actual = field(item, key);
      return wanted.some((w) => (Array.isArray(actual) ? actual.includes(w) : actual === w));
    });
  }
  if (spec.tagged) tests.push(...tagTests(query));
  const since = values(query, 'changed_since')[0];
  if (since !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/.test(since) || Number.isNaN(Date.parse(since))) {
      throw bad(`Invalid input for changed_since. Reason: '${since}' is not a valid timestamp.`);
    }
    const t = Date.parse(since.endsWith('Z') ? since : `${since}Z`);
    tests.push((item) => Date.parse(String(field(item, 'updated_at'))) >= t);
  }
  return items.filter((item) => tests.every((t) => t(item)));
}

function tagTests(query: Query): ((item: Wire) => boolean)[] {
  const list = (key: string) => values(query, key).flatMap((v) => v.split(',')).filter((t) => t.length > 0);
  const has = (item: Wire) => new Set((field(item, 'tags') as string[] | undefined) ?? []);
  const out: ((item: Wire) => boolean)[] = [];
  const all = list('tags');
  const any = list('tags-any');
  const notAll = list('not-tags');
  const notAny = list('not-tags-any');
  if (all.length) out.push((i) => all.every((t) => has(i).has(t)));
  if (any.length) out.push((i) => any.some((t) => has(i).has(t)));
  if (notAll.length) out.push((i) => !notAll.every((t) => has(i).has(t)));
  if (notAny.length) out.push((i) => !notAny.some((t) => has(i).has(t)));
  return out;
}

interface SortKey {
  readonly key: string;
  readonly dir: 1 | -1;
}

function readSorts(query: Query, spec: ListSpec): SortKey[] {
  const keys = values(query, 'sort_key');
  const dirs = values(query, 'sort_dir');
  if (keys.length !== dirs.length) throw bad('The number of sort_keys and sort_dirs must be same');
  const invalid = keys.filter((k) => !spec.sortable.includes(k));
  if (invalid.length > 0) throw bad(`[${invalid.map((k) => `'${k}'`).join(', ')}] is invalid attribute for sort_keys`);
  return keys.map((key, i) => {
    const dir = dirs[i] ?? 'asc';
    if (dir !== 'asc' && dir !== 'desc') throw bad(`[${`'${dir}'`}] is invalid attribute for sort_dirs`);
    return { key, dir: dir === 'asc' ? 1 : -1 };
  });
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') {
    const ci = a.toLowerCase().localeCompare(b.toLowerCase());
    return ci !== 0 ? ci : a < b ? -1 : 1;
  }
  return (a as number) < (b as number) ? -1 : 1;
}

function sortItems(items: Wire[], sorts: readonly SortKey[]): Wire[] {
  if (sorts.length === 0) return items;
  return [...items].sort((x, y) => {
    for (const s of sorts) {
      const c = compareValues(field(x, s.key), field(y, s.key));
      if (c !== 0) return c * s.dir;
    }
    return 0;
  });
}

function readLimit(query: Query): number | null {
  const raw = values(query, 'limit')[0];
  if (raw === undefined) return null;
  if (!/^[0-9]+$/.test(raw)) throw bad(`Bad limit request: Limit must be an integer 0 or greater and not '${raw}'.`);
  const n = Number(raw);
  return n === 0 ? null : n;
}

function pickFields(item: Wire, fields: readonly string[]): Wire {
  if (fields.length === 0) return item;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in item) out[f] = field(item, f);
  return out;
}

export interface ListResult {
  readonly items: Wire[];
  readonly links?: { rel: 'next' | 'previous'; href: string }[];
}

/** Applies every list rule of §5 to already-visible wire objects. */
export function applyListQuery(all: readonly Wire[], query: Query, spec: ListSpec, selfUrl: string): ListResult {
  const fields = values(query, 'fields').flatMap((f) => f.split(',')).filter((f) => f.length > 0);
  const limit = readLimit(query);
  const sorts = readSorts(query, spec);
  const filtered = applyFilters(all, query, spec);
  if (limit === null) return { items: sortItems(filtered, sorts).map((i) => pickFields(i, fields)) };
  if (!sorts.some((s) => s.key === 'id')) sorts.push({ key: 'id', dir: 1 });
  const sorted = sortItems(filtered, sorts);
  const marker = values(query, 'marker')[0];
  const reverse = /^(true|1|yes)$/i.test(values(query, 'page_reverse')[0] ?? '');
  const at = marker === undefined ? -1 : sorted.findIndex((i) => field(i, 'id') === marker);
  let page: Wire[];
  let hasMoreForward: boolean;
  let hasMoreBackward: boolean;
  if (reverse) {
    const end = at < 0 ? sorted.length : at;
    const start = Math.max(0, end - limit);
    page = sorted.slice(start, end);
    hasMoreBackward = start > 0;
    hasMoreForward = end < sorted.length;
  } else {
    const start = at < 0 ? 0 : at + 1;
    page = sorted.slice(start, start + limit);
    hasMoreForward = start + limit < sorted.length;
    hasMoreBackward = start > 0;
  }
  const links: { rel: 'next' | 'previous'; href: string }[] = [];
  const first = page[0];
  const last = page[page.length - 1];
  if (last && hasMoreForward) links.push({ rel: 'next', href: linkTo(selfUrl, query, String(field(last, 'id')), false) });
  if (first && hasMoreBackward) links.push({ rel: 'previous', href: linkTo(selfUrl, query, String(field(first, 'id')), true) });
  return { items: page.map((i) => pickFields(i, fields)), links };
}

/** Validates a list query without listing anything: lists that ensure the default group check first, so a 400 writes nothing. */
export function checkListQuery(query: Query, spec: ListSpec): void {
  applyListQuery([], query, spec, '');
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
