// Races are safe: on SQLite (one node) and on PostgreSQL across two replicas sharing one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/main.js';
import { hasCapability } from './support/capability.js';
import { call, dropSchema, POSTGRES_URL, scratchPostgres, scratchSqlite, startReplica, type Database } from './support/server-harness.js';

function raceSuite(name: string, setup: () => { database: Database; cleanup: () => Promise<void> }, replicas: number): void {
  describe(`races on ${name}`, () => {
    let servers: RunningServer[] = [];
    let cleanup: () => Promise<void> = async () => undefined;
    /** Request i goes to replica i mod n: the load balancer's spread. */
    const at = (i: number) => servers[i % servers.length]!.url;

    beforeAll(async () => {
      const s = setup();
      cleanup = s.cleanup;
      // Start replicas one after another would hide migration races; start them together.
      servers = await Promise.all(Array.from({ length: replicas }, () => startReplica(s.database)));
    });
    afterAll(async () => {
      for (const s of servers) await s.close();
      await cleanup();
    });

    it('100 parallel identical rule creates: exactly one 201 and 99 409', async () => {
      const g = (await call(at(0), 'race1', 'POST', '/v2.0/security-groups', { security_group: { name: 'g' } })).body.security_group;
      const rule = { security_group_rule: { security_group_id: g.id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 } };
      const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => call(at(i), 'race1', 'POST', '/v2.0/security-group-rules', rule)));
      const created = replies.filter((r) => r.status === 201);
      expect(created).toHaveLength(1);
      const conflicts = replies.filter((r) => r.status === 409);
      expect(conflicts).toHaveLength(99);
      for (const c of conflicts) {
        expect(c.body.NeutronError.type).toBe('SecurityGroupRuleExists');
        expect(c.body.NeutronError.message).toContain(created[0]!.body.security_group_rule.id);
      }
    });

    it("two first requests of a new project make exactly one default group", async () => {
      const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => call(at(i), 'fresh-project', 'GET', '/v2.0/security-groups')));
      expect(replies.every((r) => r.status === 200)).toBe(true);
      const list = (await call(at(1), 'fresh-project', 'GET', '/v2.0/security-groups?name=default')).body.security_groups;
      expect(list).toHaveLength(1);
      for (const r of replies) expect(r.body.security_groups.map((g: { id: string }) => g.id)).toEqual([list[0].id]);
    });

    it('If-Match with a stale revision is refused with 412 on any replica', async () => {
      const g = (await call(at(0), 'race2', 'POST', '/v2.0/security-groups', { security_group: { name: 'g' } })).body.security_group;
      const stale = g.revision_number;
      expect((await call(at(1), 'race2', 'PUT', `/v2.0/security-groups/${g.id}`, { security_group: { description: 'x' } }, { 'if-match': `revision_number=${stale}` })).status).toBe(200);
      const refused = await call(at(0), 'race2', 'PUT', `/v2.0/security-groups/${g.id}`, { security_group: { description: 'y' } }, { 'if-match': `revision_number=${stale}` });
      expect(refused.status).toBe(412);
      expect(refused.body.NeutronError.type).toBe('RevisionNumberConstraintFailed');
    });

    it('quotas hold under concurrency: quota 6 groups (default included), 15 parallel creates → 5 succeed', async () => {
      expect((await call(at(0), 'admin', 'PUT', '/v2.0/quotas/race3', { quota: { security_group: 6 } })).status).toBe(200);
      await call(at(0), 'race3', 'GET', '/v2.0/security-groups');
      const replies = await Promise.all(Array.from({ length: 15 }, (_, i) => call(at(i), 'race3', 'POST', '/v2.0/security-groups', { security_group: { name: `g${i}` } })));
      expect(replies.filter((r) => r.status === 201)).toHaveLength(5);
      expect(replies.filter((r) => r.status === 409).every((r) => r.body.NeutronError.type === 'OverQuota')).toBe(true);
      expect((await call(at(1), 'race3', 'GET', '/v2.0/security-groups')).body.security_groups).toHaveLength(6);
    });

    it('deleting a group while a port is being attached to it leaves a consistent state', async () => {
      const net = (await call(at(0), 'race4', 'POST', '/v2.0/networks', { network: { name: 'n' } })).body.network;
      await call(at(0), 'race4', 'POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.4.0.0/24' } });
      for (let round = 0; round < 8; round++) {
        const g = (await call(at(0), 'race4', 'POST', '/v2.0/security-groups', { security_group: { name: `g${round}` } })).body.security_group;
        const port = (await call(at(1), 'race4', 'POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [] } })).body.port;
        const [del, attach] = await Promise.all([
          call(at(round), 'race4', 'DELETE', `/v2.0/security-groups/${g.id}`),
          call(at(round + 1), 'race4', 'PUT', `/v2.0/ports/${port.id}`, { port: { security_groups: [g.id] } }),
        ]);
        const deleted = del.status === 204;
        expect(deleted ? attach.status : del.status).toBe(deleted ? 404 : 409);
        if (!deleted) expect(attach.status).toBe(200);
        const now = (await call(at(0), 'race4', 'GET', `/v2.0/ports/${port.id}`)).body.port;
        const groupExists = (await call(at(1), 'race4', 'GET', `/v2.0/security-groups/${g.id}`)).status === 200;
        expect(now.security_groups).toEqual(deleted ? [] : [g.id]);
        expect(groupExists).toBe(!deleted);
      }
    });

    it('adding addresses while rules naming the address group are created, and deleting it meanwhile: nothing lost, nothing dangling', async () => {
      const ag = (await call(at(0), 'race5', 'POST', '/v2.0/address-groups', { address_group: { name: 'ag', addresses: ['10.5.0.0/24'] } })).body.address_group;
      const g = (await call(at(1), 'race5', 'POST', '/v2.0/security-groups', { security_group: { name: 'g' } })).body.security_group;
      const adds = Array.from({ length: 12 }, (_, i) =>
        call(at(i), 'race5', 'PUT', `/v2.0/address-groups/${ag.id}/add_addresses`, { addresses: [`10.6.${i}.0/24`] }));
      const rules = Array.from({ length: 12 }, (_, i) => call(at(i + 1), 'race5', 'POST', '/v2.0/security-group-rules', {
        security_group_rule: { security_group_id: g.id, direction: 'ingress', protocol: 'tcp', port_range_min: 1000 + i, port_range_max: 1000 + i, remote_address_group_id: ag.id },
      }));
      const replies = await Promise.all([...adds, ...rules]);
      expect(replies.map((r) => r.status)).toEqual([...Array(12).fill(200), ...Array(12).fill(201)]);
      const after = (await call(at(1), 'race5', 'GET', `/v2.0/address-groups/${ag.id}`)).body.address_group;
      expect(after.addresses).toHaveLength(13);
      expect(after.revision_number).toBe(13);
      // A fresh group deleted while a rule naming it is created: either the rule exists and the group too, or neither.
      for (let round = 0; round < 6; round++) {
        const fresh = (await call(at(0), 'race5', 'POST', '/v2.0/address-groups', { address_group: { name: `f${round}` } })).body.address_group;
        const [del, rule] = await Promise.all([
          call(at(round), 'race5', 'DELETE', `/v2.0/address-groups/${fresh.id}`),
          call(at(round + 1), 'race5', 'POST', '/v2.0/security-group-rules', {
            security_group_rule: { security_group_id: g.id, direction: 'egress', protocol: 'udp', port_range_min: 2000 + round, port_range_max: 2000 + round, remote_address_group_id: fresh.id },
          }),
        ]);
        expect(del.status === 204 ? [rule.status, rule.body.NeutronError?.type] : [del.status, del.body.NeutronError.type])
          .toEqual(del.status === 204 ? [404, 'AddressGroupNotFound'] : [409, 'AddressGroupInUse']);
        const exists = (await call(at(1), 'race5', 'GET', `/v2.0/address-groups/${fresh.id}`)).status === 200;
        expect(exists).toBe(del.status !== 204);
        if (del.status !== 204) expect(rule.status).toBe(201);
      }
    });
  });
}

raceSuite('SQLite (one node)', () => ({ database: scratchSqlite(), cleanup: async () => undefined }), 1);

describe('PostgreSQL', () => {
  if (!hasCapability('PostgreSQL', POSTGRES_URL ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
  raceSuite('PostgreSQL (two replicas)', () => {
    const { database, schema } = scratchPostgres();
    return { database, cleanup: () => dropSchema(schema) };
  }, 2);
});
