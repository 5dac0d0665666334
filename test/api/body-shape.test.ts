// neutron-api.md §1 service basics and §6.1 body-shape rules B1–B12, on groups and rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, send, type Harness } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const SG = '/v2.0/security-groups';
const RULES = '/v2.0/security-group-rules';

describe('§6.1 body shape', () => {
  it('B1: a body that is not JSON, or not an object, is 400 «Body contains invalid data»', async () => {
    const c = h.as('b1');
    expectError(await c.post(SG, '{"security_group": '), 400, 'HTTPBadRequest', 'Body contains invalid data');
    expectError(await c.post(SG, '[1,2]'), 400, 'HTTPBadRequest', 'Body contains invalid data');
    expectError(await c.post(SG, '"text"'), 400, 'HTTPBadRequest', 'Body contains invalid data');
    const g = await c.group();
    expectError(await c.put(`${SG}/${g['id']}`, 'not json'), 400, 'HTTPBadRequest', 'Body contains invalid data');
  });

  it('B2: an empty body on create or update is 400 «Resource body required»', async () => {
    const c = h.as('b2');
    expectError(await c.post(SG), 400, 'HTTPBadRequest', 'Resource body required');
    expectError(await c.post(SG, {}), 400, 'HTTPBadRequest', 'Resource body required');
    const g = await c.group();
    expectError(await c.put(`${SG}/${g['id']}`, {}), 400, 'HTTPBadRequest', 'Resource body required');
  });

  it('B3: no resource key is 400 «Unable to find … in request body»', async () => {
    const c = h.as('b3');
    expectError(await c.post(SG, { group: {} }), 400, 'HTTPBadRequest', "Unable to find 'security_group' in request body");
    expectError(await c.post(RULES, { rule: {} }), 400, 'HTTPBadRequest', "Unable to find 'security_group_rule' in request body");
  });

  it('B4: a resource value that is not an object is 400 «Object … contains invalid data»', async () => {
    const c = h.as('b4');
    expectError(await c.post(SG, { security_group: 'x' }), 400, 'HTTPBadRequest', "Object 'security_group' contains invalid data");
    expectError(await c.post(SG, { security_group: [] }), 400, 'HTTPBadRequest', "Object 'security_group' contains invalid data");
    expectError(await c.post(SG, { security_groups: [1] }), 400, 'HTTPBadRequest', 'contains invalid data');
  });

  it('B5: an empty bulk list is 400 «Resources required»', async () => {
    expectError(await h.as('b5').post(SG, { security_groups: [] }), 400, 'HTTPBadRequest', 'Resources required');
    expectError(await h.as('b5').post(RULES, { security_group_rules: [] }), 400, 'HTTPBadRequest', 'Resources required');
  });

  it('B6: unknown attributes are 400 «Unrecognized attribute(s)»', async () => {
    const c = h.as('b6');
    expectError(await c.post(SG, { security_group: { name: 'a', foo: 1, bar: 2 } }), 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'foo, bar'");
    const g = await c.group();
    expectError(await c.put(`${SG}/${g['id']}`, { security_group: { colour: 'red' } }), 400, 'HTTPBadRequest', 'Unrecognized attribute(s)');
  });

  it('B7: read-only attributes in POST are 400 «Attribute … not allowed in POST»', async () => {
    const c = h.as('b7');
    for (const attr of ['id', 'shared', 'tags', 'security_group_rules']) {
      expectError(await c.post(SG, { security_group: { name: 'a', [attr]: null } }), 400, 'HTTPBadRequest', `Attribute '${attr}' not allowed in POST`);
    }
    const g = await c.group();
    const rule = { security_group_id: g['id'], direction: 'ingress', normalized_cidr: '10.0.0.0/8' };
    expectError(await c.post(RULES, { security_group_rule: rule }), 400, 'HTTPBadRequest', "Attribute 'normalized_cidr' not allowed in POST");
  });

  it('B8: attributes not updatable in PUT are 400 «Cannot update read-only attribute»', async () => {
    const c = h.as('b8');
    const g = await c.group();
    for (const attr of ['id', 'project_id', 'tenant_id', 'shared']) {
      expectError(await c.put(`${SG}/${g['id']}`, { security_group: { [attr]: 'x' } }), 400, 'HTTPBadRequest', `Cannot update read-only attribute ${attr}`);
    }
  });

  it('B9: a missing required rule attribute is 400 «Required attribute … not specified»', async () => {
    const c = h.as('b9');
    const g = await c.group();
    expectError(await c.post(RULES, { security_group_rule: { security_group_id: g['id'] } }), 400, 'HTTPBadRequest', "Required attribute 'direction' not specified");
    expectError(await c.post(RULES, { security_group_rule: { direction: 'ingress' } }), 400, 'HTTPBadRequest', "Required attribute 'security_group_id' not specified");
  });

  it('B10: wrong types and lengths are 400 «Invalid input for {attr}. Reason: …»', async () => {
    const c = h.as('b10');
    expectError(await c.post(SG, { security_group: { name: true } }), 400, 'HTTPBadRequest', 'Invalid input for name', "'true' is not a valid string");
    expectError(await c.post(SG, { security_group: { name: 'n'.repeat(256) } }), 400, 'HTTPBadRequest', 'exceeds maximum length of 255');
    expectError(await c.post(SG, { security_group: { stateful: 'maybe' } }), 400, 'HTTPBadRequest', "'maybe' cannot be converted to boolean");
    const g = await c.group();
    expectError(await c.post(RULES, { security_group_rule: { security_group_id: g['id'], direction: 'inbound' } }), 400, 'HTTPBadRequest', "inbound is not in ['ingress', 'egress']");
  });

  it('B11: project_id and tenant_id that differ are 400', async () => {
    const body = { security_group: { name: 'a', project_id: 'b11', tenant_id: 'other' } };
    expectError(await h.as('b11').post(SG, body), 400, 'HTTPBadRequest', "'project_id' and 'tenant_id' do not match");
  });

  it('B12: a non-admin naming another project is refused; an admin may', async () => {
    const body = { security_group: { name: 'a', project_id: 'someone-else' } };
    const refusal = "Specifying 'project_id' other than the authenticated project in request is not allowed for the current user.";
    expectError(await h.as('b12').post(SG, body), 400, 'HTTPBadRequest', refusal);
    expectError(await h.as('b12').post(SG, { security_group: { tenant_id: 'someone-else' } }), 400, 'HTTPBadRequest', refusal);
    const g = await h.as('b12').group();
    const rule = { security_group_id: g['id'], direction: 'ingress', project_id: 'someone-else' };
    expectError(await h.as('b12').post('/v2.0/security-group-rules', { security_group_rule: rule }), 400, 'HTTPBadRequest', refusal);
    const created = ok(await h.admin.post(SG, body), 201)['security_group'];
    expect(created['project_id']).toBe('someone-else');
    expect(created['tenant_id']).toBe('someone-else');
  });
});

describe('§1 service basics', () => {
  it('a trailing .json means the same URL', async () => {
    const c = h.as('json');
    const g = await c.group({ name: 'suffix' });
    expect(ok(await c.get(`${SG}/${g['id']}.json`))['security_group']['id']).toBe(g['id']);
    expect(ok(await c.get(`${SG}.json?name=suffix`))['security_groups']).toHaveLength(1);
  });

  it('DELETE with a body is 400 «Request body is not supported in DELETE.»', async () => {
    const c = h.as('delbody');
    const g = await c.group();
    expectError(await c.request('DELETE', `${SG}/${g['id']}`, { x: 1 }), 400, 'HTTPBadRequest', 'Request body is not supported in DELETE.');
    ok(await c.get(`${SG}/${g['id']}`));
  });

  it('PUT on a rule is 405, as are POST/PATCH on items', async () => {
    const c = h.as('m405');
    const g = await c.group();
    const rule = g['security_group_rules'][0];
    expectError(await c.put(`${RULES}/${rule['id']}`, { security_group_rule: { description: 'x' } }), 405, 'HTTPMethodNotAllowed');
    expectError(await c.request('PATCH', `${SG}/${g['id']}`, { security_group: {} }), 405);
    expectError(await c.post(`${SG}/${g['id']}`, { security_group: {} }), 405);
  });

  it('HEAD on an item and unknown methods on a known path are 405', async () => {
    const c = h.as('m405b');
    const g = await c.group();
    expect((await c.request('HEAD', `${SG}/${g['id']}`)).status).toBe(405);
    expectError(await c.request('OPTIONS', SG), 405, 'HTTPMethodNotAllowed');
    expectError(await c.request('PROPFIND', `${SG}/${g['id']}`), 405, 'HTTPMethodNotAllowed');
    expectError(await c.request('OPTIONS', '/v2.0/nothing-here'), 404, 'HTTPNotFound');
  });

  it('an unknown URL is 404 with a NeutronError body', async () => {
    expectError(await h.as('x').get('/v2.0/security-groups/abc/nothing'), 404);
    expectError(await h.as('x').get('/v2.0/no-such-collection'), 404);
  });

  it('a malformed or over-long URL is a 4xx NeutronError, not the router\'s own body', async () => {
    expectError(await h.as('x').get('/v2.0/security-groups/%zz'), 400);
    expectError(await h.as('x').get(`/v2.0/security-groups/${'a'.repeat(2000)}`), 414, 'HTTPRequestURITooLong');
  });

  it('a request without X-Project-Id is 401, never served as admin', async () => {
    const res = await send(h.app, 'GET', SG, { 'x-roles': 'admin' });
    expectError(res, 401);
    expectError(await send(h.app, 'POST', SG, {}, { security_group: { name: 'x' } }), 401);
  });

  it('GET / returns the version document and GET /v2.0 the resources', async () => {
    const root = ok(await send(h.app, 'GET', '/', {}));
    expect(root['versions'][0]).toMatchObject({ id: 'v2.0', status: 'CURRENT' });
    const v2 = ok(await send(h.app, 'GET', '/v2.0', {}));
    expect(v2['resources'].map((r: { collection: string }) => r.collection)).toContain('security_groups');
  });

  it('every resource carries project_id and tenant_id, equal', async () => {
    const g = await h.as('pt').group();
    expect(g['project_id']).toBe('pt');
    expect(g['tenant_id']).toBe('pt');
    expect(g['security_group_rules'][0]['tenant_id']).toBe('pt');
  });

  it('extensions list what is implemented, and an unknown alias is 404', async () => {
    const list = ok(await h.as('ext').get('/v2.0/extensions'))['extensions'] as { alias: string }[];
    const aliases = list.map((e) => e.alias);
    for (const alias of ['security-group', 'standard-attr-tag', 'revision-if-match', 'pagination', 'sorting', 'quotas', 'stateful-security-group', 'port-security', 'address-group', 'security-groups-remote-address-group']) {
      expect(aliases).toContain(alias);
    }
    expect(aliases).not.toContain('dns-integration');
    expect(ok(await h.as('ext').get('/v2.0/extensions/security-group'))['extension']).toMatchObject({ alias: 'security-group', links: [] });
    expectError(await h.as('ext').get('/v2.0/extensions/nope'), 404);
  });
});
