// Parsing of the port attributes that can be wrong: group lists, fixed IPs, MACs, address pairs (§3.5).
import {
  InvalidInputError,
  MAX_ALLOWED_ADDRESS_PAIRS,
  shown,
  tryParseCidr,
  formatCidr,
  type AllowedAddressPair,
} from '../domain/index.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i;

function bad(attribute: string, reason: string): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', `Invalid input for ${attribute}. Reason: ${reason}.`, attribute);
}

/** `binding:profile`: a JSON object, or null for none (Neutron's `type:dict_or_none`, null becoming `{}`). */
export function parseBindingProfile(value: unknown): Record<string, unknown> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw bad('binding:profile', `'${shown(value)}' is not a dictionary`);
  return { ...(value as Record<string, unknown>) };
}

/** `security_groups`: null or [] = none; a list of distinct UUIDs otherwise. */
export function parseSecurityGroupList(value: unknown): string[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw bad('security_groups', `'${shown(value)}' is not a list`);
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const id of value) {
    if (typeof id !== 'string' || !UUID.test(id)) throw bad('security_groups', `'${shown(id)}' is not a valid UUID`);
    if (seen.has(id)) dups.add(id);
    seen.add(id);
  }
  if (dups.size > 0) throw bad('security_groups', `Duplicate items in the list: '${[...dups].join(', ')}'`);
  return [...seen];
}

export function parseMacAddress(value: unknown, attribute = 'mac_address'): string {
  if (typeof value !== 'string' || !MAC.test(value)) throw bad(attribute, `'${shown(value)}' is not a valid MAC address`);
  return value.toLowerCase();
}

export interface FixedIpRequest {
  readonly subnetId: string | null;
  readonly ipAddress: string | null;
}

export function parseFixedIpRequests(value: unknown): FixedIpRequest[] {
  if (!Array.isArray(value)) throw bad('fixed_ips', `'${shown(value)}' is not a list`);
  return value.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad('fixed_ips', `'${shown(item)}' is not a dictionary`);
    const { subnet_id: subnetId, ip_address: ipAddress, ...rest } = item as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw bad('fixed_ips', `Unrecognized attribute(s) '${extra.join(', ')}'`);
    if (subnetId !== undefined && (typeof subnetId !== 'string' || !UUID.test(subnetId))) throw bad('fixed_ips', `'${shown(subnetId)}' is not a valid UUID`);
    if (ipAddress !== undefined && typeof ipAddress !== 'string') throw bad('fixed_ips', `'${shown(ipAddress)}' is not a valid IP address`);
    if (subnetId === undefined && ipAddress === undefined) throw bad('fixed_ips', 'Exactly one of subnet_id or ip_address, or both, must be given');
    return { subnetId: (subnetId as string | undefined) ?? null, ipAddress: (ipAddress as string | undefined) ?? null };
  });
}

/** `allowed_address_pairs` (§3.5): ip_address required (address or CIDR), optional MAC, no duplicates, ≤10. */
export function parseAllowedAddressPairs(value: unknown, portMac: string): AllowedAddressPair[] {
  if (value === null) return [];
  if (!Array.isArray(value)) throw bad('allowed_address_pairs', `'${shown(value)}' is not a list`);
  if (value.length > MAX_ALLOWED_ADDRESS_PAIRS) {
    throw InvalidInputError.of('AllowedAddressPairExhausted', `The number of allowed address pair exceeds the maximum ${MAX_ALLOWED_ADDRESS_PAIRS}.`, 'allowed_address_pairs');
  }
  const pairs = value.map((item): AllowedAddressPair => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad('allowed_address_pairs', `'${shown(item)}' is not a dictionary`);
    const { ip_address: ip, mac_address: mac, ...rest } = item as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw bad('allowed_address_pairs', `Unrecognized attribute(s) '${extra.join(', ')}'`);
    if (ip === undefined) throw bad('allowed_address_pairs', 'AllowedAddressPair must contain ip_address');
    const cidr = typeof ip === 'string' ? tryParseCidr(ip) : null;
    if (!cidr) throw bad('allowed_address_pairs', `'${shown(ip)}' is not a valid IP address or CIDR`);
    const full = cidr.prefixLength === (cidr.version === 4 ? 32 : 128);
    const ipText = full ? formatCidr(cidr).split('/')[0]! : formatCidr(cidr);
    return { ipAddress: ipText, macAddress: mac === undefined || mac === null ? portMac : parseMacAddress(mac, 'allowed_address_pairs') };
  });
  const keys = pairs.map((p) => `${p.macAddress}|${p.ipAddress}`);
  if (new Set(keys).size !== keys.length) {
    throw InvalidInputError.of('DuplicateAddressPairInRequest', 'Request contains duplicate address pair.', 'allowed_address_pairs');
  }
  return pairs;
}
