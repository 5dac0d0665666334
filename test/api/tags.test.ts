// neutron-api.md §4.3 tags on security groups: every call of the table, the errors, and the four tag filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const SG = '/v2.0/security-groups';
const MISSING = '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1';

describe('§4.3 tag calls', () => {
  it('PUT …/tags replaces the set, GET …/tags reads it, and the group shows it', async () => {
    const c = h.as('tags-put');
    const g = await c.group();
    expect(ok(await c.put(`${SG}/${g['id']}/tags`, { tags: ['b', 'a'] }))['tags'].sort()).toEqual(['a', 'b']);
    expect(ok(await c.put(`${SG}/${g['id']}/tags`, { tags: ['c'] }))['tags']).toEqual(['c']);
    expect(ok(await c.get(`${SG}/${g['id']}/tags`))['tags']).toEqual(['c']);
    expect(ok(await c.get(`${SG}/${g['id']}`))['security_group']['tags']).toEqual(['c']);
  });

  it('POST …/tags adds missing ones idempotently and echoes the body', async () => {
    const c = h.as('tags-post');
    const g = await c.group();
    ok(await c.put(`${SG}/${g['id']}/tags/x`), 201);
    expect(ok(await c.post(`${SG}/${g['id']}/tags`, { tags: ['x', 'y'] }))).toEqual({ tags: ['x', 'y'] });
    ok(await c.post(`${SG}/${g['id']}/tags`, { tags: ['y'] }));
    expect(ok(await c.get(`${SG}/${g['id']}/tags`))['tags'].sort()).toEqual(['x', 'y']);
  });

  it('DELETE …/tags removes all (204)', async () => {
    const c = h.as('tags-delall');
    const g = await c.group();
    ok(await c.put(`${SG}/${g['id']}/tags`, { tags: ['a', 'b'] }));
    ok(await c.del(`${SG}/${g['id']}/tags`), 204);
    expect(ok(await c.get(`${SG}/${g['id']}/tags`))['tags']).toEqual([]);
  });

  it('GET, PUT, DELETE …/tags/{tag}: 204 / 201 / 204, and 404 TagNotFound when absent', async () => {
    const c = h.as('tags-one');
    const g = await c.group();
    expectError(await c.get(`${SG}/${g['id']}/tags/red`), 404, 'TagNotFound');
    const put = await c.put(`${SG}/${g['id']}/tags/red`);
    expect(put.status).toBe(201);
    expect(put.raw).toBe('');
    ok(await c.put(`${SG}/${g['id']}/tags/red`), 201);
    expect((await c.get(`${SG}/${g['id']}/tags/red`)).status).toBe(204);
    ok(await c.del(`${SG}/${g['id']}/tags/red`), 204);
    expectError(await c.del(`${SG}/${g['id']}/tags/red`), 404, 'TagNotFound');
  });

  it('a bad tags body is 400 «Invalid tags body»; bad tags are 400', async () => {
    const c = h.as('tags-bad');
    const g = await c.group();
    const url = `${SG}/${g['id']}/tags`;
    for (const body of [{}, { tags: 'a' }, { tag: ['a'] }, ['a'], { tags: ['a'], extra: 1 }]) {
      expectError(await c.put(url, body), 400, 'HTTPBadRequest', 'Invalid input for operation: Invalid tags body.');
    }
    expectError(await c.put(url, { tags: [1] }), 400, 'HTTPBadRequest');
    expectError(await c.put(url, { tags: ['t'.repeat(256)] }), 400, 'HTTPBadRequest');
    expectError(await c.put(url, { tags: ['a', 'a'] }), 400, 'HTTPBadRequest');
    expectError(await c.put(`${url}/${'t'.repeat(256)}`), 400, 'HTTPBadRequest');
  });

  it('a tag of up to 255 characters works through the path', async () => {
    const c = h.as('tags-long');
    const g = await c.group();
    const tag = 't'.repeat(255);
    ok(await c.put(`${SG}/${g['id']}/tags/${tag}`), 201);
    expect((await c.get(`${SG}/${g['id']}/tags/${tag}`)).status).toBe(204);
  });

  it('more than 50 tags is 400, whichever call adds them', async () => {
    const c = h.as('tags-many');
    const g = await c.group();
    const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`);
    ok(await c.put(`${SG}/${g['id']}/tags`, { tags: fifty }));
    expectError(await c.put(`${SG}/${g['id']}/tags`, { tags: [...fifty, 'x'] }), 400, 'HTTPBadRequest', 'The number of tags exceed the per-resource limit of 50');
    expectError(await c.post(`${SG}/${g['id']}/tags`, { tags: ['x'] }), 400, 'HTTPBadRequest', 'per-resource limit of 50');
    expectError(await c.put(`${SG}/${g['id']}/tags/x`), 400, 'HTTPBadRequest', 'per-resource limit of 50');
  });

  it('an unknown or invisible group is 404 TagResourceNotFound', async () => {
    const c = h.as('tags-404');
    const foreign = await h.as('tags-404-other').group();
    for (const id of [MISSING, foreign['id']]) {
      expectError(await c.get(`${SG}/${id}/tags`), 404, 'TagResourceNotFound');
      expectError(await c.put(`${SG}/${id}/tags`, { tags: ['a'] }), 404, 'TagResourceNotFound');
      expectError(await c.put(`${SG}/${id}/tags/a`), 404, 'TagResourceNotFound');
      expectError(await c.del(`${SG}/${id}/tags`), 404, 'TagResourceNotFound');
    }
  });
});

describe('§4.3 tag filters', () => {
  it('tags (all of), tags-any (any of), not-tags (not all of), not-tags-any (none of), repeated or comma-separated', async () => {
    const c = h.as('tags-filter');
    const mk = async (name: string, tags: string[]) => {
      const g = await c.group({ name });
      ok(await c.put(`${SG}/${g['id']}/tags`, { tags }));
    };
    await mk('ab', ['a', 'b']);
    await mk('a', ['a']);
    await mk('b', ['b']);
    await mk('c', ['c']);
    const names = async (q: string) =>
      (ok(await c.get(`${SG}?${q}`))['security_groups'] as Json[]).map((g) => g['name'] as string).filter((n) => n !== 'default').sort();
    expect(await names('tags=a,b')).toEqual(['ab']);
    expect(await names('tags=a&tags=b')).toEqual(['ab']);
    expect(await names('tags-any=a,b')).toEqual(['a', 'ab', 'b']);
    expect(await names('not-tags=a,b')).toEqual(['a', 'b', 'c']);
    expect(await names('not-tags-any=a&not-tags-any=b')).toEqual(['c']);
    expect(await names('tags=a&not-tags=b')).toEqual(['a']);
  });
});
