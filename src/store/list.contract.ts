// The list contract: filtered, sorted and paged lists with markers on every back-end, against an in-memory model.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizedCidrOf, type SecurityGroup, type SecurityGroupRule } from '../domain/index.js';
import type { FilterValue, ListQuery, ListSort, Page, Reader, TagFilter } from './list-query.js';
import { group, rule } from './store.contract.js';
import type { Store } from './store.js';

type Row = Record<string, unknown> & { id: string };

/** The order the compiler promises: null first, text by lower case then exact code points, numbers as numbers. */
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') {
    const la = a.toLowerCase();
    const lb = b.toLowerCase();
    if (la !== lb) return la < lb ? -1 : 1;
    return a < b ? -1 : 1;
  }
  return (a as number) < (b as number) ? -1 : 1;
}

/** The straightforward evaluation: filter, stable sort over creation order, then page by the marker's position. */
function evaluate(rows: readonly Row[], q: ListQuery): Page<Row> {
  const matching = rows.filter((r) =>
    q.filters.every((f) => f.values.some((v) => (Array.isArray(r[f.key]) ? (r[f.key] as unknown[]).includes(v) : r[f.key] === v))),
  );
  const sorted = [...matching].sort((x, y) => {
    for (const s of q.sorts) {
      const c = compare(x[s.key], y[s.key]);
      if (c !== 0) return s.dir === 'asc' ? c : -c;
    }
    return compare(x['created_at'], y['created_at']) || compare(x.id, y.id);
  });
  if (q.limit === null) return { items: sorted, hasNext: false, hasPrevious: false };
  const at = q.marker === undefined ? -1 : sorted.findIndex((r) => r.id === q.marker);
  if (q.reverse) {
    const end = at < 0 ? sorted.length : at;
    const start = Math.max(0, end - q.limit);
    return { items: sorted.slice(start, end), hasNext: end < sorted.length, hasPrevious: start > 0 };
  }
  const start = at + 1;
  return { items: sorted.slice(start, start + q.limit), hasNext: start + q.limit < sorted.length, hasPrevious: start > 0 };
}

const P = 'proj-list-a';
const Q = 'proj-list-b';
const NAMES = ['alpha', 'Alpha', 'bravo', 'B', 'b', 'charlie9', 'Charlie10', ''];
const PROTOCOLS = [null, 'tcp', 'udp', 'icmp', '6'];
const AT = ['2026-11-28T00:00:00Z', '2026-11-28T00:00:01Z', '2026-11-28T00:00:02Z'];

interface Fixture {
  readonly groups: SecurityGroup[];
  readonly rules: SecurityGroupRule[];
  readonly sharedWithP: Set<string>;
  /** Shared with every project (`*`): so also with an admin's own project. */
  readonly sharedWithAll: Set<string>;
}

async function fill(store: Store): Promise<Fixture> {
  const groups = NAMES.flatMap((name, i) => [
    group(i % 3 === 0 ? Q : P, { name, stateful: i % 2 === 0, tags: i % 2 ? ['red'] : ['red', 'blue'].slice(i % 4 === 0 ? 1 : 0), createdAt: AT[i % 3]!, updatedAt: AT[i % 3]!, revisionNumber: 1 + (i % 2), isDefault: i === 1 }),
  ]);
  for (const g of groups) await store.insertGroup(g);
  const rules: SecurityGroupRule[] = [];
  groups.forEach((g, i) => {
    for (let k = 0; k < 4; k++) {
      const protocol = PROTOCOLS[(i + k) % PROTOCOLS.length]!;
      const ports = protocol === 'tcp' || protocol === 'udp' ? (10 * k + i) % 7 : null;
      rules.push(rule(g, {
        protocol, portRangeMin: ports, portRangeMax: ports, direction: k % 2 ? 'egress' : 'ingress',
        remoteIpPrefix: k === 3 ? `10.${i}.0.${k}/24` : null, createdAt: AT[(i + k) % 3]!, updatedAt: AT[(i + k) % 3]!,
        // An admin may write a rule owned by another project into a group.
        ...(k === 2 && i % 4 === 1 && { projectId: i % 8 === 1 ? 'proj-list-0' : 'proj-list-z' }),
      }));
    }
  });
  await store.insertRules(rules, rules.map((r) => `list|${r.id}`));
  const shared = groups.filter((g) => g.projectId === Q).slice(0, 2);
  for (const [n, g] of shared.entries()) {
    await store.insertRbacPolicy({ id: `00000000-0000-4000-9000-00000000000${n}`, projectId: Q, objectType: 'security_group', objectId: g.id, action: 'access_as_shared', targetProject: n === 0 ? P : '*' });
  }
  return { groups, rules, sharedWithP: new Set(shared.map((g) => g.id)), sharedWithAll: new Set([shared[1]!.id]) };
}

function groupRows(f: Fixture, reader: Reader): Row[] {
  return f.groups
    .filter((g) => reader.admin || g.projectId === reader.projectId || f.sharedWithP.has(g.id))
    .map((g) => ({
      id: g.id, name: g.name, project_id: g.projectId, tenant_id: g.projectId, stateful: g.stateful,
      shared: (reader.projectId === P ? f.sharedWithP : f.sharedWithAll).has(g.id),
      revision_number: g.revisionNumber, created_at: g.createdAt, tags: g.tags,
    }));
}

function ruleRows(f: Fixture, reader: Reader): Row[] {
  const owner = new Map(f.groups.map((g) => [g.id, g]));
  return f.rules
    .filter((r) => reader.admin || r.projectId === P || owner.get(r.securityGroupId)?.projectId === P || f.sharedWithP.has(r.securityGroupId))
    .map((r) => ({
      id: r.id, security_group_id: r.securityGroupId, protocol: r.protocol, port_range_min: r.portRangeMin, direction: r.direction,
      normalized_cidr: normalizedCidrOf(r), project_id: r.projectId, created_at: r.createdAt,
      belongs_to_default_sg: owner.get(r.securityGroupId)!.isDefault,
    }));
}

/** A random query over `values` (attribute → candidate filter values) and `sortable` keys. */
function queries(values: Record<string, readonly FilterValue[]>, sortable: readonly string[]): fc.Arbitrary<ListQuery> {
  const filter = fc.constantFrom(...Object.keys(values)).chain((key) =>
    fc.subarray([...values[key]!], { minLength: 1, maxLength: 2 }).map((v) => ({ key, values: v })),
  );
  const sort = fc.record({ key: fc.constantFrom(...sortable), dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc') });
  return fc.record({
    filters: fc.uniqueArray(filter, { maxLength: 2, selector: (f) => f.key }),
    sorts: fc.uniqueArray(sort, { maxLength: 2, selector: (s) => s.key }),
    limit: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
    reverse: fc.boolean(),
    fields: fc.constant<string[]>([]),
  }).map((q) => ({ ...q, sorts: q.limit !== null && !q.sorts.some((s) => s.key === 'id') ? [...q.sorts, { key: 'id', dir: 'asc' } as ListSort] : q.sorts }));
}

const ids = (p: Page<{ id: string }>) => ({ items: p.items.map((i) => i.id), hasNext: p.hasNext, hasPrevious: p.hasPrevious });

/** Checks a query page by page: first page, forward walk to the end, backward walk to the start, a marker from anywhere. */
async function checkWalk(list: (q: ListQuery) => Promise<Page<{ id: string }>>, rows: readonly Row[], q: ListQuery, pick: number): Promise<void> {
  const model = (m: ListQuery) => ids(evaluate(rows, m));
  expect(ids(await list(q))).toEqual(model(q));
  if (q.limit === null) return;
  const all = evaluate(rows, { ...q, limit: null }).items.map((r) => r.id);
  const forward: string[] = [];
  let page = await list({ ...q, reverse: false });
  forward.push(...page.items.map((i) => i.id));
  while (page.hasNext) {
    page = await list({ ...q, reverse: false, marker: page.items.at(-1)!.id });
    forward.push(...page.items.map((i) => i.id));
  }
  expect(forward).toEqual(all);
  const backward: string[] = [];
  page = await list({ ...q, reverse: true });
  backward.unshift(...page.items.map((i) => i.id));
  while (page.hasPrevious) {
    page = await list({ ...q, reverse: true, marker: page.items[0]!.id });
    backward.unshift(...page.items.map((i) => i.id));
  }
  expect(backward).toEqual(all);
  if (all.length > 0) {
    const marked = { ...q, marker: all[pick % all.length]! };
    expect(ids(await list(marked))).toEqual(model(marked));
  }
}

export function runListContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`list contract: ${name}`, () => {
    let store: Store;
    let f: Fixture;
    const member: Reader = { projectId: P, admin: false };
    const admin: Reader = { projectId: 'proj-list-admin', admin: true };
    beforeAll(async () => {
      store = await makeStore();
      f = await fill(store);
    });
    afterAll(async () => {
      await store.close();
    });

    const groupValues = { name: NAMES, stateful: [true, false], shared: [true, false], project_id: [P, Q], revision_number: [1, 2] };
    const groupSorts = ['id', 'name', 'project_id', 'tenant_id'];
    const ruleValues = { protocol: PROTOCOLS, port_range_min: [null, 0, 3, 5], direction: ['ingress', 'egress'], belongs_to_default_sg: [true, false], project_id: [P, Q, 'proj-list-z'] };
    const ruleSorts = ['id', 'protocol', 'port_range_min', 'direction', 'security_group_id', 'normalized_cidr', 'project_id'];

    it('pages groups by name with a marker, forwards and backwards, with the per-caller shared flag', async () => {
      const q: ListQuery = { filters: [], sorts: [{ key: 'name', dir: 'asc' }, { key: 'id', dir: 'asc' }], limit: 3, reverse: false, fields: ['id'] };
      const first = await store.listGroupPage(q, member);
      const visible = groupRows(f, member);
      expect(first.items.map((l) => l.group.id)).toEqual(evaluate(visible, q).items.map((r) => r.id));
      expect(first).toMatchObject({ hasNext: true, hasPrevious: false });
      const second = await store.listGroupPage({ ...q, marker: first.items[2]!.group.id }, member);
      expect(second.hasPrevious).toBe(true);
      const shared = (await store.listGroupPage({ ...q, limit: null, filters: [{ key: 'shared', values: [true] }] }, member)).items;
      expect(new Set(shared.map((l) => l.group.id))).toEqual(f.sharedWithP);
      expect(shared.every((l) => l.shared)).toBe(true);
    });

    it('filters groups by tags as EXISTS conditions, and leaves tags unread when fields leave them out', async () => {
      const base: ListQuery = { filters: [], sorts: [], limit: null, reverse: false, fields: [] };
      const tagged = (tags: TagFilter) => store.listGroupPage({ ...base, tags }, admin).then((p) => p.items.map((l) => l.group.id).sort());
      const has = (g: SecurityGroup, t: string) => g.tags.includes(t);
      const expectIds = (keep: (g: SecurityGroup) => boolean) => f.groups.filter(keep).map((g) => g.id).sort();
      expect(await tagged({ all: ['red', 'blue'], any: [], notAll: [], notAny: [] })).toEqual(expectIds((g) => has(g, 'red') && has(g, 'blue')));
      expect(await tagged({ all: [], any: ['blue'], notAll: [], notAny: [] })).toEqual(expectIds((g) => has(g, 'blue')));
      expect(await tagged({ all: [], any: [], notAll: ['red', 'blue'], notAny: [] })).toEqual(expectIds((g) => !(has(g, 'red') && has(g, 'blue'))));
      expect(await tagged({ all: [], any: [], notAll: [], notAny: ['blue'] })).toEqual(expectIds((g) => !has(g, 'blue')));
      const bare = await store.listGroupPage({ ...base, fields: ['id'] }, admin);
      expect(bare.items.every((l) => l.group.tags.length === 0)).toBe(true);
    });

    type Lister = (q: ListQuery, reader: Reader) => Promise<Page<{ id: string }>>;
    /** Random queries by a member or an admin, each walked page by page against the model over the same rows. */
    const randomWalks = (arbitrary: fc.Arbitrary<ListQuery>, list: Lister, rows: (reader: Reader) => Row[]) =>
      fc.assert(
        fc.asyncProperty(arbitrary, fc.boolean(), fc.nat(), async (q, asAdmin, pick) => {
          const reader = asAdmin ? admin : member;
          await checkWalk((m) => list(m, reader), rows(reader), q, pick);
        }),
        { numRuns: 60 },
      );

    it('matches an in-memory evaluation for random group queries and marker walks', async () => {
      await randomWalks(queries(groupValues, groupSorts), async (q, reader) => {
        const p = await store.listGroupPage(q, reader);
        return { ...p, items: p.items.map((l) => ({ id: l.group.id })) };
      }, (reader) => groupRows(f, reader));
    });

    it('matches an in-memory evaluation for random rule queries and marker walks (nullable sort keys, other owners)', async () => {
      await randomWalks(queries(ruleValues, ruleSorts), async (q, reader) => {
        const p = await store.listRulePage(q, reader);
        return { ...p, items: p.items.map((l) => ({ id: l.rule.id })) };
      }, (reader) => ruleRows(f, reader));
    });

    it('lists ports, networks, subnets and policies by visibility, filters, order and keyset pages', async () => {
      const all: ListQuery = { filters: [], sorts: [], limit: null, reverse: false, fields: [] };
      const [own, other] = [P, Q].map((projectId, i) => ({
        id: `00000000-0000-4000-a000-00000000000${i}`, projectId, name: `net-${i}`, description: '', adminStateUp: true,
        portSecurityEnabled: true, shared: i === 1, routerExternal: false, revisionNumber: 1, createdAt: AT[0]!, updatedAt: AT[0]!,
      }));
      const hidden = { ...other!, id: '00000000-0000-4000-a000-000000000009', shared: false };
      for (const n of [own!, other!, hidden]) await store.insertNetwork(n);
      const subnets = [own!, other!, hidden].map((n, i) => ({
        id: `00000000-0000-4000-b000-00000000000${i}`, projectId: n.projectId, networkId: n.id, name: '', description: '', ipVersion: 4 as const,
        cidr: `10.${i}.0.0/24`, gatewayIp: null, enableDhcp: true, revisionNumber: 1, createdAt: AT[0]!, updatedAt: AT[0]!,
      }));
      for (const sn of subnets) await store.insertSubnet(sn);
      const mine = f.groups.filter((g) => g.projectId === P);
      const ports = [0, 1, 2, 3, 4].map((i) => ({
        id: `00000000-0000-4000-c000-00000000000${i}`, projectId: i < 4 ? P : Q, networkId: own!.id, name: `port-${i}`, description: '',
        macAddress: `fa:16:3e:00:00:0${i}`, fixedIps: [{ subnetId: subnets[0]!.id, ipAddress: `10.0.0.${10 + i}` }], deviceId: `vm${i % 2}`,
        deviceOwner: '', hostId: 'h', adminStateUp: i !== 2, securityGroupIds: [mine[i % 2]!.id], portSecurityEnabled: true,
        allowedAddressPairs: [], revisionNumber: 1, createdAt: AT[i % 3]!, updatedAt: AT[i % 3]!,
      }));
      for (const port of ports) await store.transaction((s) => s.insertPort(port));
      const portIds = async (q: ListQuery, inGroups?: readonly string[]) => (await store.listPortPage(q, member, inGroups)).items.map((p) => p.id);
      expect(await portIds({ ...all, filters: [{ key: 'device_id', values: ['vm1'] }] })).toEqual([ports[3]!.id, ports[1]!.id]);
      expect(await portIds({ ...all, filters: [{ key: 'security_groups', values: [mine[0]!.id] }] })).toEqual([ports[0]!.id, ports[2]!.id]);
      expect(await portIds(all, [mine[1]!.id])).toEqual([ports[3]!.id, ports[1]!.id]);
      const byStatus = { ...all, sorts: [{ key: 'status', dir: 'desc' as const }, { key: 'id', dir: 'asc' as const }], limit: 2 };
      const first = await store.listPortPage(byStatus, member);
      expect(first.items.map((p) => p.id)).toEqual([ports[2]!.id, ports[0]!.id]);
      const second = await store.listPortPage({ ...byStatus, marker: ports[0]!.id }, member);
      expect(second).toMatchObject({ hasNext: false, hasPrevious: true });
      expect(second.items.map((p) => p.id)).toEqual([ports[1]!.id, ports[3]!.id]);
      const bare = await store.listPortPage({ ...all, fields: ['id', 'status'] }, member);
      expect(bare.items.every((p) => p.fixedIps.length === 0 && p.securityGroupIds.length === 0)).toBe(true);

      const networks = await store.listNetworkPage(all, member);
      expect(networks.items.map((l) => [l.network.id, l.subnetIds])).toEqual([[own!.id, [subnets[0]!.id]], [other!.id, [subnets[1]!.id]]]);
      expect((await store.listSubnetPage(all, member)).items.map((sn) => sn.id)).toEqual([subnets[0]!.id, subnets[1]!.id]);
      expect((await store.listSubnetPage({ ...all, filters: [{ key: 'gateway_ip', values: [null] }] }, admin)).items).toHaveLength(3);
      const policies = await store.listRbacPolicyPage({ ...all, sorts: [{ key: 'target_tenant', dir: 'asc' }] }, { projectId: Q, admin: false });
      expect(policies.items.map((p) => p.targetProject)).toEqual(['*', P]);
      expect((await store.listRbacPolicyPage(all, member)).items).toEqual([]);
    });

    it('lists address groups by visibility (own, shared through RBAC), filters, order and keyset pages; addresses only when asked', async () => {
      const all: ListQuery = { filters: [], sorts: [], limit: null, reverse: false, fields: [] };
      const made = ['b', 'a', 'c', 'd'].map((name, i) => ({
        id: `00000000-0000-4000-d000-00000000000${i}`, projectId: i < 3 ? P : Q, name, description: i === 0 ? 'x' : '',
        addresses: [`10.${i}.0.0/16`], revisionNumber: 1, createdAt: AT[i % 3]!, updatedAt: AT[i % 3]!,
      }));
      for (const g of made) await store.insertAddressGroup(g);
      const names = async (q: ListQuery, reader: Reader = member) => (await store.listAddressGroupPage(q, reader)).items.map((g) => g.name);
      const byName = { ...all, sorts: [{ key: 'name', dir: 'asc' as const }] };
      expect(await names(byName)).toEqual(['a', 'b', 'c']);
      expect(await names({ ...all, filters: [{ key: 'description', values: ['x'] }] })).toEqual(['b']);
      const first = await store.listAddressGroupPage({ ...byName, limit: 2 }, member);
      expect(first).toMatchObject({ hasNext: true, hasPrevious: false });
      expect(await names({ ...byName, limit: 2, marker: first.items[1]!.id })).toEqual(['c']);
      await store.insertRbacPolicy({ id: '00000000-0000-4000-d000-0000000000ff', projectId: Q, objectType: 'address_group', objectId: made[3]!.id, action: 'access_as_shared', targetProject: P });
      expect(await names(byName)).toEqual(['a', 'b', 'c', 'd']);
      expect(await names(byName, { projectId: 'proj-list-z', admin: false })).toEqual([]);
      const bare = await store.listAddressGroupPage({ ...byName, fields: ['name'] }, member);
      expect(bare.items.every((g) => g.addresses.length === 0)).toBe(true);
      expect((await store.listAddressGroupPage(byName, member)).items[0]!.addresses).toEqual(['10.1.0.0/16']);
    });

    it('keeps belongs_to_default_sg and normalized_cidr as the wire computes them', async () => {
      const page = await store.listRulePage({ filters: [], sorts: [], limit: null, reverse: false, fields: [] }, admin);
      const defaults = new Set(f.groups.filter((g) => g.isDefault).map((g) => g.id));
      for (const l of page.items) expect(l.belongsToDefaultGroup).toBe(defaults.has(l.rule.securityGroupId));
      const cidr = f.rules.find((r) => r.remoteIpPrefix !== null)!;
      const found = await store.listRulePage({ filters: [{ key: 'normalized_cidr', values: [normalizedCidrOf(cidr)] }], sorts: [], limit: null, reverse: false, fields: [] }, admin);
      expect(found.items.map((l) => l.rule.id)).toContain(cidr.id);
    });
  });
}
