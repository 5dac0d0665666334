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
