// A flow as seen from one port, its validation, and its parsed form (reused scratch: decide allocates nothing).
import { InvalidInputError, type InputIssue } from '../domain/index.js';
import { KEY_ICMP, KEY_PORT, PROTOCOL_KEY_KIND } from './compiled-rule.js';
import { parseAddressInto } from '../contract/index.js';

/**
 * A packet's first packet as one port sees it. `remoteIp` is the other end: the source of an ingress flow,
 * the destination of an egress flow. `localIp` is the port's end (egress source, checked against spoofing;
 * omitted = one of the port's own addresses). `port` is the destination L4 port, `sourcePort` the source
 * one (only DHCP's always-allowed traffic looks at it). ICMP flows give `icmpType` and `icmpCode`.
 */
export interface Flow {
  readonly direction: 'ingress' | 'egress';
  readonly etherType: 'IPv4' | 'IPv6';
  /** IP protocol number 0–255 (6 tcp, 17 udp, 1 icmp, 58 ipv6-icmp). */
  readonly protocol: number;
  readonly remoteIp: string;
  readonly localIp?: string;
  readonly port?: number;
  readonly sourcePort?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

/** A validated flow: addresses as words, the key its protocol is matched on. */
export interface ParsedFlow {
  slot: number;
  version: 4 | 6;
  protocol: number;
  /** Destination port, or ICMP type × 256 + code, or 0 for protocols with neither. */
  key: number;
  /** remote at 0–3, local at 4–7. */
  readonly words: Int32Array;
  hasLocal: boolean;
  port: number;
  sourcePort: number;
  icmpType: number;
}

export function newParsedFlow(): ParsedFlow {
  return { slot: 0, version: 4, protocol: 0, key: 0, words: new Int32Array(8), hasLocal: false, port: -1, sourcePort: -1, icmpType: -1 };
}

function isIntIn(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function isOptionalIntIn(value: number | undefined, max: number): boolean {
  return value === undefined || (Number.isInteger(value) && value >= 0 && value <= max);
}

/** The attribute names a caller sent (the explain body's): messages name those, never the engine's fields. */
const SENT_AS: Readonly<Record<string, string>> = {
  remoteIp: 'remote_ip', localIp: 'local_ip', etherType: 'ethertype', sourcePort: 'source_port', icmpType: 'icmp_type', icmpCode: 'icmp_code',
};

function sentName(field: string): string {
  return SENT_AS[field] ?? field;
}

function issue(path: string, message: string): InputIssue {
  return { path: `flow.${path}`, code: 'InvalidInput', message };
}

type NumberField = 'port' | 'sourcePort' | 'icmpType' | 'icmpCode';

function checkInt(issues: InputIssue[], flow: Flow, field: NumberField, max: number, required: boolean): void {
  const value = flow[field];
  if (value === undefined) {
    if (required) issues.push(issue(field, `${sentName(field)} is required for protocol ${flow.protocol}.`));
  } else if (!isIntIn(value, max)) {
    issues.push(issue(field, `${sentName(field)} must be an integer from 0 to ${max}, not ${String(value)}.`));
  }
}

function checkAddress(issues: InputIssue[], flow: Flow, field: 'remoteIp' | 'localIp', version: number): void {
  const found = parseAddressInto(flow[field] ?? '', new Int32Array(4), 0);
  if (found === 0 || (version !== 0 && found !== version)) issues.push(issue(field, `${sentName(field)} ${String(flow[field])} is not an ${String(flow.etherType)} address.`));
}

/** The slow path, only for a refused flow: every problem, each with its path. */
function issuesOf(flow: Flow): InputIssue[] {
  if (typeof flow !== 'object' || flow === null) return [issue('', 'a flow must be an object.')];
  const issues: InputIssue[] = [];
  if (flow.direction !== 'ingress' && flow.direction !== 'egress') issues.push(issue('direction', `direction must be ingress or egress, not ${String(flow.direction)}.`));
  const version = flow.etherType === 'IPv4' ? 4 : flow.etherType === 'IPv6' ? 6 : 0;
  if (version === 0) issues.push(issue('etherType', `ethertype must be IPv4 or IPv6, not ${String(flow.etherType)}.`));
  const protocolOk = isIntIn(flow.protocol, 255);
  if (!protocolOk) issues.push(issue('protocol', `protocol must be an IP protocol number from 0 to 255, not ${String(flow.protocol)}.`));
  checkAddress(issues, flow, 'remoteIp', version);
  if (flow.localIp !== undefined) checkAddress(issues, flow, 'localIp', version);
  const kind = protocolOk ? PROTOCOL_KEY_KIND[flow.protocol]! : 0;
  checkInt(issues, flow, 'port', 65535, kind === KEY_PORT);
  checkInt(issues, flow, 'sourcePort', 65535, false);
  checkInt(issues, flow, 'icmpType', 255, kind === KEY_ICMP);
  checkInt(issues, flow, 'icmpCode', 255, kind === KEY_ICMP);
  return issues;
}

/** The fast path: straight-line checks that allocate nothing; false sends the caller to issuesOf. */
function tryParseFlow(flow: Flow, out: ParsedFlow): boolean {
  const version = flow.etherType === 'IPv4' ? 4 : flow.etherType === 'IPv6' ? 6 : 0;
  const direction = flow.direction;
  const protocol = flow.protocol;
  if (version === 0 || (direction !== 'ingress' && direction !== 'egress') || !isIntIn(protocol, 255)) return false;
  if (parseAddressInto(flow.remoteIp, out.words, 0) !== version) return false;
  const local = flow.localIp;
  if (local !== undefined && parseAddressInto(local, out.words, 4) !== version) return false;
  const { port, sourcePort, icmpType, icmpCode } = flow;
  if (!isOptionalIntIn(port, 65535) || !isOptionalIntIn(sourcePort, 65535) || !isOptionalIntIn(icmpType, 255) || !isOptionalIntIn(icmpCode, 255)) return false;
  const kind = PROTOCOL_KEY_KIND[protocol]!;
  if (kind === KEY_PORT && port === undefined) return false;
  if (kind === KEY_ICMP && (icmpType === undefined || icmpCode === undefined)) return false;
  out.slot = (direction === 'egress' ? 2 : 0) + (version === 6 ? 1 : 0);
  out.version = version;
  out.protocol = protocol;
  out.hasLocal = local !== undefined;
  out.port = port ?? -1;
  out.sourcePort = sourcePort ?? -1;
  out.icmpType = icmpType ?? -1;
  out.key = kind === KEY_PORT ? (port ?? 0) : kind === KEY_ICMP ? (icmpType ?? 0) * 256 + (icmpCode ?? 0) : 0;
  return true;
}

/** Validates the flow into `out`; throws one InvalidInputError listing every problem. */
export function parseFlowInto(flow: Flow, out: ParsedFlow): ParsedFlow {
  if (typeof flow === 'object' && flow !== null && tryParseFlow(flow, out)) return out;
  const issues = issuesOf(flow);
  throw new InvalidInputError(issues.length > 0 ? issues : [issue('', 'the flow is not valid.')]);
}
