// `palisade rule list|add|delete`: a group's rules, added from fields or a template (`--template ssh`).
import type { Command } from 'commander';
import { findTemplate, RULE_TEMPLATES, type SecurityGroupRuleWire, type SecurityGroupWire } from '../contract/index.js';
import {
  emit, PalisadeApi, PROCESS_IO, resolveNamed, UsageError, withConnection, withFormat,
  type CliIo, type Column, type ConnectionFlags, type Format,
} from './cli-kit.js';
import { portText, remoteText } from './rule-words.js';

type Flags = ConnectionFlags & { format: Format };

export interface RuleFlags {
  template?: string;
  direction?: string;
  ethertype?: string;
  protocol?: string;
  port?: string;
  icmpType?: string;
  icmpCode?: string;
  remoteIp?: string;
  remoteGroup?: string;
  description?: string;
  expiresIn?: string;
  expiresAt?: string;
}

function integer(text: string, what: string, max: number): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > max) throw new UsageError(`${what} must be a whole number 0-${max}, not '${text}'`);
  return Number(text);
}

/** `22` or `22-23`. */
export function parsePortRange(text: string): [number, number] {
  const m = /^([0-9]+)(?:[-:]([0-9]+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`--port takes PORT or MIN-MAX, not '${text}'`);
  const min = integer(m[1]!, '--port', 65535);
  return [min, m[2] === undefined ? min : integer(m[2], '--port', 65535)];
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** `--expires-in 90m` / `1h` / `2d` from `now`, or `--expires-at` as given (ISO 8601), as the API's `expires_at`. */
export function expiryOf(flags: Pick<RuleFlags, 'expiresIn' | 'expiresAt'>, now: Date): string | undefined {
  if (flags.expiresIn !== undefined && flags.expiresAt !== undefined) throw new UsageError('give --expires-in or --expires-at, not both');
  if (flags.expiresIn !== undefined) {
    const m = /^([0-9]+)([smhdw])$/.exec(flags.expiresIn.trim());
    if (!m || Number(m[1]) === 0) throw new UsageError(`--expires-in takes a count and a unit (s, m, h, d, w), e.g. 1h; not '${flags.expiresIn}'`);
    return new Date(now.getTime() + Number(m[1]) * UNITS[m[2]!]! * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (flags.expiresAt !== undefined) {
    const at = new Date(flags.expiresAt);
    if (Number.isNaN(at.getTime())) throw new UsageError(`--expires-at takes a time such as 2026-12-31T18:00:00Z, not '${flags.expiresAt}'`);
    return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return undefined;
}

/**
 * The body of `POST /v2.0/security-group-rules` from the flags (remote group resolved by the caller). A template
 * gives protocol and ports; the other flags add to it. The server validates the result, as for any client.
 */
export function ruleBody(groupId: string, flags: RuleFlags, remoteGroupId: string | undefined, now: Date): Record<string, unknown> {
  const template = flags.template === undefined ? undefined : findTemplate(flags.template);
  if (flags.template !== undefined && !template) {
    throw new UsageError(`no template '${flags.template}'; templates: ${RULE_TEMPLATES.map((t) => t.id).join(', ')}`);
  }
  if (template && (flags.protocol !== undefined || flags.port !== undefined)) throw new UsageError('--template sets protocol and ports; drop --protocol and --port');
  if (flags.remoteIp !== undefined && flags.remoteGroup !== undefined) throw new UsageError('give --remote-ip or --remote-group, not both');
  const protocol = template ? template.protocol || null : flags.protocol ?? null;
  const range = template ? template.port : flags.port === undefined ? null : parsePortRange(flags.port);
  if (range && (flags.icmpType !== undefined || flags.icmpCode !== undefined)) throw new UsageError('--port and --icmp-type/--icmp-code exclude each other');
  if (flags.icmpCode !== undefined && flags.icmpType === undefined) throw new UsageError('--icmp-code needs --icmp-type');
  const direction = flags.direction ?? 'ingress';
  const expiresAt = expiryOf(flags, now);
  return {
    security_group_id: groupId,
    direction,
    ...(flags.ethertype !== undefined && { ethertype: flags.ethertype }),
    ...(flags.ethertype === undefined && flags.remoteIp?.includes(':') && { ethertype: 'IPv6' }),
    ...(protocol !== null && { protocol }),
    ...(range && { port_range_min: range[0], port_range_max: range[1] }),
    ...(flags.icmpType !== undefined && { port_range_min: integer(flags.icmpType, '--icmp-type', 255) }),
    ...(flags.icmpCode !== undefined && { port_range_max: integer(flags.icmpCode, '--icmp-code', 255) }),
    ...(flags.remoteIp !== undefined && { remote_ip_prefix: flags.remoteIp }),
    ...(remoteGroupId !== undefined && { remote_group_id: remoteGroupId }),
    ...(flags.description !== undefined && { description: flags.description }),
    ...(expiresAt !== undefined && { expires_at: expiresAt }),
  };
}

export function ruleColumns(names: ReadonlyMap<string, string>): Column<SecurityGroupRuleWire>[] {
  return [
    ['id', (r) => r.id], ['direction', (r) => r.direction], ['ethertype', (r) => r.ethertype], ['protocol', (r) => r.protocol ?? 'any'],
    ['ports', (r) => portText(r)], ['remote', (r) => remoteText(r, names)], ['description', (r) => r.description],
  ];
}

export function registerRuleCommands(program: Command, io: CliIo = PROCESS_IO, now: () => Date = () => new Date()): void {
  const rule = program.command('rule').description('rules of a security group: list, add, delete');

  withFormat(withConnection(rule.command('list <group>').description("a group's rules (name or id); -f json prints the API's rule objects")))
    .action(async (nameOrId: string, o: Flags) => {
      const api = await PalisadeApi.connect(io, o);
      const group = await resolveNamed(api, 'security-groups', nameOrId);
      const { security_group_rules: rules } = await api.get<{ security_group_rules: SecurityGroupRuleWire[] }>(`/v2.0/security-group-rules?security_group_id=${group.id}`);
      const { security_groups: groups } = await api.get<{ security_groups: SecurityGroupWire[] }>('/v2.0/security-groups?fields=id&fields=name');
      emit(io, o.format, rules, ruleColumns(new Map(groups.map((g) => [g.id, g.name]))));
    });

  withFormat(withConnection(rule.command('add <group>').description('add a rule to a group, from a template or from fields')))
    .option('--template <name>', `a ready-made rule: ${RULE_TEMPLATES.map((t) => t.id).join(', ')}`)
    .option('--direction <direction>', 'ingress or egress (default ingress)')
    .option('--ethertype <ethertype>', 'IPv4 or IPv6 (default IPv4, IPv6 for an IPv6 --remote-ip)')
    .option('--protocol <protocol>', 'tcp, udp, icmp, … or a number 0-255 (default: every protocol)')
    .option('--port <port>', 'a port or a range MIN-MAX (TCP, UDP, SCTP, DCCP, UDP-Lite)')
    .option('--icmp-type <type>', 'ICMP type')
    .option('--icmp-code <code>', 'ICMP code (needs --icmp-type)')
    .option('--remote-ip <cidr>', 'the remote address or CIDR (default: anywhere)')
    .option('--remote-group <group>', 'the remote group (name or id)')
    .option('--description <text>', 'a description')
    .option('--expires-in <duration>', 'delete the rule after this long: 30m, 1h, 2d, 1w')
    .option('--expires-at <time>', 'delete the rule at this time (ISO 8601)')
    .action(async (nameOrId: string, o: Flags & RuleFlags) => {
      const api = await PalisadeApi.connect(io, o);
      const group = await resolveNamed(api, 'security-groups', nameOrId);
      ruleBody(group.id, o, undefined, now()); // bad usage is reported before any other call
      const remote = o.remoteGroup === undefined ? undefined : await resolveNamed(api, 'security-groups', o.remoteGroup);
      const body = ruleBody(group.id, o, remote?.id, now());
      const { security_group_rule: created } = await api.call<{ security_group_rule: SecurityGroupRuleWire }>('POST', '/v2.0/security-group-rules', { security_group_rule: body });
      emit(io, o.format, [created], ruleColumns(new Map([[group.id, group.name], ...(remote ? [[remote.id, remote.name] as const] : [])])), created);
    });

  withConnection(rule.command('delete <rule...>').description('delete rules by id')).action(async (ids: string[], o: ConnectionFlags) => {
    const api = await PalisadeApi.connect(io, o);
    for (const id of ids) {
      await api.call('DELETE', `/v2.0/security-group-rules/${encodeURIComponent(id)}`);
      io.print(`deleted rule ${id}`);
    }
  });
}
