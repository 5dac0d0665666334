// The "Add rule" form's state: the seed's fields, templates, shortcuts, and its mapping to RuleFields.
import { anywhere } from './ip-cidr.js';
import { protocolMeaning, rangeKindOf } from '../contract/index.js';
import { checkRule, type RuleCheck, type RuleCheckContext, type RuleFields, type RuleIssue } from './rule-check.js';
import type { RuleTemplate } from '../contract/index.js';

export type PortMode = 'all' | 'single' | 'range';

export interface RuleDraft {
  readonly direction: 'ingress' | 'egress';
  readonly ethertype: 'IPv4' | 'IPv6';
  /** '' = any protocol, a protocol name, or OTHER_PROTOCOL to type a number. */
  readonly protocol: string;
  readonly protocolNumber: string;
  readonly portMode: PortMode;
  readonly port: string;
  readonly portMin: string;
  readonly portMax: string;
  readonly icmpType: string;
  readonly icmpCode: string;
  readonly remoteMode: 'cidr' | 'group' | 'address-group';
  readonly cidr: string;
  readonly remoteGroupId: string;
  readonly remoteAddressGroupId: string;
  readonly description: string;
}

export const OTHER_PROTOCOL = 'number';

export const EMPTY_DRAFT: RuleDraft = {
  direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', protocolNumber: '', portMode: 'single', port: '', portMin: '', portMax: '',
  icmpType: '', icmpCode: '', remoteMode: 'cidr', cidr: '', remoteGroupId: '', remoteAddressGroupId: '', description: '',
};

/** The protocol value the draft stands for ('' = any). */
export function draftProtocol(d: RuleDraft): string {
  return d.protocol === OTHER_PROTOCOL ? d.protocolNumber.trim() : d.protocol;
}

/** Which port inputs the form shows for the chosen protocol. */
export function portInputs(d: RuleDraft): 'ports' | 'icmp' | 'none' {
  return rangeKindOf(protocolMeaning(draftProtocol(d)));
}

function portFields(d: RuleDraft): Pick<RuleFields, 'portRangeMin' | 'portRangeMax'> {
  switch (portInputs(d)) {
    case 'icmp':
      return { portRangeMin: d.icmpType, portRangeMax: d.icmpCode };
    case 'none':
      return { portRangeMin: '', portRangeMax: '' };
    case 'ports':
      if (d.portMode === 'all') return { portRangeMin: '', portRangeMax: '' };
      if (d.portMode === 'single') return { portRangeMin: d.port, portRangeMax: d.port };
      return { portRangeMin: d.portMin, portRangeMax: d.portMax };
  }
}

export function draftToFields(d: RuleDraft): RuleFields {
  return {
    direction: d.direction,
    ethertype: d.ethertype,
    protocol: draftProtocol(d),
    ...portFields(d),
    remoteIpPrefix: d.remoteMode === 'cidr' ? d.cidr : '',
    remoteGroup: d.remoteMode === 'group' ? d.remoteGroupId : '',
    description: d.description,
  };
}

/** Fills protocol and ports from a template; direction, ether type, remote and description stay. */
export function applyTemplate(d: RuleDraft, t: RuleTemplate): RuleDraft {
  const ports = t.port === null ? { portMode: 'all' as const, port: '', portMin: '', portMax: '' }
    : t.port[0] === t.port[1] ? { portMode: 'single' as const, port: String(t.port[0]), portMin: '', portMax: '' }
    : { portMode: 'range' as const, port: '', portMin: String(t.port[0]), portMax: String(t.port[1]) };
  return { ...d, protocol: t.protocol, protocolNumber: '', icmpType: '', icmpCode: '', ...ports };
}

/** Switching ether type carries an "Anywhere" remote over to the other family. */
export function withEthertype(d: RuleDraft, ethertype: 'IPv4' | 'IPv6'): RuleDraft {
  const other = ethertype === 'IPv4' ? 'IPv6' : 'IPv4';
  const cidr = d.cidr.trim() === anywhere(other) ? anywhere(ethertype) : d.cidr;
  const protocol = ethertype === 'IPv4' && d.protocol === 'ipv6-icmp' ? 'icmp' : ethertype === 'IPv6' && d.protocol === 'icmp' ? 'ipv6-icmp' : d.protocol;
  return { ...d, ethertype, cidr, protocol };
}

/** "My IP": the caller's address as a host prefix, switching the ether type to match. */
export function withMyIp(d: RuleDraft, ip: string): RuleDraft {
  const v6 = ip.includes(':');
  return { ...withEthertype(d, v6 ? 'IPv6' : 'IPv4'), remoteMode: 'cidr', cidr: `${ip}/${v6 ? 128 : 32}` };
}

/**
 * The form's own check first: "Single port" or "Port range" with nothing typed is not "all ports", and an address-group
 * remote needs a group chosen (it goes into the body as `remote_address_group_id`, the one remote of the rule).
 */
export function checkDraft(d: RuleDraft, ctx: RuleCheckContext): RuleCheck {
  const own: RuleIssue[] = [];
  const addressGroup = d.remoteMode === 'address-group' ? d.remoteAddressGroupId : '';
  if (d.remoteMode === 'address-group' && addressGroup === '') own.push({ field: 'remoteGroup', message: 'Choose an address group for the remote.' });
  if (portInputs(d) === 'ports') {
    if (d.portMode === 'single' && d.port.trim() === '') own.push({ field: 'portRangeMin', message: 'Give a port, or choose All ports.' });
    if (d.portMode === 'range' && d.portMin.trim() === '' && d.portMax.trim() === '') own.push({ field: 'portRangeMin', message: 'Give both ends of the range, or choose All ports.' });
  }
  const result = checkRule(draftToFields(d), ctx);
  if (own.length === 0) return result.ok && addressGroup !== '' ? { ok: true, body: { ...result.body, remote_address_group_id: addressGroup } } : result;
  return { ok: false, issues: [...own, ...(result.ok ? [] : result.issues)] };
}
