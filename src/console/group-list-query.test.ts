// Tests for the groups page's one-page query: URL state, the API's list query, markers from its links (issue 18, many objects).
import { describe, expect, it } from 'vitest';
import { FIRST_PAGE, groupListString, groupPageParams, linkMarker, parseGroupList, turnPage } from './group-list-query.js';

describe('groups page list query', () => {
  it('round-trips name, sort, page size and marker through the URL, defaults left out', () => {
    const s = { name: 'web tier', sort: '-name', size: 50, marker: 'g-40', reverse: true, page: 2 };
    expect(groupListString(s)).toBe('?q=web+tier&sort=-name&size=50&page=3&marker=g-40&prev=1');
    expect(parseGroupList(groupListString(s))).toEqual(s);
    expect(groupListString(FIRST_PAGE)).toBe('');
    expect(parseGroupList('')).toEqual(FIRST_PAGE);
  });

  it('ignores what the API cannot do: other sort columns, other page sizes, a page without a marker', () => {
    expect(parseGroupList('?sort=-rules&size=7&page=4')).toEqual(FIRST_PAGE);
    expect(parseGroupList('?prev=1').reverse).toBe(false);
  });

  it('asks for one page, its fields only (no rules), sorted and filtered by the API', () => {
    expect(groupPageParams(FIRST_PAGE)).toEqual([
      'limit=20', 'fields=id', 'fields=name', 'fields=description', 'fields=stateful', 'fields=project_id', 'sort_key=name', 'sort_dir=asc',
    ]);
    const params = groupPageParams({ name: 'a&b', sort: '-name', size: 100, marker: 'm1', reverse: true, page: 3 });
    expect(params).toContain('limit=100');
    expect(params).toContain('sort_dir=desc');
    expect(params.slice(-3)).toEqual(['name=a%26b', 'marker=m1', 'page_reverse=True']);
    expect(params.join('&')).not.toContain('security_group_rules');
  });

  it('takes markers from the API links and turns pages, back to the plain URL on page 1', () => {
    const links = [
      { rel: 'next', href: 'http://h/v2.0/security-groups?limit=20&marker=last-id' },
      { rel: 'previous', href: 'http://h/v2.0/security-groups?limit=20&marker=first-id&page_reverse=True' },
    ];
    expect([linkMarker(links, 'next'), linkMarker(links, 'previous'), linkMarker([], 'next'), linkMarker(undefined, 'previous')]).toEqual(['last-id', 'first-id', null, null]);
    const second = turnPage(FIRST_PAGE, 'last-id', 'next');
    expect(second).toEqual({ ...FIRST_PAGE, marker: 'last-id', page: 1 });
    const third = turnPage(second, 'x', 'next');
    expect(turnPage(third, 'first-id', 'previous')).toEqual({ ...FIRST_PAGE, marker: 'first-id', reverse: true, page: 1 });
    expect(turnPage(second, 'first-id', 'previous')).toEqual(FIRST_PAGE);
  });
});
