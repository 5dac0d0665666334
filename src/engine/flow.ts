// A flow as seen from one port, its validation, and its parsed form (reused scratch: decide allocates nothing).
import { InvalidInputError, type InputIssue } from '../domain/index.js';
import { KEY_ICMP, KEY_PORT, PROTOCOL_KEY_KIND, slotOf } from './compiled-rule.js';
import { parseAddressInto } from './address-words.js';

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

function issue(path: string, message: string): InputIssue {
  return { path: `flow.${path}`, code: 'InvalidInput', message };
}

function optionalInt(issues: InputIssue[], flow: Flow, field: 'port' | 'sourcePort' | 'icmpType' | 'icmpCode', max: number, required: boolean): number {
  const value = flow[field];
  if (value === undefined) {
    if (required) issues.push(issue(field, `${field} is required for protocol ${flow.protocol}.`));
    return -1;
  }
  if (isIntIn(value, max)) return value;
  issues.push(issue(field, `${field} must be an integer from 0 to ${max}, not ${String(value)}.`));
  return -1;
}

/** Reused so that a valid flow costs no allocation; copied out when a flow is refused. */
const ISSUES: InputIssue[] = [];

function collectIssues(flow: Flow, out: ParsedFlow, issues: InputIssue[]): void {
  if (flow.direction !== 'ingress' && flow.direction !== 'egress') issues.push(issue('direction', `direction must be ingress or egress, not ${String(flow.direction)}.`));
  const version = flow.etherType === 'IPv4' ? 4 : flow.etherType === 'IPv6' ? 6 : 0;
  if (version === 0) issues.push(issue('etherType', `etherType must be IPv4 or IPv6, not ${String(flow.etherType)}.`));
  if (!isIntIn(flow.protocol, 255)) issues.push(issue('protocol', `protocol must be an IP protocol number from 0 to 255, not ${String(flow.protocol)}.`));
  const remote = parseAddressInto(flow.remoteIp, out.words, 0);
  if (remote === 0 || (version !== 0 && remote !== version)) issues.push(issue('remoteIp', `remoteIp ${String(flow.remoteIp)} is not an ${flow.etherType} address.`));
  if (flow.localIp !== undefined) {
    const local = parseAddressInto(flow.localIp, out.words, 4);
    if (local === 0 || (version !== 0 && local !== version)) issues.push(issue('localIp', `localIp ${String(flow.localIp)} is not an ${flow.etherType} address.`));
  }
  const kind = isIntIn(flow.protocol, 255) ? PROTOCOL_KEY_KIND[flow.protocol]! : 0;
  out.port = optionalInt(issues, flow, 'port', 65535, kind === KEY_PORT);
  out.sourcePort = optionalInt(issues, flow, 'sourcePort', 65535, false);
  out.icmpType = optionalInt(issues, flow, 'icmpType', 255, kind === KEY_ICMP);
  const code = optionalInt(issues, flow, 'icmpCode', 255, kind === KEY_ICMP);
  out.key = kind === KEY_PORT ? out.port : kind === KEY_ICMP ? out.icmpType * 256 + code : 0;
}

/** Validates the flow into `out`; throws one InvalidInputError listing every problem. */
export function parseFlowInto(flow: Flow, out: ParsedFlow): ParsedFlow {
  if (typeof flow !== 'object' || flow === null) throw new InvalidInputError([issue('', 'a flow must be an object.')]);
  collectIssues(flow, out, ISSUES);
  if (ISSUES.length > 0) {
    const issues = ISSUES.splice(0);
    throw new InvalidInputError(issues);
  }
  out.slot = slotOf(flow.direction, flow.etherType);
  out.version = flow.etherType === 'IPv4' ? 4 : 6;
  out.protocol = flow.protocol;
  out.hasLocal = flow.localIp !== undefined;
  return out;
}
