// Host feeds against the projection computed from the whole region: random region histories across hosts (issue 13).
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applyHostChange, DomainError, emptyProjection, projectRegion, type HostProjection } from '../domain/index.js';
import pg from 'pg';
import { hasCapability } from '../../test/support/capability.js';
import { createPostgresStore, createSqliteStore, type Store } from '../store/index.js';
import { createServices, makeRequestContext, type Services } from './index.js';

const HOSTS = ['h1', 'h2', 'h3'] as const;
/** Index 3 leaves the port unbound: a member of every host naming its groups, local to none. */
const BINDINGS = [...HOSTS, ''] as const;
const admin = makeRequestContext('p1', ['admin']);
const OTHER = '2'.repeat(32);
const other = makeRequestContext(OTHER, ['member']);

type Op =
  | { k: 'port'; host: number; groups: number[]; shared: boolean }
  | { k: 'move'; port: number; host: number }
  | { k: 'delport'; port: number }
  | { k: 'groups'; port: number; groups: number[] }
  | { k: 'security'; port: number; on: boolean }
  | { k: 'pairs'; port: number; pair: number }
  | { k: 'rule'; group: number; remote: number | null; port: number }
  | { k: 'delrule'; rule: number }
  | { k: 'group'; stateful: boolean }
  | { k: 'delgroup'; group: number }
  | { k: 'share'; group: number }
  | { k: 'unshare'; policy: number }
  | { k: 'ag'; addresses: number[] }
  | { k: 'agadd'; ag: number; addresses: number[] }
  | { k: 'agremove'; ag: number; addresses: number[] }
  | { k: 'agrename'; ag: number }
  | { k: 'agdelete'; ag: number }
  | { k: 'agrule'; group: number; ag: number; port: number }
  | { k: 'delagrule'; rule: number }
  | { k: 'ruleset'; group: number; remote: number; ag: number; pick: number[] };

const n = fc.nat({ max: 30 });
const groupsArb = fc.uniqueArray(fc.nat({ max: 4 }), { minLength: 1, maxLength: 2 });
/** Indexes into ADDRESSES: few, so that adds and removes often meet addresses held. */
const addressesArb = fc.uniqueArray(fc.nat({ max: 5 }), { minLength: 1, maxLength: 3 });
const ADDRESSES = ['10.20.0.0/24', '10.20.1.0/24', '10.20.2.7/32', '192.0.2.0/28', 'fd00:20::/64', 'fd00:21::1/128'];
// Weighted towards what makes members: ports on several hosts, and rules naming remote groups.
const OP: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('port' as const), host: fc.nat({ max: 3 }), groups: groupsArb, shared: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('move' as const), port: n, host: fc.nat({ max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delport' as const), port: n }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('groups' as const), port: n, groups: groupsArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('security' as const), port: n, on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('pairs' as const), port: n, pair: fc.nat({ max: 3 }) }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('rule' as const), group: n, remote: fc.option(n, { freq: 4 }), port: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('delrule' as const), rule: n }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('group' as const), stateful: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delgroup' as const), group: n }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('share' as const), group: n }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('unshare' as const), policy: n }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('ag' as const), addresses: fc.uniqueArray(fc.nat({ max: 5 }), { maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('agadd' as const), ag: n, addresses: addressesArb }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('agremove' as const), ag: n, addresses: addressesArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('agrename' as const), ag: n }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('agdelete' as const), ag: n }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('agrule' as const), group: n, ag: n, port: fc.integer({ min: 1, max: 3 }) }) },
  // The last rule naming an address group going is what makes it leave a host: aimed at, not left to chance.
  { weight: 2, arbitrary: fc.record({ k: fc.constant('delagrule' as const), rule: n }) },
  // A rule set replaces a group's rules in one transaction: deletes and creates, remotes of both kinds.
  { weight: 2, arbitrary: fc.record({ k: fc.constant('ruleset' as const), group: n, remote: n, ag: n, pick: fc.uniqueArray(fc.nat({ max: 2 }), { maxLength: 3 }) }) },
);

interface World {
  readonly store: Store;
  readonly services: Services;
  readonly networkId: string;
  readonly groups: string[];
  readonly ports: string[];
  readonly rules: string[];
  readonly policies: string[];
  readonly addressGroups: string[];
  /** The rules naming an address group (also in `rules`). */
  readonly agRules: string[];
}

const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);

async function makeWorld(open: () => Promise<Store>): Promise<World> {
  const store = await open();
  const services = createServices({ store });
  const net = await services.networks.createNetwork(admin, { name: 'n', shared: true });
  await services.networks.createSubnet(admin, { networkId: net.id, cidr: '10.0.0.0/16' });
  await services.networks.createSubnet(other, { networkId: net.id, cidr: '10.1.0.0/16' }).catch(() => undefined);
  const groups = [];
  for (let i = 0; i < 3; i++) groups.push((await services.securityGroups.create(admin, [{ name: `g${i}` }]))[0]!.group.id);
  const addressGroups = [(await services.addressGroups.create(admin, [{ name: 'a0', addresses: [ADDRESSES[0]] }]))[0]!.id];
  return { store, services, networkId: net.id, groups, ports: [], rules: [], policies: [], addressGroups, agRules: [] };
}

/** One region change through the services, as an API caller would make it; refusals (in use, …) change nothing. */
async function run(w: World, op: Op): Promise<void> {
  const s = w.services;
  const groupsOf = (is: number[]) => [...new Set(is.flatMap((i) => pick(w.groups, i) ?? []))];
  const port = 'port' in op ? pick(w.ports, op.port) : undefined;
  const ag = 'ag' in op ? pick(w.addressGroups, op.ag) : undefined;
  const addresses = 'addresses' in op ? { addresses: op.addresses.map((i) => ADDRESSES[i]!) } : { addresses: [] };
  try {
    switch (op.k) {
      case 'port': {
        // Binding is an admin's: another project's port (using a group shared with it) is bound afterwards.
        const p = op.shared ? await s.ports.create(other, { networkId: w.networkId, securityGroups: groupsOf(op.groups) })
          : await s.ports.create(admin, { networkId: w.networkId, hostId: BINDINGS[op.host], securityGroups: groupsOf(op.groups) });
        w.ports.push(p.id);
        if (op.shared) await s.ports.update(admin, p.id, { hostId: BINDINGS[op.host] });
        break;
      }
      case 'move': if (port) await s.ports.update(admin, port, { hostId: BINDINGS[op.host] }); break;
      case 'delport': if (port) { await s.ports.delete(admin, port); w.ports.splice(w.ports.indexOf(port), 1); } break;
      case 'groups': if (port) await s.ports.update(admin, port, { securityGroups: groupsOf(op.groups) }); break;
      case 'security':
        if (port) await s.ports.update(admin, port, op.on ? { portSecurityEnabled: true } : { securityGroups: [], allowedAddressPairs: [], portSecurityEnabled: false });
        break;
      case 'pairs': if (port) await s.ports.update(admin, port, { allowedAddressPairs: op.pair === 0 ? [] : [{ ip_address: `10.9.0.${op.pair}` }] }); break;
      case 'rule': {
        const group = pick(w.groups, op.group);
        if (!group) break;
        const remote = op.remote === null ? {} : { remoteGroupId: pick(w.groups, op.remote) };
        const [r] = await s.rules.create(admin, [{ securityGroupId: group, direction: 'ingress', protocol: 'tcp', portRangeMin: op.port, portRangeMax: op.port, ...remote }]);
        w.rules.push(r!.rule.id);
        break;
      }
      case 'delrule': {
        const rule = pick(w.rules, op.rule);
        if (rule) { w.rules.splice(w.rules.indexOf(rule), 1); await s.rules.delete(admin, rule); }
        break;
      }
      case 'delagrule': {
        const rule = pick(w.agRules, op.rule);
        if (rule) { w.agRules.splice(w.agRules.indexOf(rule), 1); w.rules.splice(w.rules.indexOf(rule), 1); await s.rules.delete(admin, rule); }
        break;
      }
      case 'group': w.groups.push((await s.securityGroups.create(admin, [{ name: 'x', stateful: op.stateful }]))[0]!.group.id); break;
      case 'delgroup': {
        const group = pick(w.groups, op.group);
        if (group) { await s.securityGroups.delete(admin, group); w.groups.splice(w.groups.indexOf(group), 1); }
        break;
      }
      case 'share': {
        const group = pick(w.groups, op.group);
        if (group) w.policies.push((await s.rbacPolicies.create(admin, [{ objectType: 'security_group', objectId: group, action: 'access_as_shared', targetTenant: OTHER }]))[0]!.id);
        break;
      }
      case 'unshare': {
        const policy = pick(w.policies, op.policy);
        if (policy) { await s.rbacPolicies.delete(admin, policy); w.policies.splice(w.policies.indexOf(policy), 1); }
        break;
      }
      case 'ag': w.addressGroups.push((await s.addressGroups.create(admin, [{ name: 'a', ...addresses }]))[0]!.id); break;
      case 'agadd': if (ag) await s.addressGroups.addAddresses(admin, ag, addresses); break;
      case 'agremove': if (ag) await s.addressGroups.removeAddresses(admin, ag, addresses); break;
      case 'agrename': if (ag) await s.addressGroups.update(admin, ag, { name: `a${w.rules.length}` }); break;
      case 'agdelete': if (ag) { await s.addressGroups.delete(admin, ag); w.addressGroups.splice(w.addressGroups.indexOf(ag), 1); } break;
      case 'ruleset': {
        const group = pick(w.groups, op.group);
        if (!group) break;
        const menu = [
          { direction: 'ingress', protocol: 'tcp', portRangeMin: 1, portRangeMax: 1, remoteGroupId: pick(w.groups, op.remote) },
          { direction: 'egress', protocol: 'udp', portRangeMin: 2, portRangeMax: 2, remoteAddressGroupId: ag },
          { direction: 'ingress', protocol: 'tcp', portRangeMin: 3, portRangeMax: 3 },
        ];
        await s.ruleSets.apply(admin, [{ id: group, rules: op.pick.map((i) => menu[i]!) }], false);
        break;
      }
      case 'agrule': {
        const group = pick(w.groups, op.group);
        if (!group || !ag) break;
        const [r] = await s.rules.create(admin, [{ securityGroupId: group, direction: 'egress', protocol: 'udp', portRangeMin: op.port, portRangeMax: op.port, remoteAddressGroupId: ag }]);
        w.rules.push(r!.rule.id);
        w.agRules.push(r!.rule.id);
        break;
      }
    }
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
}

/** Comparable form: objects as the JSON wire of the log carries them, keyed by id. */
function plain(p: HostProjection): unknown {
  const sorted = (m: ReadonlyMap<string, unknown>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
  return JSON.parse(JSON.stringify({
    ports: sorted(p.ports), groups: sorted(p.groups), rules: sorted(p.rules), members: sorted(p.members), addressGroups: sorted(p.addressGroups),
  }));
}

async function reference(store: Store, host: string): Promise<unknown> {
  return plain(projectRegion(host, await store.listPorts({}), await store.listGroups({}), await store.listRules({}), await store.listAddressGroups({})));
}

let world: World | undefined;
afterEach(async () => {
  await world?.services.stop();
  await world?.store.close();
  world = undefined;
});

/** Runs random region histories on stores from `open`, following every host's feed after each change. */
async function followsTheRegion(open: () => Promise<Store>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(OP, { minLength: 10, maxLength: 40 }), async (ops) => {
      const w = (world = await makeWorld(open));
      const followed = new Map(HOSTS.map((h) => [h, { p: emptyProjection(), seq: 0 }]));
      for (const op of ops) {
        await run(w, op);
        for (const h of HOSTS) {
          const f = followed.get(h)!;
          // Small pages: a page must never end inside the records of one change.
          for (let more = true; more;) {
            const page = await w.services.hostFeeds.list(h, f.seq, 3, 0);
            for (const c of page.changes) applyHostChange(f.p, c);
            f.seq = page.seq;
            more = page.seq < page.latestSeq;
          }
          expect(plain(f.p), `${h} after ${JSON.stringify(op)}`).toEqual(await reference(w.store, h));
        }
      }
      for (const h of HOSTS) expect(plain((await w.services.hostFeeds.state(h)).projection)).toEqual(await reference(w.store, h));
      await w.services.stop();
      await w.store.close();
      world = undefined;
    }),
    { numRuns },
  );
}

const url = process.env['PALISADE_TEST_POSTGRES_URL'];

describe('host feeds', () => {
  it('following a host feed holds exactly the projection of the region, after every change, on every host', async () => {
    await followsTheRegion(() => createSqliteStore(':memory:'), 40);
  }, 120_000);

  describe('on PostgreSQL', () => {
    if (!hasCapability('PostgreSQL', url ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
    const schemas: string[] = [];
    afterAll(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      for (const s of schemas) await client.query(`drop schema if exists ${s} cascade`);
      await client.end();
    });
    it('the same, through its SQL', async () => {
      await followsTheRegion(() => {
        schemas.push(`palisade_hostfeed_${process.pid}_${schemas.length}`);
        return createPostgresStore(url!, { schema: schemas.at(-1)! });
      }, 8);
    }, 300_000);
  });
});
