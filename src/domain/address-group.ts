// Address groups: named sets of CIDRs a rule can name as its remote (Neutron's address-group extension).
import { formatCidr, formatNormalizedCidr, tryParseCidr } from '../contract/index.js';
import { InvalidInputError } from './errors.js';
import { shown } from './text-attribute.js';

export interface AddressGroup {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string;
  /** Normalised CIDRs (host bits cleared), in address order as the store returns them. */
  readonly addresses: readonly string[];
  readonly revisionNumber: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Neutron's description limit for address groups (LONG_DESCRIPTION_FIELD_SIZE). */
export const ADDRESS_GROUP_DESCRIPTION_LENGTH = 1024;

function badAddresses(reason: string): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', `Invalid input for addresses. Reason: ${reason}`, 'addresses');
}

/**
 * neutron-lib's `validate_subnet`: a CIDR with a slash and no whitespace, an IPv4 one written exactly as
 * netaddr prints it (host bits may be set: `10.0.0.1/24` is valid and normalises to `10.0.0.0/24`).
 */
function isValidSubnet(text: string): boolean {
  if (!text.includes('/') || /\s/.test(text)) return false;
  const cidr = tryParseCidr(text);
  return cidr !== null && (cidr.version === 6 || formatCidr(cidr) === text);
}

function normalise(text: string): string {
  return formatNormalizedCidr(tryParseCidr(text)!);
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** `addresses` on create: neutron-lib's `type:subnet_list` (a list, no duplicates, each a subnet), then normalised. */
export function parseAddressList(value: unknown): string[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw badAddresses(`'${shown(value)}' is not a list.`);
  const seen = new Set<unknown>();
  const dups = distinct(value.filter((v) => (seen.has(v) ? true : (seen.add(v), false))).map((v) => shown(v)));
  if (dups.length > 0) throw badAddresses(`Duplicate items in the list: '${dups.join(', ')}'.`);
  for (const item of value) {
    if (typeof item !== 'string' || !isValidSubnet(item)) throw badAddresses(`'${shown(item)}' is not a valid IP subnet.`);
  }
  return distinct((value as string[]).map(normalise));
}

/**
 * The `addresses` of an add_addresses / remove_addresses body. Neutron passes them to netaddr unvalidated
 * (a bare address means /32 or /128, and what netaddr refuses is a 500); Palisade answers that case 400.
 */
export function parseAddressChange(value: unknown): string[] {
  if (!Array.isArray(value)) throw badAddresses(`'${shown(value)}' is not a list.`);
  const parsed = value.map((item) => {
    const cidr = typeof item === 'string' && !/\s/.test(item) ? tryParseCidr(item) : null;
    if (!cidr) throw badAddresses(`'${shown(item)}' is not a valid IP subnet.`);
    return formatNormalizedCidr(cidr);
  });
  return distinct(parsed);
}

/** How Neutron's messages print a list of addresses (Python's list repr). */
export function formatAddressList(addresses: readonly string[]): string {
  return `[${addresses.map((a) => `'${a}'`).join(', ')}]`;
}
