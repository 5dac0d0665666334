// Port ranges and ICMP type/code of a rule: parsing and the protocol-dependent checks (S4, S11–S16).
import { InvalidInputError, type InputIssue } from './errors.js';
import { protocolMeaning } from './protocol.js';

export interface PortRange {
  readonly min: number | null;
  readonly max: number | null;
}

function invalidPort(value: unknown, path: string): InvalidInputError {
  return InvalidInputError.of('SecurityGroupInvalidPortValue', `Invalid value for port ${String(value)}`, path);
}

/** One bound: null, or an integer 0–65535 given as a JSON number or a decimal string (S4). */
export function parsePortValue(value: unknown, path: string): number | null {
  if (value === null || value === undefined) return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^-?[0-9]+$/.test(value.trim())) n = Number(value.trim());
  else throw invalidPort(value, path);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw invalidPort(value, path);
  return n;
}

/** Neutron turns 1–65535 into "all ports" before validating, whatever the protocol (S11, §7.3). */
export function canonicalPortRange(range: PortRange): PortRange {
  return range.min === 1 && range.max === 65535 ? { min: null, max: null } : range;
}

/** The protocol-dependent rules of a port range, in Neutron's order; returns the first issue. */
export function checkPortRange(protocol: string | null, range: PortRange): InputIssue | null {
  const { min, max } = range;
  if (min === null && max === null) return null;
  if (protocol === null) {
    return { path: 'protocol', code: 'SecurityGroupProtocolRequiredWithPorts', message: 'Must also specify protocol if port range is given.' };
  }
  const meaning = protocolMeaning(protocol);
  if (meaning.hasPorts) {
    if (min === 0 || max === 0) {
      return { path: 'port_range_min', code: 'SecurityGroupInvalidPortValue', message: 'Invalid value for port 0' };
    }
    if (min !== null && max !== null && min <= max) return null;
    return {
      path: 'port_range_min',
      code: 'SecurityGroupInvalidPortRange',
      message: 'For TCP/UDP protocols, port_range_min must be <= port_range_max',
    };
  }
  if (meaning.hasIcmpTypeCode) return checkIcmpTypeCode(min, max);
  return {
    path: 'protocol',
    code: 'SecurityGroupInvalidProtocolForPort',
    message: `Ports cannot be specified for protocol ${protocol}. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.`,
  };
}

function checkIcmpTypeCode(type: number | null, code: number | null): InputIssue | null {
  for (const [field, attr, value] of [['type', 'port_range_min', type], ['code', 'port_range_max', code]] as const) {
    if (value !== null && (value < 0 || value > 255)) {
      return {
        path: attr,
        code: 'SecurityGroupInvalidIcmpValue',
        message: `Invalid value for ICMP ${field} (${attr}) ${value}. It must be 0 to 255.`,
      };
    }
  }
  if (type === null && code !== null) {
    return {
      path: 'port_range_max',
      code: 'SecurityGroupMissingIcmpType',
      message: `ICMP code (port-range-max) ${code} is provided but ICMP type (port-range-min) is missing.`,
    };
  }
  return null;
}
