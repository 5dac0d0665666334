// Tests for list state in the URL (issue 18 defect 8).
import { describe, expect, it } from 'vitest';
import { ariaSort, listQueryString, nextSort, NO_QUERY, parseListQuery } from './list-query.js';

describe('list query in the URL', () => {
  it('round-trips filter, sort and page through the query string', () => {
    const q = { filter: 'web tier', sort: '-name', page: 2 };
    expect(listQueryString(q)).toBe('?q=web+tier&sort=-name&page=3');
    expect(parseListQuery(listQueryString(q))).toEqual(q);
    expect(listQueryString(NO_QUERY)).toBe('');
    expect(parseListQuery('')).toEqual(NO_QUERY);
    expect(parseListQuery('?page=abc').page).toBe(0);
  });

  it('sorts ascending, then descending, and says so in aria-sort', () => {
    expect(nextSort('', 'name')).toBe('name');
    expect(nextSort('name', 'name')).toBe('-name');
    expect(nextSort('-name', 'rules')).toBe('rules');
    expect([ariaSort('name', 'name'), ariaSort('-name', 'name'), ariaSort('rules', 'name')]).toEqual(['ascending', 'descending', 'none']);
  });
});
