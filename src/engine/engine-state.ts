// The engine's model and its incremental upkeep: groups, rules, ports, shared compiled policies, membership.
import { NotFoundError, type AddressGroup, type Port, type SecurityGroup, type SecurityGroupRule } from '../domain/index.js';
import { compileRule, type CompiledRule } from './compiled-rule.js';
import { addressGroupKey } from './address-group-key.js';
import { GroupIndex } from './group-index.js';
import { MembershipIndex, type MemberAddress } from './membership-index.js';
import { compilePolicy, type CompiledPolicy } from './policy-index.js';
import { memberOf, profileOf, type PortProfile } from './port-profile.js';

/** The compiled policy of one group set, shared by every port with exactly those groups. */
export interface PolicySlot {
  readonly groupIds: readonly string[];
  policy: CompiledPolicy | null;
  ports: number;
}

export interface PortEntry {
  readonly profile: PortProfile;
  readonly slot: PolicySlot;
}

export class EngineState {
  readonly groups = new Map<string, SecurityGroup>();
  readonly addressGroups = new Map<string, AddressGroup>();
  readonly rules = new Map<string, CompiledRule>();
  readonly rulesByGroup = new Map<string, Map<string, CompiledRule>>();
  readonly ports = new Map<string, PortEntry>();
  readonly slots = new Map<string, PolicySlot>();
  readonly slotsByGroup = new Map<string, Set<PolicySlot>>();
  readonly groupIndex = new GroupIndex();
  readonly membership = new MembershipIndex();
  /** Group id → ids of the ports naming it: explain's membership evidence walks one group, not the region. */
  readonly portsByGroup = new Map<string, Set<string>>();
  /** How many policies were compiled: lets tests see that a change recompiled only what it touched. */
  compilations = 0;
  /** Group id → a number that changes whenever the group's rules change: lint keeps per-group results by it. */
  readonly ruleEpochs = new Map<string, number>();
  #epoch = 0;

  entryOf(portId: string): PortEntry {
    const entry = this.ports.get(portId);
    if (entry === undefined) throw new NotFoundError('PortNotFound', `Port ${portId} could not be found.`);
    return entry;
  }

  policyOf(slot: PolicySlot): CompiledPolicy {
    if (slot.policy === null) {
      this.compilations++;
      slot.policy = compilePolicy(slot.groupIds.flatMap((g) => [...(this.rulesByGroup.get(g)?.values() ?? [])]));
    }
    return slot.policy;
  }

  /** The rules of a port's groups, in the port's group order. */
  rulesOf(profile: PortProfile): CompiledRule[] {
    return profile.groupOrder.flatMap((g) => [...(this.rulesByGroup.get(g)?.values() ?? [])]);
  }

  #invalidateGroup(groupId: string): void {
    this.ruleEpochs.set(groupId, ++this.#epoch);
    for (const slot of this.slotsByGroup.get(groupId) ?? []) slot.policy = null;
  }

  upsertGroup(group: SecurityGroup): void {
    this.groups.set(group.id, group);
  }

  /** Deletes the group and its rules (Neutron cascades); ports that still name it get no rules from it. */
  deleteGroup(groupId: string): void {
    for (const ruleId of [...(this.rulesByGroup.get(groupId)?.keys() ?? [])]) this.deleteRule(ruleId);
    this.groups.delete(groupId);
  }

  /**
   * An address group is a remote group whose members are its CIDRs: they go into the same membership index
   * (under the group's interned key), so decide, explain, the matrix and the agent's model read one structure.
   * Only the CIDRs that came or went are touched; no policy is recompiled.
   */
  upsertAddressGroup(group: AddressGroup): void {
    const before = this.addressGroups.get(group.id)?.addresses ?? [];
    this.addressGroups.set(group.id, group);
    this.#fileAddresses(group.id, before, group.addresses);
  }

  deleteAddressGroup(groupId: string): void {
    this.#fileAddresses(groupId, this.addressGroups.get(groupId)?.addresses ?? [], []);
    this.addressGroups.delete(groupId);
  }

  #fileAddresses(groupId: string, before: readonly string[], after: readonly string[]): void {
    const key = [this.groupIndex.intern(addressGroupKey(groupId))];
    const gone = before.filter((a) => !after.includes(a));
    const came = after.filter((a) => !before.includes(a));
    this.membership.remove(gone.flatMap((a) => memberOf(a) ?? []), key);
    this.membership.add(came.flatMap((a) => memberOf(a) ?? []), key);
  }

  upsertRule(rule: SecurityGroupRule): void {
    this.deleteRule(rule.id);
    const compiled = compileRule(rule, this.groupIndex);
    this.rules.set(rule.id, compiled);
    let byId = this.rulesByGroup.get(rule.securityGroupId);
    if (byId === undefined) this.rulesByGroup.set(rule.securityGroupId, (byId = new Map()));
    byId.set(rule.id, compiled);
    this.#invalidateGroup(rule.securityGroupId);
  }

  deleteRule(ruleId: string): void {
    const old = this.rules.get(ruleId);
    if (old === undefined) return;
    this.rules.delete(ruleId);
    const groupId = old.rule.securityGroupId;
    const byId = this.rulesByGroup.get(groupId);
    byId?.delete(ruleId);
    if (byId?.size === 0) this.rulesByGroup.delete(groupId);
    this.#invalidateGroup(groupId);
  }

  upsertPort(port: Port): void {
    const old = this.ports.get(port.id);
    const profile = profileOf(port);
    const slot = old !== undefined && old.profile.groupKey === profile.groupKey ? old.slot : this.#attach(profile);
    if (old !== undefined && old.slot !== slot) this.#detach(old.slot, old.profile.groupKey);
    this.#updateMembership(old?.profile ?? null, profile);
    this.#updateGroupPorts(port.id, old?.profile.groupIds ?? [], profile.groupIds);
    this.ports.set(port.id, { profile, slot });
  }

  deletePort(portId: string): void {
    const old = this.ports.get(portId);
    if (old === undefined) return;
    this.#detach(old.slot, old.profile.groupKey);
    this.#updateMembership(old.profile, null);
    this.#updateGroupPorts(portId, old.profile.groupIds, []);
    this.ports.delete(portId);
  }

  #attach(profile: PortProfile): PolicySlot {
    let slot = this.slots.get(profile.groupKey);
    if (slot === undefined) {
      slot = { groupIds: profile.groupIds, policy: null, ports: 0 };
      this.slots.set(profile.groupKey, slot);
      for (const g of profile.groupIds) {
        let set = this.slotsByGroup.get(g);
        if (set === undefined) this.slotsByGroup.set(g, (set = new Set()));
        set.add(slot);
      }
    }
    slot.ports++;
    return slot;
  }

  #detach(slot: PolicySlot, key: string): void {
    if (--slot.ports > 0) return;
    this.slots.delete(key);
    for (const g of slot.groupIds) {
      const set = this.slotsByGroup.get(g);
      set?.delete(slot);
      if (set?.size === 0) this.slotsByGroup.delete(g);
    }
  }

  #updateGroupPorts(portId: string, before: readonly string[], after: readonly string[]): void {
    for (const g of before) {
      if (after.includes(g)) continue;
      const set = this.portsByGroup.get(g);
      set?.delete(portId);
      if (set?.size === 0) this.portsByGroup.delete(g);
    }
    for (const g of after) {
      let set = this.portsByGroup.get(g);
      if (set === undefined) this.portsByGroup.set(g, (set = new Set()));
      set.add(portId);
    }
  }

  /** When only the groups changed, touch only the groups that came or went; else re-file the port's addresses. */
  #updateMembership(before: PortProfile | null, after: PortProfile | null): void {
    const groupsOf = (p: PortProfile | null) => (p === null ? [] : p.groupIds.map((g) => this.groupIndex.intern(g)));
    const oldGroups = groupsOf(before);
    const newGroups = groupsOf(after);
    const oldAddresses = before?.members ?? [];
    const newAddresses = after?.members ?? [];
    if (sameAddresses(oldAddresses, newAddresses)) {
      this.membership.remove(oldAddresses, oldGroups.filter((g) => !newGroups.includes(g)));
      this.membership.add(newAddresses, newGroups.filter((g) => !oldGroups.includes(g)));
    } else {
      this.membership.remove(oldAddresses, oldGroups);
      this.membership.add(newAddresses, newGroups);
    }
  }
}

function sameAddresses(a: readonly MemberAddress[], b: readonly MemberAddress[]): boolean {
  const key = (m: MemberAddress) => `${m.version}:${m.words.join(',')}/${m.prefixLength}`;
  return a.length === b.length && a.every((m, i) => key(m) === key(b[i]!));
}
