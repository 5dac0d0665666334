// Sets of remote addresses as sorted disjoint ranges of the 128-bit word space: exact union, cover and difference of prefixes.
import { formatIpAddress } from '../contract/index.js';
import { V4_OFFSET } from './address-words.js';

/** A closed range [start, end] of addresses in word space (IPv4 a.b.c.d is ::a.b.c.d). */
export type AddressRange = readonly [bigint, bigint];

const V4_TOP = (1n << 32n) - 1n;
const V6_TOP = (1n << 128n) - 1n;

/** Every address of an IP version, as one range. */
export function everyAddress(version: 4 | 6): AddressRange {
  return [0n, version === 4 ? V4_TOP : V6_TOP];
}

/** The range of a prefix given as words and a length in word space (host bits ignored). */
export function prefixRange(words: ArrayLike<number>, length: number): AddressRange {
  let value = 0n;
  for (let k = 0; k < 4; k++) value = (value << 32n) | BigInt(words[k]! >>> 0);
  const size = 1n << BigInt(128 - length);
  const start = value & ~(size - 1n) & V6_TOP;
  return [start, start + size - 1n];
}

/** Sorts and merges touching or overlapping ranges: two equal address sets get equal lists. */
export function normalizeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1] + 1n) {
      if (e > last[1]) last[1] = e;
    } else out.push([s, e]);
  }
  return out;
}

/** True when the union of `ranges` holds every address of `target`. */
export function rangesCover(ranges: readonly AddressRange[], target: AddressRange): boolean {
  let next = target[0];
  for (const [s, e] of normalizeRanges(ranges)) {
    if (s > next) return false;
    if (e >= next) next = e + 1n;
    if (next > target[1]) return true;
  }
  return next > target[1];
}

/** Addresses of `a` not in `b` (both normalized). */
export function subtractRanges(a: readonly AddressRange[], b: readonly AddressRange[]): AddressRange[] {
  const out: AddressRange[] = [];
  for (const [s0, e] of a) {
    let s = s0;
    for (const [bs, be] of b) {
      if (be < s || bs > e) continue;
      if (bs > s) out.push([s, bs - 1n]);
      s = be + 1n;
      if (s > e) break;
    }
    if (s <= e) out.push([s, e]);
  }
  return out;
}

export function sameRanges(a: readonly AddressRange[], b: readonly AddressRange[]): boolean {
  return a.length === b.length && a.every((r, i) => r[0] === b[i]![0] && r[1] === b[i]![1]);
}

/** The fewest CIDR prefixes that hold exactly these addresses of `version`, e.g. `10.0.0.0/23`. */
export function rangesToCidrs(ranges: readonly AddressRange[], version: 4 | 6): string[] {
  const bits = version === 4 ? 32 : 128;
  const out: string[] = [];
  for (const [s0, e] of ranges) {
    let s = s0;
    while (s <= e) {
      let size = 1n;
      let length = bits;
      while (length > 0 && (s & (size * 2n - 1n)) === 0n && s + size * 2n - 1n <= e) {
        size *= 2n;
        length--;
      }
      out.push(`${formatIpAddress({ version, value: s })}/${length}`);
      s += size;
    }
  }
  return out;
}

/** A rule prefix's length as written (word space minus the IPv4 offset). */
export function writtenLength(length: number, version: 4 | 6): number {
  return version === 4 ? length - V4_OFFSET : length;
}
