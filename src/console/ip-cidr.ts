// Prefixes as the rule form sends them: the contract's parser, the input's own spelling kept (neutron-api.md §6.3 S6, S18).
import { formatNormalizedCidr, tryParseCidr, tryParseIpAddress } from '../contract/index.js';

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

/** What a prefix with host bits set (`10.0.0.5/24`) stands for: the network it matches, said before it is saved. */
export function prefixMeaningHint(input: string): string | null {
  const text = input.trim();
  const cidr = text.includes('/') ? tryParseCidr(text) : null;
  if (!cidr) return null;
  const network = formatNormalizedCidr(cidr);
  return network === `${text.slice(0, text.indexOf('/'))}/${cidr.prefixLength}` ? null : `${text} matches the whole network ${network}, not only ${text.slice(0, text.indexOf('/'))}.`;
}

/** Why a subnet CIDR would be refused, checked before the network is created so a bad one leaves nothing behind. */
export function subnetCidrProblem(input: string): string | null {
  const text = input.trim();
  if (text === '') return 'Give the subnet a CIDR, e.g. 10.0.0.0/24.';
  const cidr = tryParseCidr(text);
  if (!cidr || !text.includes('/')) return `'${text}' is not a subnet CIDR: write an address and a prefix length, e.g. 10.0.0.0/24.`;
  if (cidr.prefixLength > (cidr.version === 4 ? 30 : 126)) return `/${cidr.prefixLength} leaves no addresses for instances; use a shorter prefix such as /24.`;
  return null;
}

/** Why a flow's remote address is not one, in the form's words (the API's message names its internal field). */
export function flowAddressProblem(input: string): string | null {
  const text = input.trim();
  if (text === '') return 'Give the remote IP address, e.g. 10.0.0.5.';
  if (text.includes('/')) return `Give one address, not a prefix: '${text}' has a /length.`;
  return tryParseIpAddress(text) ? null : `'${text}' is not an IPv4 or IPv6 address.`;
}
