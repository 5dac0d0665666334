// Why a port allows or denies a flow: every matching rule, or the nearest rules and the fields that missed.
import type { CompiledRule } from './compiled-rule.js';
import { reasonFor } from './decide.js';
import type { EngineState, PortEntry } from './engine-state.js';
import type { Flow, ParsedFlow } from './flow.js';
import { remoteMembersOf, type RemoteMembers } from './member-evidence.js';
import { checkFields, type FieldCheck, type FieldContext } from './rule-fields.js';
import { maskWord } from './address-words.js';
import { MODE_FILTERED, memberOf } from './port-profile.js';
import { REASON_NO_MATCH, isAllowing, reasonName, type Verdict, type VerdictReason } from './verdict.js';

/** One rule of the port, with each field checked against the flow. */
export interface RuleReport {
  readonly ruleId: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly mismatches: number;
  readonly fields: readonly FieldCheck[];
}

export interface Explanation {
  readonly portId: string;
  readonly verdict: Verdict;
  readonly reason: VerdictReason;
  /** False when a group of the port is stateless: replies then need rules of their own. */
  readonly stateful: boolean;
  /** Every rule of the port's groups that matches the flow (also when a guard decided first). */
  readonly matches: readonly RuleReport[];
  /** For a deny by no matching rule: the rules with the fewest mismatching fields (at most NEAREST_LIMIT). */
  readonly nearest: readonly RuleReport[];
  readonly summary: string;
}

export const NEAREST_LIMIT = 5;

const SUMMARIES: Record<VerdictReason, string> = {
  rule: 'allowed by the rules listed in matches',
  'always-allowed': 'allowed whatever the rules: DHCP or IPv6 neighbour discovery traffic Neutron always permits',
  'always-denied': 'denied whatever the rules: the instance may not act as a DHCP server or IPv6 router',
  spoofed: "denied: the source is neither one of the port's fixed IPs nor inside an allowed address pair",
  'port-security-disabled': 'allowed: port security is disabled, nothing is filtered',
  'trusted-port': 'allowed: network:* ports are not filtered',
  'no-matching-rule': 'denied: no rule of the port matches; see nearest for the closest rules',
};

export function groupNameOf(state: EngineState, groupId: string): string {
  return state.groups.get(groupId)?.name ?? '(unknown group)';
}

export function isStateful(state: EngineState, entry: PortEntry): boolean {
  return entry.profile.groupIds.every((g) => state.groups.get(g)?.stateful ?? true);
}

function report(state: EngineState, r: CompiledRule, flow: Flow, f: ParsedFlow, ctx: FieldContext): RuleReport {
  const fields = checkFields(r, flow, f, ctx);
  const groupId = r.rule.securityGroupId;
  return { ruleId: r.rule.id, groupId, groupName: groupNameOf(state, groupId), mismatches: fields.filter((c) => !c.matched).length, fields };
}

function nearestOf(reports: readonly RuleReport[]): RuleReport[] {
  const fewest = Math.min(...reports.map((r) => r.mismatches));
  return reports
    .filter((r) => r.mismatches === fewest)
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))
    .slice(0, NEAREST_LIMIT);
}

/** Evidence per remote group, found once per explanation however many rules name the group. */
function remoteMembersMemo(state: EngineState, f: ParsedFlow): FieldContext['remoteMembers'] {
  const memo = new Map<string, RemoteMembers>();
  return (groupId, ruleProjectId) => {
    let found = memo.get(groupId);
    if (found === undefined) {
      const group = { id: groupId, name: groupNameOf(state, groupId), projectId: state.groups.get(groupId)?.projectId ?? ruleProjectId };
      memo.set(groupId, (found = remoteMembersOf(state, group, f.version, f.words, 0)));
    }
    return found;
  };
}

/** An address group as explain names it, and which of its CIDRs hold an address (in the group's order). */
function addressGroupOf(state: EngineState): FieldContext['addressGroup'] {
  return (id) => {
    const group = state.addressGroups.get(id);
    const holding = (version: 4 | 6, w: Int32Array): string[] => (group?.addresses ?? []).filter((cidr) => {
      const m = memberOf(cidr);
      if (m === null || m.version !== version) return false;
      for (let k = 0; k < 4; k++) if (maskWord(w[k]! ^ m.words[k]!, k, m.prefixLength) !== 0) return false;
      return true;
    });
    return { name: group?.name ?? '', holding };
  };
}

export function explainFlow(state: EngineState, entry: PortEntry, flow: Flow, f: ParsedFlow): Explanation {
  const reason = reasonFor(state, entry, f);
  const ctx: FieldContext = {
    membership: state.membership, groupName: (g) => groupNameOf(state, g), remoteMembers: remoteMembersMemo(state, f), addressGroup: addressGroupOf(state),
  };
  const reports = entry.profile.mode === MODE_FILTERED ? state.rulesOf(entry.profile).map((r) => report(state, r, flow, f, ctx)) : [];
  const matches = reports.filter((r) => r.mismatches === 0);
  const nearest = reason === REASON_NO_MATCH && reports.length > 0 ? nearestOf(reports) : [];
  let summary = SUMMARIES[reasonName(reason)];
  if (reason === REASON_NO_MATCH && entry.profile.groupIds.length === 0) summary = 'denied: the port has no security groups, so only always-allowed traffic passes';
  return {
    portId: entry.profile.port.id,
    verdict: isAllowing(reason) ? 'allow' : 'deny',
    reason: reasonName(reason),
    stateful: isStateful(state, entry),
    matches,
    nearest,
    summary,
  };
}
