// In-app navigation on the history API: navigate(), the current route, and a Link that keeps normal link behaviour.
import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { listQueryString, parseListQuery, type ListQuery } from './list-query.js';
import { parseRoute, routePath, type Route } from './route.js';

const EVENT = 'palisade:navigate';

export function navigate(route: Route): void {
  window.history.pushState(null, '', routePath(route));
  window.dispatchEvent(new Event(EVENT));
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return route;
}

export function Link(props: { to: Route; children: ReactNode; className?: string; 'aria-current'?: 'page' }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={routePath(props.to)} onClick={onClick} className={props.className} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}

/**
 * A page's state in the URL's query string; changes replace the history entry, so Back leaves the page as it was left.
 * A link to the page itself (the menu) also resets it to what its URL says.
 */
export function useUrlState<T>(parse: (search: string) => T, format: (state: T) => string): [T, (state: T) => void] {
  const [state, setState] = useState(() => parse(window.location.search));
  useEffect(() => {
    const update = () => setState(parse(window.location.search));
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  const set = (next: T) => {
    window.history.replaceState(null, '', `${window.location.pathname}${format(next)}`);
    setState(next);
  };
  return [state, set];
}

/** A client-paged list's filter, sort and page in the URL. */
export function useListQuery(): [ListQuery, (q: ListQuery) => void] {
  return useUrlState(parseListQuery, listQueryString);
}

/** Sets the tab's title while the page is shown (a screen reader announces it on navigation). */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/**
 * Moves focus to the page's heading once it is rendered (pages render it after their data loads), so keyboard and
 * screen reader users start at the new page instead of on `body`; returns the cleanup.
 */
export function focusHeadingWhenShown(root: HTMLElement): () => void {
  const tryFocus = (): boolean => {
    const heading = root.querySelector<HTMLElement>('h1');
    if (!heading) return false;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
    return true;
  };
  if (tryFocus()) return () => undefined;
  const observer = new MutationObserver(() => {
    if (tryFocus()) observer.disconnect();
  });
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
