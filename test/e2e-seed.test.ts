// The seed's example over real HTTP: CONN and WEB groups, an instance port with both, CONN refused deletion while in use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/main.js';

let server: RunningServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
  server = await startServer({
    host: '127.0.0.1', port: 0, auth: 'noauth', changeRetention: 0, logLevel: 'silent',
    database: { kind: 'sqlite', path: join(dir, 'palisade.db') },
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, any>;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; type: string | null }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'x-project-id': 'seed-project', 'x-roles': 'member', ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, type: res.headers.get('content-type') };
}

async function created(path: string, body: unknown): Promise<Json> {
  const res = await call('POST', path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function groupWithIngress(name: string, ports: number[]): Promise<Json> {
  const group = (await created('/v2.0/security-groups', { security_group: { name } }))['security_group'];
  const rules = ports.map((p) => ({ security_group_id: group['id'], direction: 'ingress', protocol: 'tcp', port_range_min: p, port_range_max: p }));
  await created('/v2.0/security-group-rules', { security_group_rules: rules });
  return group;
}

describe('seed example over HTTP', () => {
  it('CONN and WEB on one instance port; CONN cannot be deleted until it is removed', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const conn = await groupWithIngress('CONN', [22, 23]);
    const web = await groupWithIngress('WEB', [80, 8080]);
    const shownConn = (await call('GET', `/v2.0/security-groups/${conn['id']}`)).body['security_group'];
    const ingress = (shownConn['security_group_rules'] as Json[]).filter((r) => r['direction'] === 'ingress');
    expect(ingress.map((r) => r['port_range_min']).sort()).toEqual([22, 23]);

    const network = (await created('/v2.0/networks', { network: { name: 'seed-net' } }))['network'];
    const subnet = (await created('/v2.0/subnets', { subnet: { network_id: network['id'], cidr: '192.168.0.0/24' } }))['subnet'];
    const port = (await created('/v2.0/ports', {
      port: { network_id: network['id'], device_id: 'instance-1', device_owner: 'compute:nova', security_groups: [conn['id'], web['id']] },
    }))['port'];
    expect(port['fixed_ips'][0]['subnet_id']).toBe(subnet['id']);

    const shown = (await call('GET', `/v2.0/ports/${port['id']}`)).body['port'];
    expect([...shown['security_groups']].sort()).toEqual([conn['id'], web['id']].sort());
    for (const g of [conn, web]) {
      const list = (await call('GET', `/v2.0/security-group-ports?security_group_id=${g['id']}`)).body['security_group_ports'] as Json[];
      expect(list.map((p) => p['id'])).toEqual([port['id']]);
    }

    const refused = await call('DELETE', `/v2.0/security-groups/${conn['id']}`);
    expect(refused.status).toBe(409);
    expect(refused.type).toMatch(/^application\/json/);
    expect(refused.body['NeutronError']).toMatchObject({ type: 'SecurityGroupInUse', message: `Security Group ${conn['id']} in use.` });

    const updated = await call('PUT', `/v2.0/ports/${port['id']}`, { port: { security_groups: [web['id']] } });
    expect(updated.status).toBe(200);
    expect(updated.body['port']['security_groups']).toEqual([web['id']]);
    expect((await call('DELETE', `/v2.0/security-groups/${conn['id']}`)).status).toBe(204);
    expect((await call('GET', `/v2.0/security-groups/${conn['id']}`)).status).toBe(404);
    expect((await call('GET', `/v2.0/security-group-ports?security_group_id=${web['id']}`)).body['security_group_ports']).toHaveLength(1);
  });
});
