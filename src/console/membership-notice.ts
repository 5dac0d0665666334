// The flow check's warning when an allow rests only on a member reached through an address pair or another project.
import type { ExplanationWire, MemberPortWire, RemoteMembersWire } from '../contract/index.js';

/** The evidence of a remote-group match worth a warning: only pair prefixes, or only ports of other projects. */
function flaggedEvidence(fields: ExplanationWire['matches'][number]['fields']): RemoteMembersWire | null {
  const members = fields.find((f) => f.field === 'remote')?.remote_members;
  return members !== undefined && (members.wide || members.foreign) ? members : null;
}

function portText(p: MemberPortWire): string {
  return `${p.port_id === undefined ? 'a port' : `port ${p.port_id}`} of project ${p.project_id}`;
}

function reachText(p: MemberPortWire): string {
  if (p.via === 'fixed_ip') return '';
  return p.prefix.endsWith('/0') ? ' Any address matches.' : ` Every address in ${p.prefix} matches.`;
}

/** The member ports behind a remote-group match, for the rule's line: "held by port p1 (fixed IP 10.0.0.5) and 2 more". */
export function membersText(m: RemoteMembersWire): string {
  const one = (p: MemberPortWire) => `${portText(p)} (${p.via === 'fixed_ip' ? 'fixed IP' : 'address pair'} ${p.prefix})`;
  const more = m.count > m.ports.length ? ` and ${m.count - m.ports.length} more` : '';
  return `held by ${m.ports.map(one).join(', ')}${more}`;
}

export function noticeText(m: RemoteMembersWire): string {
  const p = m.ports[0]!;
  const holds = p.via === 'allowed_address_pair' ? `${p.prefix} as an allowed address pair` : `${p.prefix} as a fixed IP`;
  const shared = p.foreign ? ' (shared with it)' : '';
  const more = m.count > 1 ? ` ${m.count - 1} more ${m.count === 2 ? 'member does' : 'members do'} the same.` : '';
  return `Allowed because ${portText(p)} holds ${holds} and is in group ${m.security_group_name}${shared}.${reachText(p)}${more}`;
}

/**
 * Notices only when they change the verdict: the flow is allowed by rules, and every matching rule is a
 * remote-group rule whose membership comes only from pair prefixes or only from ports of other projects.
 * One notice per remote group.
 */
export function membershipNotices(e: ExplanationWire): string[] {
  if (e.verdict !== 'allow' || e.reason !== 'rule' || e.matches.length === 0) return [];
  const flagged = e.matches.map((r) => flaggedEvidence(r.fields));
  if (flagged.some((m) => m === null || m.ports.length === 0)) return [];
  const byGroup = new Map(flagged.map((m) => [m!.security_group_id, m!]));
  return [...byGroup.values()].map(noticeText);
}
