// `palisade explain|reach|matrix`: the policy engine's answers about flows between ports.
import type { Command } from 'commander';
import type { ExplanationWire, MatrixWire, ReachabilityWire, RuleReportWire } from '../contract/index.js';
import {
  emit, PalisadeApi, PROCESS_IO, resolveNamed, UsageError, withConnection, withFormat,
  type CliIo, type ConnectionFlags, type Format,
} from './cli-kit.js';
import { ruleText } from './rule-words.js';

type Flags = ConnectionFlags & { format: Format };

interface ServiceFlags {
  protocol: string;
  port?: string;
  icmpType?: string;
  icmpCode?: string;
  ethertype?: string;
}

function whole(text: string | undefined, what: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text) || Number(text) > max) throw new UsageError(`${what} must be a whole number 0-${max}, not '${text}'`);
  return Number(text);
}

function withService(command: Command): Command {
  return command
    .requiredOption('--protocol <protocol>', 'tcp, udp, icmp, … or a number')
    .option('--port <port>', 'destination port')
    .option('--icmp-type <type>', 'ICMP type')
    .option('--icmp-code <code>', 'ICMP code')
    .option('--ethertype <ethertype>', 'IPv4 or IPv6');
}

function serviceOf(o: ServiceFlags): Record<string, string | number> {
  const port = whole(o.port, '--port', 65535);
  const icmpType = whole(o.icmpType, '--icmp-type', 255);
  const icmpCode = whole(o.icmpCode, '--icmp-code', 255);
  return {
    protocol: o.protocol, ...(port !== undefined && { port }), ...(icmpType !== undefined && { icmp_type: icmpType }),
    ...(icmpCode !== undefined && { icmp_code: icmpCode }), ...(o.ethertype !== undefined && { ethertype: o.ethertype }),
  };
}

function reportLine(r: RuleReportWire): string {
  const misses = r.fields.filter((f) => !f.matched).map((f) => `${f.field}: rule ${f.rule}, flow ${f.flow}`);
  return `  ${r.group_name || r.group_id} rule ${r.rule_id}${misses.length > 0 ? ` — differs in ${misses.join('; ')}` : ''}`;
}

function printExplanation(io: CliIo, e: ExplanationWire, label = ''): void {
  io.print(`${label}${e.verdict.toUpperCase()}: ${e.summary}`);
  if (e.matches.length > 0) io.print('matching rules:');
  for (const m of e.matches) io.print(reportLine(m));
  if (e.verdict === 'deny' && e.nearest.length > 0) io.print('nearest rules:');
  if (e.verdict === 'deny') for (const n of e.nearest) io.print(reportLine(n));
}

export function registerFlowCommands(program: Command, io: CliIo = PROCESS_IO): void {
  withService(withFormat(withConnection(program.command('explain <port>').description('why a flow is allowed or denied at a port (name or id)'))))
    .requiredOption('--direction <direction>', 'ingress (to the port) or egress (from it)')
    .requiredOption('--remote-ip <ip>', 'the other end: the source of an ingress flow, the destination of an egress one')
    .option('--local-ip <ip>', "the port's own address (default: its first)")
    .option('--source-port <port>', 'source port')
    .action(async (portName: string, o: Flags & ServiceFlags & { direction: string; remoteIp: string; localIp?: string; sourcePort?: string }) => {
      const api = await PalisadeApi.connect(io, o);
      const port = await resolveNamed(api, 'ports', portName);
      const sourcePort = whole(o.sourcePort, '--source-port', 65535);
      const flow = {
        port_id: port.id, direction: o.direction, remote_ip: o.remoteIp, ...serviceOf(o),
        ...(o.localIp !== undefined && { local_ip: o.localIp }), ...(sourcePort !== undefined && { source_port: sourcePort }),
      };
      const answer = (await api.call<{ explanation: ExplanationWire }>('POST', '/v2.0/palisade/explain', { flow })).explanation;
      if (o.format !== 'table') return emit(io, o.format, [answer], [['verdict', (a) => a.verdict], ['summary', (a) => a.summary]], answer);
      printExplanation(io, answer);
    });

  withService(withFormat(withConnection(program.command('reach <source> <destination>').description('can one port reach another on a service (names or ids)'))))
    .action(async (from: string, to: string, o: Flags & ServiceFlags) => {
      const api = await PalisadeApi.connect(io, o);
      const source = await resolveNamed(api, 'ports', from);
      const destination = await resolveNamed(api, 'ports', to);
      const query = new URLSearchParams({ source_port_id: source.id, destination_port_id: destination.id });
      for (const [k, v] of Object.entries(serviceOf(o))) query.append(k, String(v));
      const answer = (await api.get<{ reachability: ReachabilityWire }>(`/v2.0/palisade/reachability?${query}`)).reachability;
      if (o.format !== 'table') return emit(io, o.format, [answer], [['verdict', (a) => a.verdict], ['blocked_by', (a) => a.blocked_by]], answer);
      io.print(`${answer.verdict.toUpperCase()}: ${source.name || source.id} (${answer.source_ip}) → ${destination.name || destination.id} (${answer.destination_ip})`);
      printExplanation(io, answer.egress, 'egress at the source: ');
      printExplanation(io, answer.ingress, 'ingress at the destination: ');
      for (const fix of answer.open_with) io.print(`would open with, in ${fix.security_group_name || fix.security_group_id} (${fix.side}): ${ruleText(fix.rule)}`);
      if (answer.replies_need_rules) io.print('replies need rules too (a stateless group is on the way)');
    });

  withFormat(withConnection(program.command('matrix').description('which instances of a project reach which, per service')))
    .option('--service <service...>', 'protocol[:port] or icmp:type[:code], e.g. tcp:22 (repeat or comma-separate)')
    .option('--project <id>', "the project (default: the caller's)")
    .option('--ethertype <ethertype>', 'IPv4 or IPv6')
    .action(async (o: Flags & { service?: string[]; project?: string; ethertype?: string }) => {
      const api = await PalisadeApi.connect(io, o);
      const query = new URLSearchParams();
      for (const s of o.service ?? []) query.append('service', s);
      if (o.project) query.append('project_id', o.project);
      if (o.ethertype) query.append('ethertype', o.ethertype);
      const answer = (await api.get<{ matrix: MatrixWire }>(`/v2.0/palisade/matrix${query.size > 0 ? `?${query}` : ''}`)).matrix;
      const classes = new Map(answer.classes.map((c) => [c.id, c.instances.join(' ')]));
      emit(io, o.format, answer.edges, [['from', (e) => classes.get(e.from)], ['to', (e) => classes.get(e.to)], ['services', (e) => e.services]], answer);
    });
}
