// Addresses as four signed 32-bit words (IPv4 as ::a.b.c.d): parsing without allocation, for hot paths that read many addresses.
import { formatIpAddress, tryParseIpAddress, type IpAddress } from './ip-address.js';

const GROUPS = new Int32Array(8);

/** `a.b.c.d` between start and end as an unsigned number, or -1. Octets have no leading zeros. */
function parseV4(s: string, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return -1;
    } else return -1;
  }
  return dots === 3 && digits > 0 ? value * 256 + octet : -1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses the hex groups of an IPv6 address into GROUPS; returns how many, with the `::` position in the high bits, or -1. */
function parseV6Groups(s: string): number {
  const len = s.length;
  let n = 0;
  let gap = -1;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return -1;
    gap = 0;
    i = 2;
  }
  while (i < len) {
    let v = 0;
    let j = i;
    for (let h = hexValue(s.charCodeAt(j)); h >= 0 && j - i < 5; h = hexValue(s.charCodeAt(++j))) v = v * 16 + h;
    if (j - i > 4) return -1;
    if (j === i || n === 8) return -1;
    GROUPS[n++] = v;
    if (j === len) break;
    if (s.charCodeAt(j) !== 58 || ++j === len) return -1;
    if (s.charCodeAt(j) === 58) {
      if (gap >= 0) return -1;
      gap = n;
      j++;
    }
    i = j;
  }
  if (gap < 0 ? n !== 8 : n > 7) return -1;
  return gap < 0 ? n : n | ((gap + 1) << 8);
}

function parseV6Into(s: string, out: Int32Array, offset: number): boolean {
  const packed = parseV6Groups(s);
  if (packed < 0) return false;
  const n = packed & 0xff;
  const gap = (packed >> 8) - 1;
  for (let k = 0; k < 8; k++) {
    const g = gap < 0 || k < gap ? GROUPS[k]! : k >= 8 - (n - gap) ? GROUPS[k - (8 - n)]! : 0;
    if (k % 2 === 0) out[offset + k / 2] = g << 16;
    else out[offset + (k >> 1)] = out[offset + (k >> 1)]! | g;
  }
  return true;
}

/** Writes the address as words at out[offset..offset+3]; returns its IP version, or 0 when it is no address. */
export function parseAddressInto(text: string, out: Int32Array, offset: number): 0 | 4 | 6 {
  if (typeof text !== 'string' || text.length === 0) return 0;
  if (text.indexOf(':') < 0) {
    const v4 = parseV4(text, 0, text.length);
    if (v4 < 0) return 0;
    out[offset] = 0;
    out[offset + 1] = 0;
    out[offset + 2] = 0;
    out[offset + 3] = v4 | 0;
    return 4;
  }
  if (parseV6Into(text, out, offset)) return 6;
  // Embedded IPv4 (`::ffff:1.2.3.4`) is rare and ipaddr.js reads `::1.2.3.4` as `::ffff:1.2.3.4`: the general parser decides.
  const slow = tryParseIpAddress(text);
  if (!slow || slow.version !== 6) return 0;
  writeBigIntWords(slow.value, out, offset);
  return 6;
}

export function writeBigIntWords(value: bigint, out: Int32Array, offset: number): void {
  for (let k = 0; k < 4; k++) out[offset + k] = Number((value >> BigInt(96 - 32 * k)) & 0xffffffffn) | 0;
}

export function wordsToAddress(version: 4 | 6, w: ArrayLike<number>, offset = 0): IpAddress {
  let value = 0n;
  for (let k = 0; k < 4; k++) value = (value << 32n) | BigInt((w[offset + k]! >>> 0));
  return { version, value };
}

export function formatWords(version: 4 | 6, w: ArrayLike<number>, offset = 0): string {
  return formatIpAddress(wordsToAddress(version, w, offset));
}
