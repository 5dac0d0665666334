// IPv4/IPv6 addresses and CIDR prefixes as the rule form checks them before sending (neutron-api.md §6.3 S6, S18).

export interface ParsedCidr {
  readonly version: 4 | 6;
  readonly prefixLength: number;
  /** The input with a mask added when it had none (`10.0.0.1` → `10.0.0.1/32`), as Neutron stores it. */
  readonly text: string;
}

export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function hextetCount(side: string): number | null {
  if (side === '') return 0;
  const groups = side.split(':');
  let count = 0;
  for (const [i, g] of groups.entries()) {
    if (i === groups.length - 1 && g.includes('.')) {
      if (!isIpv4(g)) return null;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      count += 1;
    } else {
      return null;
    }
  }
  return count;
}

export function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 1) return hextetCount(text) === 8;
  const left = hextetCount(halves[0]!);
  const right = hextetCount(halves[1]!);
  if (left === null || right === null) return false;
  if (halves[0]!.includes('.')) return false;
  return left + right <= 7;
}

/** Parses `addr` or `addr/len`; null when it is neither a valid IPv4 nor IPv6 prefix. */
export function parseCidr(input: string): ParsedCidr | null {
  const text = input.trim();
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const len = slash < 0 ? null : text.slice(slash + 1);
  const version = isIpv4(addr) ? 4 : isIpv6(addr) ? 6 : null;
  if (version === null) return null;
  const max = version === 4 ? 32 : 128;
  if (len !== null && !/^(0|[1-9][0-9]{0,2})$/.test(len)) return null;
  const prefixLength = len === null ? max : Number(len);
  if (prefixLength > max) return null;
  return { version, prefixLength, text: `${addr}/${prefixLength}` };
}

/** The "Anywhere" prefix of an ether type. */
export function anywhere(etherType: 'IPv4' | 'IPv6'): string {
  return etherType === 'IPv4' ? '0.0.0.0/0' : '::/0';
}
