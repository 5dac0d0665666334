// The list-query compiler: a ListQuery over a collection's attribute map becomes WHERE, ORDER BY and a keyset LIMIT.
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from './database-schema.js';
import type { FilterValue, ListQuery, Page, TagFilter } from './list-query.js';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * How a wire attribute is sorted: `text` case-insensitively then case-sensitively (lower(x), x), `id` as is
 * (generated ids hold no upper case, so lower(id) = id and the primary key's order serves), numbers as numbers.
 */
export type AttributeKind = 'text' | 'id' | 'integer' | 'boolean';

export interface Attribute {
  /** The SQL expression holding the wire value (booleans as 0/1). */
  readonly sql: RawBuilder<unknown>;
  readonly kind: AttributeKind;
  readonly nullable?: boolean;
  /** For list-valued attributes (a port's groups): the list holds one of `values`. */
  readonly contains?: (values: readonly FilterValue[], dialect: SqlDialect) => RawBuilder<SqlBool>;
}

export interface Collection {
  readonly attributes: Readonly<Record<string, Attribute>>;
  readonly id: RawBuilder<unknown>;
  readonly updatedAt?: RawBuilder<unknown>;
  /** The order without sort keys, and the tie-break after them when the list is not paged. */
  readonly defaultOrder: readonly RawBuilder<unknown>[];
  readonly tagged?: (tags: TagFilter) => RawBuilder<SqlBool>[];
}

// A select over Database whose selected columns are `R`; the compiler adds conditions and orders only.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ListSelect<R> = SelectQueryBuilder<Database, any, R>;

export const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

export function and(parts: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length === 0 ? TRUE : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

export function or(parts: readonly RawBuilder<SqlBool>[]): RawBuilder<SqlBool> {
  return parts.length === 0 ? FALSE : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** `IN ()` is a syntax error; an empty list matches nothing. */
export function isIn(expr: RawBuilder<unknown>, values: readonly unknown[]): RawBuilder<SqlBool> {
  return values.length === 0 ? FALSE : sql<SqlBool>`${expr} in (${sql.join(values)})`;
}

function stored(value: FilterValue): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** The item's attribute equals (or, for a list, holds) one of the values; null matches a null attribute. */
function matches(attribute: Attribute, values: readonly FilterValue[], dialect: SqlDialect): RawBuilder<SqlBool> {
  if (attribute.contains) return attribute.contains(values, dialect);
  const present = values.filter((v) => v !== null).map(stored);
  const parts = present.length > 0 ? [isIn(attribute.sql, present)] : [];
  if (values.includes(null)) parts.push(sql<SqlBool>`${attribute.sql} is null`);
  return or(parts);
}

/** WHERE conditions for the query's filters, tag filters and changed_since. */
export function filterConditions(c: Collection, q: ListQuery, dialect: SqlDialect): RawBuilder<SqlBool>[] {
  const out = q.filters.map((f) => matches(c.attributes[f.key]!, f.values, dialect));
  if (q.tags && c.tagged) out.push(...c.tagged(q.tags));
  // A collection without timestamps has nothing changed since any time.
  if (q.changedSince !== undefined) out.push(c.updatedAt ? sql<SqlBool>`${c.updatedAt} >= ${q.changedSince}` : FALSE);
  return out;
}

interface OrderKey {
  readonly sql: RawBuilder<unknown>;
  readonly text: boolean;
  readonly asc: boolean;
  readonly nullable: boolean;
}

/** Text compares in code-point order on both back-ends: COLLATE "C" on PostgreSQL, SQLite's default BINARY. */
function collated(e: RawBuilder<unknown>, text: boolean, dialect: SqlDialect): RawBuilder<unknown> {
  return text && dialect === 'postgres' ? sql`${e} collate "C"` : e;
}

/**
 * Sort keys as SQL. Text sorts as lower(x) then x in code-point order, which is what the in-memory order did
 * for ASCII letters and digits; it differs for punctuation against letters/digits (ICU put punctuation first)
 * and for non-ASCII letters (SQLite's lower() folds ASCII only, PostgreSQL's follows the database's ctype).
 */
export function orderKeys(c: Collection, q: ListQuery, dialect: SqlDialect): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const s of q.sorts) {
    const a = c.attributes[s.key]!;
    const asc = s.dir === 'asc';
    const nullable = a.nullable === true;
    if (a.kind === 'text') {
      keys.push(
        { sql: collated(sql`lower(${a.sql})`, true, dialect), text: true, asc, nullable },
        { sql: collated(a.sql, true, dialect), text: true, asc, nullable },
      );
    } else keys.push({ sql: a.sql, text: false, asc, nullable });
  }
  if (!q.sorts.some((s) => s.key === 'id')) keys.push(...c.defaultOrder.map((e) => ({ sql: e, text: false, asc: true, nullable: false })));
  return keys;
}

function orderBy<R>(qb: ListSelect<R>, keys: readonly OrderKey[], forward: boolean): ListSelect<R> {
  let out = qb;
  for (const k of keys) {
    const asc = k.asc === forward;
    // Null sorts first ascending (and so last descending), on both back-ends.
    const nulls = k.nullable ? (asc ? sql` nulls first` : sql` nulls last`) : sql``;
    out = out.orderBy(sql`${k.sql} ${sql.raw(asc ? 'asc' : 'desc')}${nulls}`);
  }
  return out;
}

/** Rows strictly after the marker's sort values in the walking direction (null first ascending). */
function after(keys: readonly OrderKey[], values: readonly unknown[], forward: boolean): RawBuilder<SqlBool> {
  const equal = (k: OrderKey, v: unknown) => (v === null ? sql<SqlBool>`${k.sql} is null` : sql<SqlBool>`${k.sql} = ${v}`);
  const beyond = (k: OrderKey, v: unknown): RawBuilder<SqlBool> | null => {
    if (k.asc === forward) return v === null ? sql<SqlBool>`${k.sql} is not null` : sql<SqlBool>`${k.sql} > ${v}`;
    if (v === null) return null;
    return k.nullable ? sql<SqlBool>`(${k.sql} < ${v} or ${k.sql} is null)` : sql<SqlBool>`${k.sql} < ${v}`;
  };
  const options: RawBuilder<SqlBool>[] = [];
  keys.forEach((k, i) => {
    const step = beyond(k, values[i]);
    if (step) options.push(and([...keys.slice(0, i).map((p, j) => equal(p, values[j])), step]));
  });
  return or(options);
}

function withKeys<R>(qb: ListSelect<R>, keys: readonly OrderKey[]): ListSelect<R> {
  return qb.select(keys.map((k, i) => k.sql.as(`k${i}`)));
}

/** The marker's sort values, from whichever arm holds it; null when no arm does (the marker is then ignored). */
async function readMarker<R>(arms: readonly ListSelect<R>[], c: Collection, keys: readonly OrderKey[], marker: string): Promise<unknown[] | null> {
  for (const arm of arms) {
    const row = (await withKeys(arm.clearSelect(), keys).where(sql<SqlBool>`${c.id} = ${marker}`).executeTakeFirst()) as
      | Record<string, unknown>
      | undefined;
    if (row) return keys.map((_, i) => row[`k${i}`] ?? null);
  }
  return null;
}

/**
 * Runs a list as one page. `arms` are disjoint selects (FROM, one visibility case and the filters set) whose
 * union is the list: each arm is ordered and limited on its own, so each can walk its own index (the caller's
 * project by (project_id, id), the few shared rows by theirs), and the union is merged and cut again.
 * Without a limit every row comes back in order; with one, the rows after (or, reversed, before) the marker,
 * fetching limit + 1 to know whether more follow.
 */
export async function fetchPage<R>(
  db: Kysely<Database>, arms: readonly ListSelect<R>[], c: Collection, q: ListQuery, dialect: SqlDialect,
): Promise<Page<R>> {
  const keys = orderKeys(c, q, dialect);
  const marker = q.limit !== null && q.marker !== undefined ? await readMarker(arms, c, keys, q.marker) : null;
  // page_reverse means nothing without a limit: the whole list comes back in order.
  const forward = q.limit === null || !q.reverse;
  const cut = q.limit === null ? null : q.limit + 1;
  const bounded = arms.map((arm) => {
    const walked = marker ? arm.where(after(keys, marker, forward)) : arm;
    return cut === null ? walked : orderBy(walked, keys, forward).limit(cut);
  });
  let rows: R[];
  if (bounded.length === 1) rows = (await (cut === null ? orderBy(bounded[0]!, keys, forward) : bounded[0]!).execute()) as R[];
  else {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const any = db as Kysely<any>;
    const union = bounded.map((b, i) => any.selectFrom(withKeys(b, keys).as(`arm${i}`)).selectAll()).reduce((u, b) => u.unionAll(b));
    const merged = keys.map((k, i) => ({ ...k, sql: collated(sql.ref(`u.k${i}`), k.text, dialect) }));
    const outer = orderBy(any.selectFrom(union.as('u')).selectAll() as ListSelect<R>, merged, forward);
    rows = (await (cut === null ? outer : outer.limit(cut)).execute()) as R[];
  }
  if (q.limit === null) return { items: rows, hasNext: false, hasPrevious: false };
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  if (forward) return { items, hasNext: more, hasPrevious: marker !== null };
  return { items: items.reverse(), hasNext: marker !== null, hasPrevious: more };
}
