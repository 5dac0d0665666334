// A list page's filter, sort and page kept in the URL's query string, so Back and a shared link bring them back.

export interface ListQuery {
  readonly filter: string;
  /** A column name, `-` first for descending; '' = the page's default order. */
  readonly sort: string;
  /** 0-based. */
  readonly page: number;
}

export const NO_QUERY: ListQuery = { filter: '', sort: '', page: 0 };

export function parseListQuery(search: string): ListQuery {
  const p = new URLSearchParams(search);
  const page = Number(p.get('page') ?? '1');
  return { filter: p.get('q') ?? '', sort: p.get('sort') ?? '', page: Number.isInteger(page) && page > 1 ? page - 1 : 0 };
}

/** `?q=web&sort=-name&page=2`, or '' for the defaults (pages count from 1 in the URL). */
export function listQueryString(q: ListQuery): string {
  const p = new URLSearchParams();
  if (q.filter !== '') p.set('q', q.filter);
  if (q.sort !== '') p.set('sort', q.sort);
  if (q.page > 0) p.set('page', String(q.page + 1));
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

/** Clicking a column: ascending first, then descending, on the same column. */
export function nextSort(current: string, column: string): string {
  return current === column ? `-${column}` : column;
}

/** aria-sort of a column header for the current sort. */
export function ariaSort(current: string, column: string): 'ascending' | 'descending' | 'none' {
  return current === column ? 'ascending' : current === `-${column}` ? 'descending' : 'none';
}
