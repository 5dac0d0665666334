// A group's rules as disjoint (prefix × key range) boxes: nftables interval sets refuse overlapping elements.
import { contains, exclude, formatPrefix, outermost, type Prefix } from './ip-prefix.js';

export interface Box {
  readonly prefix: Prefix;
  readonly lo: number;
  readonly hi: number;
}

function mergeRanges(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/**
 * The same (address, key) pairs as the input, as boxes that never overlap. Prefixes either nest or are
 * disjoint, so each prefix owns what its inner prefixes leave, with the key ranges of every prefix covering it.
 */
export function disjointBoxes(boxes: readonly Box[]): Box[] {
  const distinct = new Map<string, Prefix>();
  for (const b of boxes) distinct.set(formatPrefix(b.prefix), b.prefix);
  const prefixes = [...distinct.values()];
  const out: Box[] = [];
  for (const c of prefixes) {
    const ranges = mergeRanges(boxes.filter((b) => contains(b.prefix, c)).map((b) => [b.lo, b.hi] as const));
    const inner = outermost(prefixes.filter((p) => p !== c && contains(c, p)));
    for (const piece of exclude(c, inner)) for (const [lo, hi] of ranges) out.push({ prefix: piece, lo, hi });
  }
  return out;
}

export function rangeText(lo: number, hi: number): string {
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

/** ICMP type × 256 + code ranges back to `type . code` pieces. */
export function icmpPieces(lo: number, hi: number): string[] {
  const out: string[] = [];
  let at = lo;
  while (at <= hi) {
    const type = at >> 8;
    const code = at & 255;
    const typeEnd = type * 256 + 255;
    if (code === 0 && typeEnd <= hi) {
      let lastType = type;
      while ((lastType + 1) * 256 + 255 <= hi) lastType++;
      out.push(`${rangeText(type, lastType)} . 0-255`);
      at = (lastType + 1) * 256;
    } else {
      const end = Math.min(hi, typeEnd);
      out.push(`${type} . ${rangeText(code, end & 255)}`);
      at = end + 1;
    }
  }
  return out;
}
