// Previous/next paging for long tables.
import type { Page } from '../pagination.js';

export function Pager<T>(props: { page: Page<T>; onPage: (page: number) => void; label: string }) {
  const { page } = props;
  if (page.pageCount <= 1) return null;
  return (
    <nav className="pager" aria-label={`${props.label} pages`}>
      <button type="button" onClick={() => props.onPage(page.page - 1)} disabled={page.page === 0}>Previous</button>
      <span aria-live="polite">
        {page.first}–{page.last} of {page.total} (page {page.page + 1} of {page.pageCount})
      </span>
      <button type="button" onClick={() => props.onPage(page.page + 1)} disabled={page.page >= page.pageCount - 1}>Next</button>
    </nav>
  );
}

export interface KeysetPagerProps {
  readonly label: string;
  /** 0-based. */
  readonly page: number;
  readonly size: number;
  readonly sizes: readonly number[];
  /** Rows on this page. */
  readonly count: number;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  onSize(size: number): void;
}

/** Previous/next for a list the API pages with markers: it knows no total, only whether there is a page either side. */
export function KeysetPager(props: KeysetPagerProps) {
  const first = props.page * props.size + 1;
  return (
    <nav className="pager" aria-label={`${props.label} pages`}>
      <button type="button" onClick={props.onPrevious} disabled={!props.hasPrevious}>Previous</button>
      <span aria-live="polite">
        {props.count === 0 ? 'No rows' : `Rows ${first}–${first + props.count - 1} (page ${props.page + 1})`}
      </span>
      <button type="button" onClick={props.onNext} disabled={!props.hasNext}>Next</button>
      <label>
        Rows per page
        <select value={props.size} onChange={(e) => props.onSize(Number(e.target.value))}>
          {props.sizes.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
    </nav>
  );
}
