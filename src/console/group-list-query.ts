// The groups page's one-page-at-a-time state (name filter, sort, page size, marker) in the URL, and the API query it asks.

export const PAGE_SIZES = [20, 50, 100] as const;

/** The columns the API sorts groups by (security-group-routes.ts `sortable`) that the table shows. */
export const SORTABLE_COLUMNS = ['name'] as const;

export interface GroupListState {
  /** An exact name (Neutron's `name` filter matches whole names only); '' = every group. */
  readonly name: string;
  /** `name` or `-name`. */
  readonly sort: string;
  readonly size: number;
  /** The API's marker: the page starts after it, or ends before it when `reverse`. */
  readonly marker: string;
  readonly reverse: boolean;
  /** 0-based, for display only: the marker says where the page is. */
  readonly page: number;
}

export const FIRST_PAGE: GroupListState = { name: '', sort: 'name', size: 20, marker: '', reverse: false, page: 0 };

function sortOf(raw: string | null): string {
  const column = raw?.replace(/^-/, '') ?? '';
  return (SORTABLE_COLUMNS as readonly string[]).includes(column) ? raw! : FIRST_PAGE.sort;
}

export function parseGroupList(search: string): GroupListState {
  const p = new URLSearchParams(search);
  const size = Number(p.get('size'));
  const marker = p.get('marker') ?? '';
  const page = Number(p.get('page') ?? '1');
  return {
    name: p.get('q') ?? '',
    sort: sortOf(p.get('sort')),
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : FIRST_PAGE.size,
    marker,
    reverse: marker !== '' && p.get('prev') === '1',
    page: marker !== '' && Number.isInteger(page) && page > 1 ? page - 1 : 0,
  };
}

/** `?q=web&sort=-name&size=50&page=3&marker=…`, leaving out what is the default (pages count from 1 in the URL). */
export function groupListString(s: GroupListState): string {
  const p = new URLSearchParams();
  if (s.name !== '') p.set('q', s.name);
  if (s.sort !== FIRST_PAGE.sort) p.set('sort', s.sort);
  if (s.size !== FIRST_PAGE.size) p.set('size', String(s.size));
  if (s.marker !== '') {
    p.set('page', String(s.page + 1));
    p.set('marker', s.marker);
    if (s.reverse) p.set('prev', '1');
  }
  const out = p.toString();
  return out === '' ? '' : `?${out}`;
}

/** The fields the table shows: never `security_group_rules`, which is most of a group's bytes. */
export const LIST_FIELDS = ['id', 'name', 'description', 'stateful', 'project_id'] as const;

/** The API's list query for one page, sorted and filtered by the server. */
export function groupPageParams(s: GroupListState): string[] {
  const desc = s.sort.startsWith('-');
  const params = [`limit=${s.size}`, ...LIST_FIELDS.map((f) => `fields=${f}`), `sort_key=${desc ? s.sort.slice(1) : s.sort}`, `sort_dir=${desc ? 'desc' : 'asc'}`];
  if (s.name !== '') params.push(`name=${encodeURIComponent(s.name)}`);
  if (s.marker !== '') params.push(`marker=${encodeURIComponent(s.marker)}`);
  if (s.reverse) params.push('page_reverse=True');
  return params;
}

export interface ListLink {
  readonly rel: string;
  readonly href: string;
}

/** The marker of the API's `next` or `previous` link, if it gave one (no link: no such page). */
export function linkMarker(links: readonly ListLink[] | undefined, rel: 'next' | 'previous'): string | null {
  const href = links?.find((l) => l.rel === rel)?.href;
  if (href === undefined) return null;
  return new URL(href, 'http://x').searchParams.get('marker');
}

/** The state after Next or Previous; Previous onto the first page drops the marker, so its URL is the plain one. */
export function turnPage(s: GroupListState, marker: string, to: 'next' | 'previous'): GroupListState {
  if (to === 'previous' && s.page <= 1) return { ...s, marker: '', reverse: false, page: 0 };
  return { ...s, marker, reverse: to === 'previous', page: to === 'next' ? s.page + 1 : s.page - 1 };
}
