// What every import and export format maps to and from: rule sets (the server's `…/security-groups:apply` body) and what could not be mapped.
import type { RuleSetRuleWire, RuleSetWire, SecurityGroupRuleWire, SecurityGroupWire } from '../../contract/index.js';

/** Something of the source that has no faithful counterpart in the target, with why; never dropped silently. */
export interface Unmapped {
  /** The group it belongs to (its name, or id when unnamed). */
  readonly group: string;
  /** The rule or attribute, in the source's words. */
  readonly item: string;
  readonly reason: string;
}

export interface ImportResult {
  readonly groups: RuleSetWire[];
  readonly unmapped: Unmapped[];
}

export interface ExportResult {
  readonly text: string;
  readonly unmapped: Unmapped[];
}

/** A group to export: the API's group object with its rules, and the names of every group it may refer to. */
export interface ExportInput {
  readonly groups: readonly SecurityGroupWire[];
  /** Names of the groups the caller sees, by id, for remote groups outside the exported ones. */
  readonly names: ReadonlyMap<string, string>;
}

export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

export function parseJson(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch (e) {
    throw new FormatError(`not JSON: ${(e as Error).message}`);
  }
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Palisade's and Neutron's ids are UUIDs; anything else in a remote-group column is a name. */
export function looksLikeId(text: string): boolean {
  return UUID.test(text);
}

/** "Anywhere" is written three ways (none, 0.0.0.0/0, ::/0); a rule set says none, as the API's automatic rules do. */
export function prefixOrAny(prefix: string | null | undefined): string | null {
  return prefix === undefined || prefix === null || prefix === '' || prefix === '0.0.0.0/0' || prefix === '::/0' ? null : prefix;
}

/** The label of a group in reports. */
export function groupLabel(g: Pick<SecurityGroupWire, 'id' | 'name'>): string {
  return g.name || g.id;
}

/**
 * A rule of an exported group as a rule-set rule: a remote group exported with it is named (the name travels to
 * another project or cloud), any other keeps its id.
 */
export function ruleToSetRule(rule: SecurityGroupRuleWire, exportedNames: ReadonlyMap<string, string>): RuleSetRuleWire {
  const name = rule.remote_group_id === null ? undefined : exportedNames.get(rule.remote_group_id);
  return {
    direction: rule.direction, ethertype: rule.ethertype, protocol: rule.protocol, port_range_min: rule.port_range_min,
    port_range_max: rule.port_range_max, remote_ip_prefix: prefixOrAny(rule.remote_ip_prefix),
    ...(name !== undefined ? { remote_group_name: name } : { remote_group_id: rule.remote_group_id }),
    description: rule.description,
  };
}

/** Names of the exported groups by id, when each is unique among them (a repeated name could not be told apart on import). */
export function uniqueNames(groups: readonly Pick<SecurityGroupWire, 'id' | 'name'>[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const g of groups) count.set(g.name, (count.get(g.name) ?? 0) + 1);
  return new Map(groups.filter((g) => g.name !== '' && count.get(g.name) === 1).map((g) => [g.id, g.name]));
}

/** A rule in one line for reports: `ingress IPv4 tcp 22-22 10.0.0.0/8`. */
export function ruleWords(r: Partial<RuleSetRuleWire>): string {
  const ports = r.port_range_min === null || r.port_range_min === undefined ? '' : `${r.port_range_min}-${r.port_range_max ?? ''}`;
  const remote = r.remote_group_name ? `group ${r.remote_group_name}` : r.remote_group_id ? `group ${r.remote_group_id}` : (r.remote_ip_prefix ?? 'any');
  return [r.direction, r.ethertype ?? 'IPv4', r.protocol ?? 'any', ports, remote].filter((w) => w !== '').join(' ');
}
