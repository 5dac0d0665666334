// Prefixes as the rule form sends them: the contract's parser, the input's own spelling kept (neutron-api.md §6.3 S6, S18).
import { tryParseCidr } from '../contract/index.js';

export interface ParsedCidr {
  readonly version: 4 | 6;
  readonly prefixLength: number;
  /** The input with a mask added when it had none (`10.0.0.1` → `10.0.0.1/32`), as Neutron stores it. */
  readonly text: string;
}

/** Parses `addr` or `addr/len` (blanks around ignored); null when the server would refuse it as a prefix. */
export function parseCidr(input: string): ParsedCidr | null {
  const text = input.trim();
  const cidr = tryParseCidr(text);
  if (!cidr) return null;
  const slash = text.indexOf('/');
  return { version: cidr.version, prefixLength: cidr.prefixLength, text: `${slash < 0 ? text : text.slice(0, slash)}/${cidr.prefixLength}` };
}

/** The "Anywhere" prefix of an ether type. */
export function anywhere(etherType: 'IPv4' | 'IPv6'): string {
  return etherType === 'IPv4' ? '0.0.0.0/0' : '::/0';
}
