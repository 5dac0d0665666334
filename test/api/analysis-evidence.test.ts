// Explain's membership evidence over the API: a shared group on another project's port with a 0.0.0.0/0 pair.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHarness, networkWithSubnet, ok, type Caller, type Harness, type Json } from '../support/api-harness.js';

const OWNER = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TARGET = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('explain: who makes an address a member of a remote group', () => {
  let h: Harness;
  let owner: Caller;
  let web: Json;
  let db: Json;
  let web1: Json;
  let rogue: Json;

  beforeAll(async () => {
    h = await makeHarness();
    owner = h.as(OWNER);
    const target = h.as(TARGET);
    web = await owner.group({ name: 'WEB' });
    const dbGroup = await owner.group({ name: 'DB' });
    await owner.rule(dbGroup['id'], { protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: web['id'] });
    const { network } = await networkWithSubnet(owner);
    db = await owner.port(network['id'], { name: 'db', device_id: 'db', security_groups: [dbGroup['id']] });
    web1 = await owner.port(network['id'], { name: 'web1', device_id: 'web1', security_groups: [web['id']] });
    const rbac = { object_type: 'security_group', object_id: web['id'], action: 'access_as_shared', target_tenant: TARGET };
    ok(await owner.post('/v2.0/rbac-policies', { rbac_policy: rbac }), 201);
    const theirs = await networkWithSubnet(target, '10.9.0.0/24');
    rogue = await target.port(theirs.network['id'], { device_id: 'rogue', security_groups: [web['id']], allowed_address_pairs: [{ ip_address: '0.0.0.0/0' }] });
  });
  afterAll(() => h.close());

  const remoteField = async (by: Caller, remoteIp: string): Promise<Json> => {
    const flow = { port_id: db['id'], direction: 'ingress', protocol: 'tcp', port: 5432, remote_ip: remoteIp };
    const explanation = ok(await by.post('/v2.0/palisade/explain', { flow }))['explanation'];
    expect(explanation['verdict']).toBe('allow');
    return explanation['matches'][0]['fields'].find((f: Json) => f['field'] === 'remote');
  };

  it("shows the foreign pair as wide and foreign, with the other project's port id hidden from the owner", async () => {
    const field = await remoteField(owner, '198.51.100.7');
    expect(field['remote_members']).toEqual({
      security_group_id: web['id'], security_group_name: 'WEB', count: 1, wide: true, foreign: true,
      ports: [{ project_id: TARGET, via: 'allowed_address_pair', prefix: '0.0.0.0/0', foreign: true }],
    });
  });

  it('shows the port id to a caller who may read the port (admin)', async () => {
    const field = await remoteField(h.admin, '198.51.100.7');
    expect(field['remote_members']['ports']).toEqual([{ port_id: rogue['id'], project_id: TARGET, via: 'allowed_address_pair', prefix: '0.0.0.0/0', foreign: true }]);
  });

  it("names the owner's own port by id next to the hidden one, and is not wide when a fixed IP holds the address", async () => {
    const ip = web1['fixed_ips'][0]['ip_address'];
    const members = (await remoteField(owner, ip))['remote_members'];
    expect([members['count'], members['wide'], members['foreign']]).toEqual([2, false, false]);
    expect(members['ports']).toContainEqual({ port_id: web1['id'], project_id: OWNER, via: 'fixed_ip', prefix: ip, foreign: false });
    expect(members['ports'].filter((p: Json) => p['project_id'] === TARGET)).toEqual([{ project_id: TARGET, via: 'allowed_address_pair', prefix: '0.0.0.0/0', foreign: true }]);
  });

  it('hides the port id inside reachability answers too', async () => {
    const q = `/v2.0/palisade/reachability?source_port_id=${web1['id']}&destination_port_id=${db['id']}&protocol=tcp&port=5432`;
    const ingress = ok(await owner.get(q))['reachability']['ingress'];
    const ports = ingress['matches'][0]['fields'].find((f: Json) => f['field'] === 'remote')['remote_members']['ports'];
    expect(JSON.stringify(ports)).not.toContain(rogue['id']);
    expect(ports.map((p: Json) => p['project_id']).sort()).toEqual([OWNER, TARGET]);
  });
});
