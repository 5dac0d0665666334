// The store contract: one suite every back-end must pass unchanged (SQLite and PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, type AddressGroup, type Port, type SecurityGroup, type SecurityGroupRule } from '../domain/index.js';
import type { Store } from './store.js';

const AT = '2026-11-28T00:00:00Z';
let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export function group(projectId: string, over: Partial<SecurityGroup> = {}): SecurityGroup {
  return {
    id: uuid(), projectId, name: 'g', description: '', stateful: true, isDefault: false, tags: [],
    revisionNumber: 1, createdAt: AT, updatedAt: AT, ...over,
  };
}

export function rule(g: SecurityGroup, over: Partial<SecurityGroupRule> = {}): SecurityGroupRule {
  return {
    id: uuid(), securityGroupId: g.id, projectId: g.projectId, direction: 'ingress', etherType: 'IPv4', protocol: 'tcp',
    portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: null, remoteGroupId: null, remoteAddressGroupId: null,
    description: '', revisionNumber: 1, createdAt: AT, updatedAt: AT, ...over,
  };
}

export function runStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    const project = `p-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store.close();
    });

    it('round-trips a group with tags and lists it by project', async () => {
      const g = group(project, { name: 'web', tags: ['a', 'b'], stateful: false });
      await store.insertGroup(g);
      const [back] = await store.listGroups({ ids: [g.id] });
      expect(back).toEqual(g);
      const byProject = (p: string) => ({ filters: [{ key: 'project_id', values: [p] }], sorts: [], limit: null, reverse: false, fields: [] });
      expect((await store.listGroupPage(byProject(project), { projectId: project, admin: false })).items.map((x) => x.group)).toEqual([g]);
      expect((await store.listGroupPage(byProject('nobody'), { projectId: 'nobody', admin: true })).items).toEqual([]);
      await store.updateGroup({ ...g, name: 'web2', tags: [] });
      expect((await store.listGroups({ ids: [g.id] }))[0]).toMatchObject({ name: 'web2', tags: ['a', 'b'] });
      await store.setTags(g.id, ['c']);
      expect((await store.listGroups({ ids: [g.id] }))[0]?.tags).toEqual(['c']);
      expect(await store.listGroups({ ids: [] })).toEqual([]);
    });

    it('rejects a duplicate rule identity with a ConflictError naming the existing rule', async () => {
      const g = group(project);
      await store.insertGroup(g);
      const first = rule(g);
      await store.insertRules([first], [`${g.id}|x`]);
      const err = await store.insertRules([rule(g)], [`${g.id}|x`]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).message).toContain(first.id);
      expect(await store.listRules({ securityGroupIds: [g.id] })).toEqual([first]);
    });

    it('rolls back everything a failed transaction wrote', async () => {
      const g = group(project);
      const seqBefore = await store.latestChangeSeq();
      await expect(
        store.transaction(async (s) => {
          await s.insertGroup(g);
          await s.appendChange({ resource: 'security_group', action: 'create', id: g.id, projectId: project, object: g, at: AT });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.listGroups({ ids: [g.id] })).toEqual([]);
      expect(await store.latestChangeSeq()).toBe(seqBefore);
      // A rolled-back transaction leaves no gap in the sequence.
      const next = await store.transaction((s) => s.appendChange({ resource: 'port', action: 'delete', id: 'x', projectId: project, object: null, at: AT }));
      expect(next).toBe(seqBefore + 1);
    });

    it('reads history and audit by group, project and user, newest first, each record with its before', async () => {
      const g = group(project);
      const r = rule(g, { expiresAt: '2026-11-28T01:00:00Z' });
      const alice = { userId: `u-${project}`, userName: `alice-${project}`, projectId: project, roles: ['member'], requestId: 'req-1', sourceAddress: '192.0.2.1' };
      const system = { userId: null, userName: 'system', projectId: null, roles: ['admin'], requestId: null, sourceAddress: null };
      const seqs = await store.transaction(async (s) => [
        await s.appendChange({ resource: 'security_group', action: 'create', id: g.id, projectId: project, object: g, at: AT, actor: alice, groupId: g.id }),
        await s.appendChange({ resource: 'security_group_rule', action: 'create', id: r.id, projectId: project, object: r, at: AT, actor: alice, groupId: g.id }),
        await s.appendChange({ resource: 'security_group_rule', action: 'delete', id: r.id, projectId: project, object: null, at: '2026-11-28T02:00:00Z', actor: system, groupId: g.id }),
      ]);
      const history = await store.listHistory({ groupId: g.id }, { limit: 10 });
      expect(history.map((e) => e.seq)).toEqual([...seqs].reverse());
      expect(history[0]).toMatchObject({ action: 'delete', object: null, before: r, groupId: g.id, actor: system });
      expect(history[2]).toMatchObject({ resource: 'security_group', before: null, actor: alice });
      expect((await store.listHistory({ groupId: g.id }, { limit: 1, marker: seqs[2]! })).map((e) => e.seq)).toEqual([seqs[1]]);
      expect((await store.listHistory({ user: alice.userName, projectId: project }, { limit: 10 })).map((e) => e.seq)).toEqual([seqs[1], seqs[0]]);
      expect((await store.listHistory({ user: alice.userId, action: 'create', resource: 'security_group' }, { limit: 10 })).map((e) => e.seq)).toEqual([seqs[0]]);
      expect((await store.listHistory({ projectId: project, since: '2026-11-28T01:00:00Z', until: '2026-11-28T03:00:00Z' }, { limit: 10 })).map((e) => e.seq)).toEqual([seqs[2]]);
      expect(await store.lastChangeSeqBefore('2026-11-28T01:00:00Z')).toBeGreaterThanOrEqual(seqs[1]!);
      expect((await store.listChanges(seqs[0]! - 1, 1))[0]?.actor).toEqual(alice);
    });

    it('lists expired rules soonest first, and lets one claimant at a time move a job on', async () => {
      const g = group(project);
      await store.insertGroup(g);
      const late = rule(g, { portRangeMin: 1, portRangeMax: 1, expiresAt: '2026-11-28T05:00:00Z' });
      const soon = rule(g, { portRangeMin: 2, portRangeMax: 2, expiresAt: '2026-11-28T04:00:00Z' });
      const never = rule(g, { portRangeMin: 3, portRangeMax: 3 });
      await store.insertRules([late, soon, never], [`${g.id}|e1`, `${g.id}|e2`, `${g.id}|e3`]);
      const mine = async (now: string) => (await store.listExpiredRuleIds(now, 1000)).filter((id) => [late.id, soon.id, never.id].includes(id));
      expect(await mine('2026-11-28T03:59:59Z')).toEqual([]);
      expect(await mine('2026-11-28T05:00:00Z')).toEqual([soon.id, late.id]);
      expect((await store.listRules({ ids: [soon.id] }))[0]).toEqual(soon);
      const job = `job-${project}`;
      expect(await store.claimJob(job, '2026-11-28T00:00:00.000Z', '2026-11-28T00:01:00.000Z')).toBe(true);
      expect(await store.claimJob(job, '2026-11-28T00:00:30.000Z', '2026-11-28T00:01:30.000Z')).toBe(false);
      const both = await Promise.all([1, 2].map(() => store.claimJob(job, '2026-11-28T00:01:00.000Z', '2026-11-28T00:02:00.000Z')));
      expect(both.filter(Boolean)).toHaveLength(1);
    });

    it('deleting a group removes its rules and rules elsewhere that name it as remote', async () => {
      const a = group(project);
      const b = group(project);
      await store.insertGroup(a);
      await store.insertGroup(b);
      await store.insertRules([rule(a), rule(b, { remoteGroupId: a.id, portRangeMin: 80, portRangeMax: 80 })], ['d1', 'd2']);
      await store.deleteGroup(a.id);
      expect(await store.listRules({ securityGroupIds: [a.id, b.id] })).toEqual([]);
    });

    it('claims the default-group slot once per project', async () => {
      const g1 = group(project, { isDefault: true });
      const g2 = group(project, { isDefault: true });
      await store.insertGroup(g1);
      await store.insertGroup(g2);
      expect(await store.claimDefaultGroup(project, g1.id)).toBe(true);
      expect(await store.claimDefaultGroup(project, g2.id)).toBe(false);
      expect(await store.findDefaultGroupId(project)).toBe(g1.id);
    });

    it('stores ports with fixed IPs, groups in order and address pairs; refuses a taken IP', async () => {
      const net = { id: uuid(), projectId: project, name: 'n', description: '', adminStateUp: true, portSecurityEnabled: true, shared: false, routerExternal: false, revisionNumber: 1, createdAt: AT, updatedAt: AT };
      await store.insertNetwork(net);
      const subnet = { id: uuid(), projectId: project, networkId: net.id, name: '', description: '', ipVersion: 4 as const, cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1', enableDhcp: true, revisionNumber: 1, createdAt: AT, updatedAt: AT };
      await store.insertSubnet(subnet);
      const g1 = group(project);
      const g2 = group(project);
      await store.insertGroup(g1);
      await store.insertGroup(g2);
      const port: Port = {
        id: uuid(), projectId: project, networkId: net.id, name: 'vm1', description: '', macAddress: 'fa:16:3e:00:00:01',
        fixedIps: [{ subnetId: subnet.id, ipAddress: '10.0.0.5' }], deviceId: 'vm1', deviceOwner: 'compute:nova', hostId: 'h1',
        adminStateUp: true, securityGroupIds: [g2.id, g1.id], portSecurityEnabled: true,
        allowedAddressPairs: [{ ipAddress: '10.0.9.0/24', macAddress: 'fa:16:3e:00:00:01' }], revisionNumber: 1, createdAt: AT, updatedAt: AT,
      };
      await store.transaction((s) => s.insertPort(port));
      expect(await store.listPorts({ ids: [port.id] })).toEqual([port]);
      expect((await store.listPorts({ securityGroupIds: [g1.id] })).map((p) => p.id)).toEqual([port.id]);
      const byHost = { filters: [{ key: 'binding:host_id', values: ['h1'] }], sorts: [], limit: null, reverse: false, fields: [] };
      expect((await store.listPortPage(byHost, { projectId: project, admin: false })).items).toEqual([port]);
      const clash = { ...port, id: uuid(), macAddress: 'fa:16:3e:00:00:02' };
      // A port spans several tables: the service always writes it inside a transaction.
      await expect(store.transaction((s) => s.insertPort(clash))).rejects.toMatchObject({ code: 'IpAddressAlreadyAllocated' });
      await expect(store.transaction((s) => s.insertPort({ ...port, id: uuid(), fixedIps: [] }))).rejects.toMatchObject({ code: 'MacAddressInUse' });
      expect(await store.listAllocatedIps(net.id)).toEqual(['10.0.0.5']);
      expect(await store.count('port', project)).toBe(1);
      await store.transaction((s) => s.updatePort({ ...port, securityGroupIds: [g1.id], fixedIps: [] }));
      expect((await store.listPorts({ ids: [port.id] }))[0]?.securityGroupIds).toEqual([g1.id]);
      await store.deletePort(port.id);
      expect(await store.listPorts({ ids: [port.id] })).toEqual([]);
    });

    it('names the distinct projects with ports in a group, and whether a subnet has allocations', async () => {
      const net = { id: uuid(), projectId: project, name: 'n', description: '', adminStateUp: true, portSecurityEnabled: true, shared: true, routerExternal: false, revisionNumber: 1, createdAt: AT, updatedAt: AT };
      await store.insertNetwork(net);
      const subnet = (cidr: string) => ({ id: uuid(), projectId: project, networkId: net.id, name: '', description: '', ipVersion: 4 as const, cidr, gatewayIp: null, enableDhcp: true, revisionNumber: 1, createdAt: AT, updatedAt: AT });
      const used = subnet('10.1.0.0/24');
      const unused = subnet('10.2.0.0/24');
      await store.insertSubnet(used);
      await store.insertSubnet(unused);
      const g = group(project);
      await store.insertGroup(g);
      const owners = [`${project}-c`, `${project}-a`, `${project}-c`, project, `${project}-b`];
      for (const [i, owner] of owners.entries()) {
        const port: Port = {
          id: uuid(), projectId: owner, networkId: net.id, name: '', description: '', macAddress: `fa:16:3e:00:01:0${i}`,
          fixedIps: i === 0 ? [{ subnetId: used.id, ipAddress: '10.1.0.5' }] : [], deviceId: '', deviceOwner: '', hostId: '',
          adminStateUp: true, securityGroupIds: [g.id], portSecurityEnabled: true, allowedAddressPairs: [], revisionNumber: 1, createdAt: AT, updatedAt: AT,
        };
        await store.transaction((s) => s.insertPort(port));
      }
      const projects = (which: { except: string[]; only?: string; limit: number }) => store.projectsWithPortsInGroup(g.id, which);
      expect(await projects({ except: [project], limit: 10 })).toEqual([`${project}-a`, `${project}-b`, `${project}-c`]);
      expect(await projects({ except: [project, `${project}-a`], limit: 1 })).toEqual([`${project}-b`]);
      expect(await projects({ except: [project], only: `${project}-c`, limit: 10 })).toEqual([`${project}-c`]);
      expect(await projects({ except: [project, `${project}-c`], only: `${project}-c`, limit: 10 })).toEqual([]);
      expect(await store.subnetHasAllocations(used.id)).toBe(true);
      expect(await store.subnetHasAllocations(unused.id)).toBe(false);
    });

    it('keeps quota overrides per project', async () => {
      await store.setQuotaOverride(project, 'port', 5);
      await store.setQuotaOverride(project, 'port', 7);
      expect(await store.getQuotaOverrides(project)).toEqual({ port: 7 });
      expect(await store.listQuotaProjects()).toContain(project);
      await store.deleteQuotaOverrides(project);
      expect(await store.getQuotaOverrides(project)).toEqual({});
    });

    it('keeps RBAC policies: refuses a duplicate target, lists by object and target, goes with the group', async () => {
      const g = group(project);
      await store.insertGroup(g);
      const policy = { id: uuid(), projectId: project, objectType: 'security_group', objectId: g.id, action: 'access_as_shared', targetProject: 'b'.repeat(32) } as const;
      await store.insertRbacPolicy(policy);
      await expect(store.insertRbacPolicy({ ...policy, id: uuid() })).rejects.toMatchObject({ code: 'DuplicateRbacPolicy' });
      const wildcard = { ...policy, id: uuid(), targetProject: '*' };
      await store.insertRbacPolicy(wildcard);
      expect(await store.listRbacPolicies({ objectIds: [g.id], targetProjects: ['*'] })).toEqual([wildcard]);
      await expect(store.updateRbacPolicy({ ...wildcard, targetProject: policy.targetProject })).rejects.toBeInstanceOf(ConflictError);
      await store.deleteRbacPolicy(policy.id);
      expect(await store.listRbacPolicies({ objectIds: [g.id] })).toEqual([wildcard]);
      await store.deleteGroup(g.id);
      expect(await store.listRbacPolicies({ ids: [wildcard.id] })).toEqual([]);
    });

    it('keeps address groups: addresses by row, the fields an update owns, rules naming them, sharing, delete', async () => {
      const ag: AddressGroup = {
        id: uuid(), projectId: project, name: 'ag', description: 'd', addresses: ['10.0.0.0/24', '2001:db8::/64'],
        revisionNumber: 1, createdAt: AT, updatedAt: AT,
      };
      await store.insertAddressGroup(ag);
      expect(await store.listAddressGroups({ ids: [ag.id] })).toEqual([ag]);
      await store.addAddresses(ag.id, ['192.0.2.0/24']);
      expect([...(await store.heldAddresses(ag.id, ['192.0.2.0/24', '198.51.100.0/24']))]).toEqual(['192.0.2.0/24']);
      await store.removeAddresses(ag.id, ['10.0.0.0/24']);
      await store.updateAddressGroup({ ...ag, name: 'ag2', addresses: [], revisionNumber: 3, updatedAt: '2026-11-29T00:00:00Z' });
      expect((await store.listAddressGroups({ ids: [ag.id] }))[0]).toEqual({
        ...ag, name: 'ag2', addresses: ['192.0.2.0/24', '2001:db8::/64'], revisionNumber: 3, updatedAt: '2026-11-29T00:00:00Z',
      });
      const g = group(project);
      await store.insertGroup(g);
      expect(await store.isAddressGroupInUse(ag.id)).toBe(false);
      const other = 'c'.repeat(32);
      await store.insertRules([rule(g, { remoteAddressGroupId: ag.id, projectId: other })], [`${g.id}|ag`]);
      expect(await store.isAddressGroupInUse(ag.id)).toBe(true);
      expect(await store.projectsWithRulesUsingAddressGroup(ag.id, { except: [project], limit: 5 })).toEqual([other]);
      expect(await store.projectsWithRulesUsingAddressGroup(ag.id, { except: [other], limit: 5 })).toEqual([]);
      await store.insertRbacPolicy({ id: uuid(), projectId: project, objectType: 'address_group', objectId: ag.id, action: 'access_as_shared', targetProject: '*' });
      const page = await store.listAddressGroupPage({ filters: [{ key: 'name', values: ['ag2'] }], sorts: [], limit: null, reverse: false, fields: [] }, { projectId: other, admin: false });
      expect(page.items.map((x) => x.id)).toEqual([ag.id]);
      await store.deleteGroup(g.id);
      await store.deleteAddressGroup(ag.id);
      expect(await store.listAddressGroups({ ids: [ag.id] })).toEqual([]);
      expect(await store.listRbacPolicies({ objectIds: [ag.id] })).toEqual([]);
    });

    it('numbers changes strictly increasing, lists them in order, and prunes', async () => {
      const base = await store.latestChangeSeq();
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) {
        seqs.push(await store.appendChange({ resource: 'port', action: 'update', id: `id${i}`, projectId: project, object: { i }, at: AT }));
      }
      expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1)).toBe(true);
      expect(seqs[0]).toBeGreaterThan(base);
      const listed = await store.listChanges(seqs[1]!, 2);
      expect(listed.map((c) => c.seq)).toEqual([seqs[2], seqs[3]]);
      expect(listed[0]?.object).toEqual({ i: 2 });
      await store.pruneChanges(seqs[2]!);
      expect(await store.oldestChangeSeq()).toBe(seqs[3]);
    });
    it('bulk-loads objects that read back identically, with one create change each in write order', async () => {
      const bulk = `${project}-bulk`;
      const net = { id: uuid(), projectId: bulk, name: 'n', description: '', adminStateUp: true, portSecurityEnabled: true, shared: false, routerExternal: false, revisionNumber: 1, createdAt: AT, updatedAt: AT };
      const subnet = { id: uuid(), projectId: bulk, networkId: net.id, name: 's', description: '', ipVersion: 4 as const, cidr: '10.1.0.0/16', gatewayIp: '10.1.0.1', enableDhcp: true, revisionNumber: 1, createdAt: AT, updatedAt: AT };
      const groups = [group(bulk, { name: 'a', tags: ['x', 'y'] }), group(bulk, { name: 'b', stateful: false })];
      const [a, b] = groups as [SecurityGroup, SecurityGroup];
      // Enough rules that the load takes several INSERT statements.
      const rules = Array.from({ length: 2500 }, (_, i) => rule(i % 2 ? a : b, { portRangeMin: i + 1, portRangeMax: i + 1, remoteGroupId: i % 7 ? null : a.id }));
      const ports: Port[] = [1, 2, 3].map((n) => ({
        id: uuid(), projectId: bulk, networkId: net.id, name: `vm${n}`, description: '', macAddress: `fa:16:3e:00:01:0${n}`,
        fixedIps: [{ subnetId: subnet.id, ipAddress: `10.1.0.${n + 10}` }], deviceId: `vm${n}`, deviceOwner: 'compute:nova', hostId: 'h1',
        adminStateUp: true, securityGroupIds: n === 1 ? [b.id, a.id] : [a.id], portSecurityEnabled: true,
        allowedAddressPairs: n === 3 ? [{ ipAddress: '10.1.9.0/24', macAddress: 'fa:16:3e:00:01:03' }] : [], revisionNumber: 1, createdAt: AT, updatedAt: AT,
      }));
      const before = await store.latestChangeSeq();
      const last = await store.bulkLoad({
        networks: [net], subnets: [subnet], groups, ports,
        rules: rules.map((r) => ({ rule: r, identity: `${r.securityGroupId}|${r.portRangeMin}|${r.remoteGroupId}` })),
      });
      const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((x, y) => x.id.localeCompare(y.id));
      const idsOf = (xs: readonly { id: string }[]) => xs.map((x) => x.id);
      expect(await store.listNetworks({ ids: [net.id] })).toEqual([net]);
      expect(await store.listSubnets({ ids: [subnet.id] })).toEqual([subnet]);
      expect(byId(await store.listGroups({ ids: idsOf(groups) }))).toEqual(byId(groups));
      expect(byId(await store.listRules({ securityGroupIds: idsOf(groups) }))).toEqual(byId(rules));
      expect(byId(await store.listPorts({ ids: idsOf(ports) }))).toEqual(byId(ports));
      expect(await store.count('security_group_rule', bulk)).toBe(rules.length);
      const objects = [net, subnet, ...groups, ...rules, ...ports];
      expect(last).toBe(before + objects.length);
      expect(await store.latestChangeSeq()).toBe(last);
      const changes = await store.listChanges(before, objects.length + 1);
      expect(changes.map((c) => [c.seq, c.action, c.id])).toEqual(objects.map((o, i) => [before + 1 + i, 'create', o.id]));
      expect(changes.at(-1)?.object).toEqual(ports[2]);
      // A failed batch writes nothing, not even its change records.
      await expect(store.bulkLoad({ groups: [group(bulk)], rules: [{ rule: rule(a), identity: `${a.id}|2|null` }] })).rejects.toThrow();
      expect(await store.latestChangeSeq()).toBe(last);
      expect(await store.count('security_group', bulk)).toBe(2);
    });
  });
}
