// Client-side paging of a loaded list.

export const PAGE_SIZE = 20;

export interface Page<T> {
  readonly items: readonly T[];
  /** 0-based, clamped into range. */
  readonly page: number;
  readonly pageCount: number;
  readonly first: number;
  readonly last: number;
  readonly total: number;
}

export function pageOf<T>(all: readonly T[], page: number, size = PAGE_SIZE): Page<T> {
  const pageCount = Math.max(1, Math.ceil(all.length / size));
  const p = Math.min(Math.max(0, page), pageCount - 1);
  const items = all.slice(p * size, p * size + size);
  return { items, page: p, pageCount, first: all.length === 0 ? 0 : p * size + 1, last: p * size + items.length, total: all.length };
}
