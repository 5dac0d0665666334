// One rule against one flow, field by field: what the rule says, what the flow has, and whether they match.
import { protocolLabel, protocolMeaning, type SecurityGroupRule } from '../domain/index.js';
import { maskWord } from './address-words.js';
import { PROTOCOL_KEY_KIND, REMOTE_ANY, REMOTE_GROUP, REMOTE_PREFIX, type CompiledRule } from './compiled-rule.js';
import type { Flow, ParsedFlow } from './flow.js';
import type { RemoteMembers } from './member-evidence.js';
import type { MembershipIndex } from './membership-index.js';

export type RuleField = 'direction' | 'etherType' | 'protocol' | 'ports' | 'remote';

export interface FieldCheck {
  readonly field: RuleField;
  readonly matched: boolean;
  /** What the rule says, e.g. `tcp`, `22-80`, `10.0.0.0/24`, `group web (id)`. */
  readonly rule: string;
  /** What the flow carries, e.g. `6`, `22`, `source 10.0.0.5`. */
  readonly flow: string;
  /** On a remote-group field that matched: the member ports that put the flow's remote address in the group. */
  readonly members?: RemoteMembers;
}

function rangeText(rule: SecurityGroupRule): string {
  const meaning = protocolMeaning(rule.protocol);
  const { portRangeMin: min, portRangeMax: max } = rule;
  if (meaning.hasIcmpTypeCode) return min === null ? 'every ICMP type' : `type ${min}, ${max === null ? 'every code' : `code ${max}`}`;
  if (!meaning.hasPorts || (min === null && max === null)) return 'every port';
  return min === max ? `port ${min}` : `ports ${min ?? 0}-${max ?? 65535}`;
}

function flowKeyText(flow: Flow, f: ParsedFlow): string {
  const kind = PROTOCOL_KEY_KIND[f.protocol];
  if (kind === 1) return `port ${f.port}`;
  if (kind === 2) return `type ${f.icmpType}, code ${flow.icmpCode ?? 0}`;
  return 'no port';
}

/** The flow's key as the rule's protocol reads it, or -1 when the two protocols key flows differently. */
function keyForRule(r: CompiledRule, f: ParsedFlow): number {
  return r.protocol >= 0 && PROTOCOL_KEY_KIND[r.protocol] === PROTOCOL_KEY_KIND[f.protocol] ? f.key : -1;
}

function isInPrefix(r: CompiledRule, f: ParsedFlow): boolean {
  for (let k = 0; k < 4; k++) if (maskWord(f.words[k]! ^ r.words[k]!, k, r.prefixLength) !== 0) return false;
  return true;
}

export interface FieldContext {
  readonly membership: MembershipIndex;
  /** An address group's name and the CIDRs of its that hold an address of the flow's family ('' when unknown). */
  readonly addressGroup: (addressGroupId: string) => { readonly name: string; readonly holding: (version: 4 | 6, w: Int32Array) => string[] };
  readonly groupName: (groupId: string) => string;
  /** The evidence for the flow's remote address being a member of the group (asked only after a match). */
  readonly remoteMembers: (groupId: string, ruleProjectId: string) => RemoteMembers;
}

function remoteCheck(r: CompiledRule, flow: Flow, f: ParsedFlow, ctx: FieldContext): FieldCheck {
  const side = f.slot >= 2 ? 'destination' : 'source';
  const flowText = `${side} ${flow.remoteIp}`;
  const rule = r.rule;
  const sameFamily = (rule.etherType === 'IPv4') === (f.version === 4);
  if (r.remote === REMOTE_ANY) return { field: 'remote', matched: true, rule: `any ${rule.etherType} address`, flow: flowText };
  if (r.remote === REMOTE_PREFIX) return { field: 'remote', matched: sameFamily && isInPrefix(r, f), rule: `prefix ${rule.remoteIpPrefix}`, flow: flowText };
  if (r.remote === REMOTE_GROUP && rule.remoteAddressGroupId !== null) {
    const ag = ctx.addressGroup(rule.remoteAddressGroupId);
    const holding = sameFamily ? ag.holding(f.version, f.words) : [];
    const matched = sameFamily && ctx.membership.isMember(f.version, f.words, 0, r.remoteGroup);
    const where = matched ? ` (in ${holding.join(', ')})` : ' (in none of its addresses)';
    return { field: 'remote', matched, rule: `addresses of address group ${ag.name} (${rule.remoteAddressGroupId})`, flow: `${flowText}${where}` };
  }
  if (r.remote === REMOTE_GROUP) {
    const g = rule.remoteGroupId ?? '';
    const member = sameFamily && ctx.membership.isMember(f.version, f.words, 0, r.remoteGroup);
    const check = { field: 'remote' as const, matched: member, rule: `members of group ${ctx.groupName(g)} (${g})`, flow: `${flowText}${member ? ' (a member)' : ' (not a member)'}` };
    return member ? { ...check, members: ctx.remoteMembers(g, rule.projectId) } : check;
  }
  return { field: 'remote', matched: false, rule: `prefix ${rule.remoteIpPrefix} (another IP version: matches nothing)`, flow: flowText };
}

/** Every field of the rule checked against the flow, in a fixed order. */
export function checkFields(r: CompiledRule, flow: Flow, f: ParsedFlow, ctx: FieldContext): FieldCheck[] {
  const rule = r.rule;
  const key = keyForRule(r, f);
  const fullRange = r.keyLo === 0 && r.keyHi === 65535;
  return [
    { field: 'direction', matched: rule.direction === flow.direction, rule: rule.direction, flow: flow.direction },
    { field: 'etherType', matched: rule.etherType === flow.etherType, rule: rule.etherType, flow: flow.etherType },
    {
      field: 'protocol',
      matched: r.protocol < 0 || r.protocol === f.protocol,
      rule: protocolLabel(rule.protocol),
      flow: protocolLabel(String(f.protocol)),
    },
    { field: 'ports', matched: r.protocol < 0 || fullRange || (key >= r.keyLo && key <= r.keyHi), rule: rangeText(rule), flow: flowKeyText(flow, f) },
    remoteCheck(r, flow, f, ctx),
  ];
}

