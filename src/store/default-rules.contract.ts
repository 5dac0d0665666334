// The default-rule template contract: the table migration 009 makes, read and written the same on every back-end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefaultRuleTemplate } from '../domain/index.js';
import type { ListQuery } from './list-query.js';
import type { Store } from './store.js';

const AT = '2026-11-29T00:00:00Z';
const ALL: ListQuery = { filters: [], sorts: [], limit: null, reverse: false, fields: [] };

function template(n: number, over: Partial<DefaultRuleTemplate> = {}): DefaultRuleTemplate {
  return {
    id: `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`, direction: 'ingress', etherType: 'IPv4', protocol: 'tcp',
    portRangeMin: n, portRangeMax: n, remoteIpPrefix: null, remoteGroupId: null, remoteAddressGroupId: null, description: `t${n}`,
    usedInDefaultSg: false, usedInNonDefaultSg: true, createdAt: AT, ...over,
  };
}

export function runDefaultRuleContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`default rule template contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store.close();
    });

    it('starts with the four seeded templates: egress everywhere, ingress from PARENT in default groups only', async () => {
      const seeded = await store.listDefaultRules({});
      expect(seeded.map((t) => [t.direction, t.etherType, t.remoteGroupId, t.usedInDefaultSg, t.usedInNonDefaultSg])).toEqual(expect.arrayContaining([
        ['egress', 'IPv4', null, true, true], ['egress', 'IPv6', null, true, true],
        ['ingress', 'IPv4', 'PARENT', true, false], ['ingress', 'IPv6', 'PARENT', true, false],
      ]));
      expect(seeded).toHaveLength(4);
      expect((await store.listDefaultRules({ usedIn: 'non-default' })).map((t) => t.direction)).toEqual(['egress', 'egress']);
      expect(await store.listDefaultRules({ usedIn: 'default' })).toHaveLength(4);
    });

    it('round-trips a template and finds it by id, by kind of group and by rule identity', async () => {
      const t = template(1, { protocol: '6', remoteIpPrefix: '10.0.0.1/24', usedInDefaultSg: true, usedInNonDefaultSg: false });
      await store.insertDefaultRule(t);
      expect(await store.listDefaultRules({ ids: [t.id] })).toEqual([t]);
      expect(await store.listDefaultRules({ ids: [] })).toEqual([]);
      // Same rule by §7.4 (tcp is 6), other description: found; another port: not.
      expect((await store.listDefaultRules({ sameRuleAs: { ...t, protocol: 'tcp', description: 'x' } })).map((x) => x.id)).toEqual([t.id]);
      expect(await store.listDefaultRules({ sameRuleAs: { ...t, portRangeMin: 2 } })).toEqual([]);
      expect((await store.listDefaultRules({ usedIn: 'default' })).map((x) => x.id)).toContain(t.id);
      expect((await store.listDefaultRules({ usedIn: 'non-default' })).map((x) => x.id)).not.toContain(t.id);
      await store.deleteDefaultRule(t.id);
      expect(await store.listDefaultRules({ ids: [t.id] })).toEqual([]);
    });

    it('lists a page with filters, nullable sort keys and a keyset marker in SQL', async () => {
      const mine = [template(10), template(11, { protocol: null, portRangeMin: null, portRangeMax: null }), template(12, { remoteGroupId: 'PARENT' })];
      for (const t of mine) await store.insertDefaultRule(t);
      const filtered = await store.listDefaultRulePage({ ...ALL, filters: [{ key: 'direction', values: ['ingress'] }, { key: 'used_in_non_default_sg', values: [true] }] });
      expect(filtered.items.map((t) => t.id)).toEqual(mine.map((t) => t.id));
      const byMin = await store.listDefaultRulePage({ ...ALL, filters: [{ key: 'description', values: ['t10', 't11', 't12'] }], sorts: [{ key: 'port_range_min', dir: 'asc' }], limit: 2 });
      expect(byMin.items.map((t) => t.portRangeMin)).toEqual([null, 10]);
      expect(byMin.hasNext).toBe(true);
      const rest = await store.listDefaultRulePage({
        ...ALL, filters: [{ key: 'description', values: ['t10', 't11', 't12'] }], sorts: [{ key: 'port_range_min', dir: 'asc' }], limit: 2, marker: byMin.items[1]!.id,
      });
      expect(rest.items.map((t) => t.id)).toEqual([mine[2]!.id]);
      expect((await store.listDefaultRulePage({ ...ALL, filters: [{ key: 'remote_group_id', values: ['PARENT'] }] })).items).toHaveLength(3);
      expect((await store.listDefaultRulePage({ ...ALL, filters: [{ key: 'protocol', values: [null] }] })).items.map((t) => t.id)).toContain(mine[1]!.id);
    });

    it('keeps a network\'s router:external, and shows external networks and their subnets to every project', async () => {
      const net = { id: '00000000-0000-4000-b100-000000000001', projectId: 'p', name: 'ext', description: '', adminStateUp: true, portSecurityEnabled: true, shared: false, routerExternal: true, revisionNumber: 1, createdAt: AT, updatedAt: AT };
      await store.insertNetwork(net);
      expect(await store.listNetworks({ ids: [net.id] })).toEqual([net]);
      const externalTo = (projectId: string) =>
        store.listNetworkPage({ ...ALL, filters: [{ key: 'router:external', values: [true] }, { key: 'mtu', values: [1500] }] }, { projectId, admin: false });
      expect((await externalTo('p')).items.map((l) => l.network.id)).toEqual([net.id]);
      // Everyone sees an external network and its subnets, as Neutron's get_network and get_subnet policies say.
      expect((await externalTo('someone-else')).items.map((l) => l.network.id)).toEqual([net.id]);
      const subnet = { id: '00000000-0000-4000-b100-000000000002', projectId: 'p', networkId: net.id, name: '', description: '', ipVersion: 4 as const, cidr: '203.0.113.0/24', gatewayIp: null, enableDhcp: false, revisionNumber: 1, createdAt: AT, updatedAt: AT };
      await store.insertSubnet(subnet);
      expect((await store.listSubnetPage({ ...ALL, filters: [{ key: 'network_id', values: [net.id] }] }, { projectId: 'someone-else', admin: false })).items).toEqual([subnet]);
      await store.updateNetwork({ ...net, routerExternal: false });
      expect((await store.listNetworks({ ids: [net.id] }))[0]?.routerExternal).toBe(false);
      expect((await externalTo('someone-else')).items).toEqual([]);
      expect((await store.listSubnetPage({ ...ALL, filters: [{ key: 'network_id', values: [net.id] }] }, { projectId: 'someone-else', admin: false })).items).toEqual([]);
    });
  });
}
