// Addresses typed for an address group: one list from commas, blanks or lines, each a CIDR as the API normalises it.
import { formatNormalizedCidr, tryParseCidr } from '../contract/index.js';

export type AddressInput = { readonly addresses: string[] } | { readonly problem: string };

/**
 * A bare address becomes a host prefix (/32, /128), host bits are cleared as the server would clear them, and a
 * value twice counts once: the API refuses a list with duplicates, the console just sends one.
 */
export function parseAddressInput(text: string): AddressInput {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const out: string[] = [];
  for (const part of parts) {
    const cidr = tryParseCidr(part);
    if (!cidr) return { problem: `'${part}' is not an IP address or CIDR.` };
    const normalised = formatNormalizedCidr(cidr);
    if (!out.includes(normalised)) out.push(normalised);
  }
  return { addresses: out };
}
