// Port ranges and ICMP type/code of a rule: parsing, and Neutron's wording of the contract's checks (S4, S11–S16).
import { portRangeProblem, type PortRange, type PortRangeProblem } from '../contract/index.js';
import { InvalidInputError, type InputIssue } from './errors.js';

export { canonicalPortRange, type PortRange } from '../contract/index.js';

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

/** The protocol-dependent rules of a port range, in Neutron's order and wording; returns the first issue. */
export function checkPortRange(protocol: string | null, range: PortRange): InputIssue | null {
  const problem = portRangeProblem(protocol, range);
  return problem && portRangeIssue(problem);
}

function portRangeIssue(p: PortRangeProblem): InputIssue {
  switch (p.kind) {
    case 'protocol-required':
      return { path: 'protocol', code: 'SecurityGroupProtocolRequiredWithPorts', message: 'Must also specify protocol if port range is given.' };
    case 'port-zero':
      return { path: 'port_range_min', code: 'SecurityGroupInvalidPortValue', message: 'Invalid value for port 0' };
    case 'one-sided':
    case 'reversed':
      return { path: 'port_range_min', code: 'SecurityGroupInvalidPortRange', message: 'For TCP/UDP protocols, port_range_min must be <= port_range_max' };
    case 'icmp-out-of-range': {
      const [field, attr] = p.end === 'min' ? ['type', 'port_range_min'] : ['code', 'port_range_max'];
      return { path: attr, code: 'SecurityGroupInvalidIcmpValue', message: `Invalid value for ICMP ${field} (${attr}) ${p.value}. It must be 0 to 255.` };
    }
    case 'icmp-type-missing':
      return {
        path: 'port_range_max',
        code: 'SecurityGroupMissingIcmpType',
        message: `ICMP code (port-range-max) ${p.code} is provided but ICMP type (port-range-min) is missing.`,
      };
    case 'no-ports':
      return {
        path: 'protocol',
        code: 'SecurityGroupInvalidProtocolForPort',
        message: `Ports cannot be specified for protocol ${p.protocol}. Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.`,
      };
  }
}
