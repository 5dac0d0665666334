// IP prefixes as networks (host bits cleared): canonical text, containment, and the disjoint covers nftables interval sets need.
import { addressBits, formatIpAddress, networkOf, tryParseCidr } from '../contract/index.js';

export interface Prefix {
  readonly version: 4 | 6;
  /** Network address with host bits cleared. */
  readonly base: bigint;
  readonly length: number;
}

function toBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function mask(version: 4 | 6, length: number): bigint {
  const bits = addressBits(version);
  return length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(bits - length);
}

/** An address or CIDR (host bits allowed, as Neutron keeps them, and cleared here); null when it is neither. */
export function parsePrefix(text: string): Prefix | null {
  const cidr = tryParseCidr(text);
  return cidr && { version: cidr.version, base: networkOf(cidr).value, length: cidr.prefixLength };
}

const TEXT = new WeakMap<Prefix, string>();

/** Canonical text: a bare address for a host prefix, else `network/length` (memoised: prefixes are immutable). */
export function formatPrefix(p: Prefix): string {
  let text = TEXT.get(p);
  if (text === undefined) {
    const a = formatIpAddress({ version: p.version, value: p.base });
    text = p.length === addressBits(p.version) ? a : `${a}/${p.length}`;
    TEXT.set(p, text);
  }
  return text;
}

export function isHost(p: Prefix): boolean {
  return p.length === addressBits(p.version);
}

export function contains(outer: Prefix, inner: Prefix): boolean {
  return outer.version === inner.version && outer.length <= inner.length && (inner.base & mask(outer.version, outer.length)) === outer.base;
}

export function containsAddress(outer: Prefix, version: 4 | 6, value: bigint): boolean {
  return outer.version === version && (value & mask(version, outer.length)) === outer.base;
}

/** The prefixes of a list that no other prefix of the list covers: the same addresses, no overlaps. */
export function outermost(prefixes: readonly Prefix[]): Prefix[] {
  const sorted = [...prefixes].sort((a, b) => a.length - b.length);
  const kept: Prefix[] = [];
  for (const p of sorted) if (!kept.some((k) => contains(k, p))) kept.push(p);
  return kept;
}

/** `outer` minus the given sub-prefixes, as disjoint prefixes. */
export function exclude(outer: Prefix, holes: readonly Prefix[]): Prefix[] {
  const inside = holes.filter((h) => contains(outer, h));
  if (inside.length === 0) return [outer];
  if (inside.some((h) => h.length === outer.length)) return [];
  const bit = 1n << BigInt(addressBits(outer.version) - outer.length - 1);
  const low: Prefix = { version: outer.version, base: outer.base, length: outer.length + 1 };
  const high: Prefix = { version: outer.version, base: outer.base | bit, length: outer.length + 1 };
  return [...exclude(low, inside), ...exclude(high, inside)];
}

/** fe80::/64 with the modified EUI-64 interface id of a MAC (RFC 4291 appendix A). */
export function linkLocalOf(mac: string): Prefix | null {
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) return null;
  const b = parts.map((p) => parseInt(p, 16));
  const id = toBigInt([b[0]! ^ 2, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!]);
  return { version: 6, base: (0xfe80n << 112n) | id, length: 128 };
}
