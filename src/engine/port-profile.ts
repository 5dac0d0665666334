// What the engine keeps of a port: how it is filtered, its own addresses (anti-spoofing) and its member addresses.
import { isTrustedPort, tryParseCidr, type Port } from '../domain/index.js';
import { writeBigIntWords } from '../contract/index.js';
import { V4_OFFSET } from './address-words.js';
import type { MemberAddress } from './membership-index.js';

export const MODE_FILTERED = 0;
export const MODE_PORT_SECURITY_DISABLED = 1;
export const MODE_TRUSTED = 2;

export interface PortProfile {
  readonly port: Port;
  readonly mode: number;
  /** Sorted, de-duplicated group ids; ports with the same key share one compiled policy. */
  readonly groupIds: readonly string[];
  readonly groupKey: string;
  /** The port's groups in the order the port lists them, without repeats (reports follow this order). */
  readonly groupOrder: readonly string[];
  /** Fixed IPs (as /32, /128) and allowed-address-pair prefixes: what makes the port a remote-group member. */
  readonly members: readonly MemberAddress[];
  /** Addresses egress may come from: members plus the EUI-64 link-local addresses of the port's MACs. */
  readonly own: readonly MemberAddress[];
  /** Fixed IPs only (DHCP replies are always allowed to these). */
  readonly fixed: readonly MemberAddress[];
  /** Allowed-address-pair prefixes only (explain names them as membership evidence). */
  readonly pairs: readonly MemberAddress[];
  readonly hasIpv6: boolean;
}

/** An address or CIDR as a membership entry (words and word-space prefix length); null when it does not parse. */
export function memberOf(text: string): MemberAddress | null {
  const cidr = tryParseCidr(text);
  if (cidr === null) return null;
  const words = new Int32Array(4);
  writeBigIntWords(cidr.address.value, words, 0);
  return { version: cidr.version, words, prefixLength: cidr.prefixLength + (cidr.version === 4 ? V4_OFFSET : 0) };
}

/** fe80::/64 with the modified EUI-64 interface id of a MAC (RFC 4291 appendix A). */
export function linkLocalOf(mac: string): MemberAddress | null {
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) return null;
  const b = parts.map((p) => parseInt(p, 16));
  const words = Int32Array.of(0xfe800000 | 0, 0, ((b[0]! ^ 2) << 24) | (b[1]! << 16) | (b[2]! << 8) | 0xff, (0xfe << 24) | (b[3]! << 16) | (b[4]! << 8) | b[5]!);
  return { version: 6, words, prefixLength: 128 };
}

function present<T>(values: readonly (T | null)[]): T[] {
  return values.filter((v): v is T => v !== null);
}

export function profileOf(port: Port): PortProfile {
  const fixed = present(port.fixedIps.map((f) => (f.ipAddress.includes('/') ? null : memberOf(f.ipAddress))));
  const pairs = present(port.allowedAddressPairs.map((p) => memberOf(p.ipAddress)));
  const macs = [...new Set([port.macAddress, ...port.allowedAddressPairs.map((p) => p.macAddress || port.macAddress)])];
  const groupOrder = [...new Set(port.securityGroupIds)];
  const groupIds = [...groupOrder].sort();
  const mode = !port.portSecurityEnabled ? MODE_PORT_SECURITY_DISABLED : isTrustedPort(port) ? MODE_TRUSTED : MODE_FILTERED;
  return {
    port,
    mode,
    groupIds,
    groupKey: groupIds.join(','),
    groupOrder,
    members: [...fixed, ...pairs],
    own: [...fixed, ...pairs, ...present(macs.map(linkLocalOf))],
    fixed,
    pairs,
    hasIpv6: fixed.some((f) => f.version === 6),
  };
}

/** True when the address (words at offset) lies in one of the given addresses or prefixes. */
export function isWithin(list: readonly MemberAddress[], version: 4 | 6, w: Int32Array, offset: number): boolean {
  for (const a of list) {
    if (a.version !== version) continue;
    let inside = true;
    for (let k = 0; k < 4 && inside; k++) {
      const keep = a.prefixLength - 32 * k;
      const mask = keep <= 0 ? 0 : keep >= 32 ? -1 : -1 << (32 - keep);
      inside = ((w[offset + k]! ^ a.words[k]!) & mask) === 0;
    }
    if (inside) return true;
  }
  return false;
}
