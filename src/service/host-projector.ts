// Fans one committed change out to the host feeds it concerns, in its transaction (docs/change-feed.md).
import {
  BugError, isSameMember, memberOf, remoteGroupsNamed, remotesNamed,
  type AddressGroup, type Change, type HostAction, type HostChange, type HostMember, type HostResource, type Port, type SecurityGroupRule,
} from '../domain/index.js';
import type { HostChangeRow, StoreSession } from '../store/index.js';

/** The records one change causes, per host in order. */
class HostRecords {
  readonly rows: HostChangeRow[] = [];
  readonly #next = new Map<string, number>();
  constructor(readonly seq: number) {}

  add(host: string, resource: HostResource, action: HostAction, id: string, object: HostChange['object']): void {
    const pos = this.#next.get(host) ?? 0;
    this.#next.set(host, pos + 1);
    this.rows.push({ host, pos, seq: this.seq, resource, action, id, object });
  }

  /** A member's view on a host went from `before` to `after` (null: not a member there). */
  member(host: string, id: string, before: HostMember | null, after: HostMember | null): void {
    if (after === null) {
      if (before !== null) this.add(host, 'member', 'delete', id, null);
    } else if (before === null) this.add(host, 'member', 'create', id, after);
    else if (!isSameMember(before, after)) this.add(host, 'member', 'update', id, after);
  }
}

const minus = (a: ReadonlySet<string>, b: readonly string[]) => new Set([...a].filter((x) => !b.includes(x)));
const plus = (a: ReadonlySet<string>, b: readonly string[]) => new Set([...a, ...b]);

/**
 * The remote groups `crossed` entered (`by` 1) or left (-1) the host's projection: every member of them bound
 * elsewhere sees its view there change. `except` is a port whose own view the caller settles.
 */
async function remotesCrossed(s: StoreSession, out: HostRecords, host: string, crossed: readonly string[], by: 1 | -1, except: string | null): Promise<void> {
  if (crossed.length === 0) return;
  const members = (await s.listPorts({ securityGroupIds: crossed })).filter((m) => m.hostId !== host && m.id !== except);
  const candidates = [...new Set(members.flatMap((m) => m.securityGroupIds))];
  const now = new Set((await s.hostRemotes('group', candidates, host)).map((r) => r.remoteId));
  const before = by > 0 ? minus(now, crossed) : plus(now, crossed);
  for (const m of members) out.member(host, m.id, memberOf(m, before), memberOf(m, now));
}

/** Remote groups named `by` more or fewer times by the host's rules; the members of those that cross zero follow. */
async function remoteGroupsCounted(s: StoreSession, out: HostRecords, host: string, remotes: readonly string[], by: 1 | -1, except: string | null): Promise<void> {
  if (remotes.length === 0) return;
  await remotesCrossed(s, out, host, await s.countHostRemotes(host, 'group', remotes, by), by, except);
}

/**
 * Address groups named `by` more or fewer times by the host's rules: those crossing zero enter complete or
 * leave. Callers put entries before the rules naming them and leaves after, so an agent never holds a rule
 * whose addresses it lacks.
 */
async function addressGroupsNamed(s: StoreSession, out: HostRecords, host: string, ids: readonly string[], by: 1 | -1): Promise<void> {
  if (ids.length === 0) return;
  const crossed = await s.countHostRemotes(host, 'address_group', ids, by);
  if (crossed.length === 0) return;
  if (by > 0) for (const a of await s.listAddressGroups({ ids: crossed })) out.add(host, 'address_group', 'create', a.id, a);
  else for (const a of crossed) out.add(host, 'address_group', 'delete', a, null);
}

/** Ports of the host started (1) or stopped (-1) using these groups: groups crossing zero enter complete or leave. */
async function groupsUsed(s: StoreSession, out: HostRecords, host: string, groupIds: readonly string[], by: 1 | -1, except: string): Promise<void> {
  if (groupIds.length === 0) return;
  const crossed = await s.countHostGroups(host, groupIds, by);
  if (crossed.length === 0) return;
  const rules = await s.listRulesOfGroups(crossed);
  const addressGroups = remotesNamed('address_group', rules);
  if (by > 0) {
    for (const g of await s.listGroups({ ids: crossed })) out.add(host, 'security_group', 'create', g.id, g);
    await addressGroupsNamed(s, out, host, addressGroups, by);
    for (const r of rules) out.add(host, 'security_group_rule', 'create', r.id, r);
  } else {
    for (const r of rules) out.add(host, 'security_group_rule', 'delete', r.id, null);
    await addressGroupsNamed(s, out, host, addressGroups, by);
    for (const g of crossed) out.add(host, 'security_group', 'delete', g, null);
  }
  await remoteGroupsCounted(s, out, host, remoteGroupsNamed(rules), by, except);
}

async function portChanged(s: StoreSession, out: HostRecords, id: string, old: Port | null, now: Port | null): Promise<void> {
  const oldHost = old?.hostId || null;
  const newHost = now?.hostId || null;
  const oldGroups = old?.securityGroupIds ?? [];
  const newGroups = now?.securityGroupIds ?? [];
  if (newHost !== null && newHost !== oldHost && old) {
    // Arriving where it was a member: the port record carries its membership from now on.
    const named = new Set((await s.hostRemotes('group', oldGroups, newHost)).map((r) => r.remoteId));
    out.member(newHost, id, memberOf(old, named), null);
  }
  if (oldHost !== null && oldHost !== newHost) {
    out.add(oldHost, 'port', 'delete', id, null);
    await groupsUsed(s, out, oldHost, oldGroups, -1, id);
  }
  if (newHost !== null && now) {
    const stays = oldHost === newHost;
    out.add(newHost, 'port', stays ? 'update' : 'create', id, now);
    await groupsUsed(s, out, newHost, stays ? oldGroups.filter((g) => !newGroups.includes(g)) : [], -1, id);
    await groupsUsed(s, out, newHost, stays ? newGroups.filter((g) => !oldGroups.includes(g)) : newGroups, 1, id);
  }
  // As a member of other hosts' remote groups: its view there, before and after.
  const naming = new Map<string, Set<string>>();
  for (const r of await s.hostRemotes('group', [...new Set([...oldGroups, ...newGroups])])) {
    naming.set(r.host, (naming.get(r.host) ?? new Set()).add(r.remoteId));
  }
  if (oldHost !== null && oldHost !== newHost) naming.set(oldHost, naming.get(oldHost) ?? new Set());
  for (const [host, remotes] of naming) {
    if (host === newHost) continue;
    // Elsewhere than its old and new hosts nothing this change did moved the remotes named.
    const before = old && host !== oldHost ? memberOf(old, remotes) : null;
    out.member(host, id, before, now ? memberOf(now, remotes) : null);
  }
}

async function ruleChanged(s: StoreSession, out: HostRecords, c: Change, before: SecurityGroupRule | null): Promise<void> {
  const rule = (c.object as SecurityGroupRule | null) ?? before;
  if (!rule) throw new BugError(`rule ${c.id} deleted without its last state`);
  const by = c.action === 'create' ? 1 : c.action === 'delete' ? -1 : null;
  const addressGroups = remotesNamed('address_group', [rule]);
  for (const { host } of await s.hostsOfGroups([rule.securityGroupId])) {
    if (by === 1) await addressGroupsNamed(s, out, host, addressGroups, by);
    out.add(host, 'security_group_rule', c.action, c.id, c.object as SecurityGroupRule | null);
    if (by === -1) await addressGroupsNamed(s, out, host, addressGroups, by);
    if (by !== null) await remoteGroupsCounted(s, out, host, remoteGroupsNamed([rule]), by, null);
  }
}

/**
 * Appends the host-feed records `c` causes. `before` is the object as it was (a port or rule updated or
 * deleted): the store holds only the state after the write, and who held the object follows from it.
 */
export async function projectChange(s: StoreSession, c: Change, before: unknown): Promise<void> {
  const out = new HostRecords(c.seq);
  if (c.resource === 'port') {
    if (c.action !== 'create' && !before) throw new BugError(`port ${c.id} changed without its last state`);
    await portChanged(s, out, c.id, (before as Port | null) ?? null, c.object as Port | null);
  } else if (c.resource === 'security_group_rule') {
    await ruleChanged(s, out, c, (before as SecurityGroupRule | null) ?? null);
  } else if (c.resource === 'security_group' && c.action !== 'create') {
    for (const { host } of await s.hostsOfGroups([c.id])) out.add(host, 'security_group', c.action, c.id, c.object as HostChange['object']);
  } else if (c.resource === 'address_group' && c.action !== 'create') {
    // Exactly the hosts whose rules name it (an indexed lookup); a new one is named by no rule yet.
    for (const { host } of await s.hostRemotes('address_group', [c.id])) out.add(host, 'address_group', c.action, c.id, c.object as AddressGroup | null);
  }
  if (out.rows.length > 0) await s.appendHostChanges(out.rows);
}
