// The engine's API: effective rules, explain, reachability and matrix — answers, isolation and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Caller, type Harness, type Json } from '../support/api-harness.js';

describe('analysis API', () => {
  let h: Harness;
  let demo: Caller;
  let conn: Json;
  let web: Json;
  let vm: Json;
  let client: Json;

  beforeAll(async () => {
    h = await makeHarness();
    demo = h.as('demo');
    conn = await demo.group({ name: 'CONN' });
    web = await demo.group({ name: 'WEB' });
    for (const p of [22, 23]) await demo.rule(conn['id'], { protocol: 'tcp', port_range_min: p, port_range_max: p });
    for (const p of [80, 8080]) await demo.rule(web['id'], { protocol: 'tcp', port_range_min: p, port_range_max: p });
    const { network } = await networkWithSubnet(demo);
    vm = await demo.port(network['id'], { name: 'vm', device_id: 'vm', security_groups: [conn['id'], web['id']] });
    client = await demo.port(network['id'], { name: 'client', device_id: 'client' });
  });
  afterAll(() => h.close());

  it("merges an instance's groups: the seed's four ingress rules, each with its origin", async () => {
    const body = ok(await demo.get(`/v2.0/palisade/ports/${vm['id']}/effective-rules`))['effective_rules'];
    const ingress = body['rules'].filter((r: Json) => r['direction'] === 'ingress');
    expect(ingress.map((r: Json) => r['port_range_min']).sort((a: number, b: number) => a - b)).toEqual([22, 23, 80, 8080]);
    expect(ingress.find((r: Json) => r['port_range_min'] === 80)['origins'][0]['group_name']).toBe('WEB');
    // Both groups carry egress-any for IPv4 and IPv6: de-duplicated to two rules, each from two groups.
    const egress = body['rules'].filter((r: Json) => r['direction'] === 'egress');
    expect(egress).toHaveLength(2);
    expect(egress[0]['origins']).toHaveLength(2);
  });

  it('explains an allowed flow with the matching rule and a denied one with the nearest rules', async () => {
    const flow = { port_id: vm['id'], direction: 'ingress', protocol: 'tcp', remote_ip: '10.0.0.50' };
    const allowed = ok(await demo.post('/v2.0/palisade/explain', { flow: { ...flow, port: 8080 } }))['explanation'];
    expect(allowed).toMatchObject({ verdict: 'allow', reason: 'rule' });
    expect(allowed['matches'][0]).toMatchObject({ group_name: 'WEB', mismatches: 0 });
    const denied = ok(await demo.post('/v2.0/palisade/explain', { flow: { ...flow, port: 443 } }))['explanation'];
    expect(denied).toMatchObject({ verdict: 'deny', reason: 'no-matching-rule', matches: [] });
    expect(denied['nearest'].length).toBeGreaterThan(0);
    const portField = denied['nearest'].flatMap((r: Json) => r['fields']).find((f: Json) => f['field'] === 'ports' && !f['matched']);
    expect(portField).toBeDefined();
  });

  it('answers reachability with the blocking side and a rule that would open it', async () => {
    const q = (port: number) => `/v2.0/palisade/reachability?source_port_id=${client['id']}&destination_port_id=${vm['id']}&protocol=tcp&port=${port}`;
    expect(ok(await demo.get(q(22)))['reachability']['verdict']).toBe('allow');
    const blocked = ok(await demo.get(q(5432)))['reachability'];
    expect(blocked).toMatchObject({ verdict: 'deny', blocked_by: ['destination-ingress'] });
    expect(blocked['open_with'][0]).toMatchObject({ side: 'destination-ingress', port_id: vm['id'] });
    expect(blocked['open_with'][0]['rule']).toMatchObject({ direction: 'ingress', protocol: 'tcp', port_range_min: 5432 });
  });

  it('computes the project matrix by classes', async () => {
    const m = ok(await demo.get('/v2.0/palisade/matrix?service=tcp:22&service=tcp:443'))['matrix'];
    expect(m['services']).toEqual(['tcp:22', 'tcp:443']);
    const classOf = (instance: string) => m['classes'].find((c: Json) => c['instances'].includes(instance))['id'];
    expect(m['edges']).toContainEqual({ from: classOf('client'), to: classOf('vm'), services: ['tcp:22'] });
    expect(m['edges'].some((e: Json) => e['services'].includes('tcp:443'))).toBe(false);
  });

  it('follows writes at once: a new rule opens the flow on the next question', async () => {
    const q = `/v2.0/palisade/reachability?source_port_id=${client['id']}&destination_port_id=${vm['id']}&protocol=tcp&port=9000`;
    expect(ok(await demo.get(q))['reachability']['verdict']).toBe('deny');
    const rule = await demo.rule(web['id'], { protocol: 'tcp', port_range_min: 9000, port_range_max: 9000 });
    expect(ok(await demo.get(q))['reachability']['verdict']).toBe('allow');
    ok(await demo.del(`/v2.0/security-group-rules/${rule['id']}`), 204);
    expect(ok(await demo.get(q))['reachability']['verdict']).toBe('deny');
  });

  it("hides another project's ports (404) and refuses its matrix", async () => {
    const other = h.as('other');
    expectError(await other.get(`/v2.0/palisade/ports/${vm['id']}/effective-rules`), 404, 'PortNotFound');
    expectError(await other.post('/v2.0/palisade/explain', { flow: { port_id: vm['id'], direction: 'ingress', protocol: 'tcp', remote_ip: '10.0.0.1', port: 22 } }), 404, 'PortNotFound');
    expectError(await other.get(`/v2.0/palisade/reachability?source_port_id=${client['id']}&destination_port_id=${vm['id']}&protocol=tcp&port=22`), 404, 'PortNotFound');
    expectError(await other.get('/v2.0/palisade/matrix?project_id=demo&service=tcp:22'), 400, 'HTTPBadRequest');
    expect(ok(await h.admin.get(`/v2.0/palisade/ports/${vm['id']}/effective-rules`))['effective_rules']['port_id']).toBe(vm['id']);
  });

  it.each([
    [{}, "Unable to find 'flow'"],
    [{ flow: { port_id: 'x', direction: 'ingress', protocol: 'tcp' } }, "Required attribute 'remote_ip'"],
    [{ flow: { port_id: 'x', direction: 'up', protocol: 'tcp', remote_ip: '1.2.3.4' } }, 'direction'],
    [{ flow: { port_id: 'x', direction: 'ingress', protocol: 'any', remote_ip: '1.2.3.4' } }, 'a flow has one protocol'],
    [{ flow: { port_id: 'x', direction: 'ingress', protocol: 'tcp', remote_ip: '1.2.3.4', port: 70000 } }, 'port'],
    [{ flow: { port_id: 'x', direction: 'ingress', protocol: 'tcp', remote_ip: '1.2.3.4', colour: 'red' } }, "Unrecognized attribute(s) 'colour'"],
  ])('refuses a bad flow %j', async (body, message) => {
    expectError(await demo.post('/v2.0/palisade/explain', body), 400, undefined, message);
  });

  it('refuses a bad address in a flow with a Neutron error', async () => {
    const r = await demo.post('/v2.0/palisade/explain', { flow: { port_id: vm['id'], direction: 'ingress', protocol: 'tcp', remote_ip: '10.0.0.300', port: 22 } });
    expectError(r, 400);
  });

  it('refuses bad services and unknown parameters', async () => {
    expectError(await demo.get('/v2.0/palisade/matrix'), 400, 'HTTPBadRequest', 'at least one service');
    expectError(await demo.get('/v2.0/palisade/matrix?service=tcp:99999'), 400);
    expectError(await demo.get('/v2.0/palisade/matrix?service=tcp&colour=red'), 400, 'HTTPBadRequest', "'colour'");
    expectError(await demo.get(`/v2.0/palisade/reachability?source_port_id=${client['id']}`), 400, 'HTTPBadRequest', 'required');
  });

  it('documents the analysis endpoints in the OpenAPI output', async () => {
    const doc = JSON.parse((await h.app.inject({ method: 'GET', url: '/docs/json' })).body) as Json;
    for (const path of ['/v2.0/palisade/explain', '/v2.0/palisade/reachability', '/v2.0/palisade/matrix', '/v2.0/palisade/ports/{id}/effective-rules']) {
      expect(Object.keys(doc['paths'])).toContain(path);
    }
    expect(doc['paths']['/v2.0/palisade/explain']['post']['requestBody']).toBeDefined();
  });
});
