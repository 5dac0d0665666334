// The key space of one bucket cut at every rule boundary; each segment holds a bitmask of which remotes could match there.

/** Segment starts (ascending, first 0) and, per segment, `words` 32-bit words of bits. */
export interface KeySegments {
  readonly starts: Int32Array;
  readonly words: number;
  readonly bits: Int32Array;
}

/** Builds segments from tagged interval lists: `tagged[bit]` is a flat [lo, hi, ...] list for that bit. */
export function buildSegments(tagged: readonly (readonly number[])[]): KeySegments {
  const cuts = new Set<number>([0]);
  for (const flat of tagged) for (let i = 0; i < flat.length; i += 2) cuts.add(flat[i]!).add(flat[i + 1]! + 1);
  const starts = Int32Array.from([...cuts].filter((c) => c <= 65535).sort((a, b) => a - b));
  const words = Math.max(1, Math.ceil(tagged.length / 32));
  const bits = new Int32Array(starts.length * words);
  const delta = new Int32Array(starts.length + 1);
  tagged.forEach((flat, bit) => {
    if (flat.length === 0) return;
    delta.fill(0);
    for (let i = 0; i < flat.length; i += 2) {
      delta[segmentOf(starts, flat[i]!)]!++;
      const end = flat[i + 1]! + 1;
      delta[end > 65535 ? starts.length : segmentOf(starts, end)]!--;
    }
    // A difference array per bit: O(segments) whatever the number or width of the intervals.
    for (let seg = 0, depth = 0; seg < starts.length; seg++) {
      depth += delta[seg]!;
      if (depth > 0) bits[seg * words + (bit >> 5)]! |= 1 << (bit & 31);
    }
  });
  return { starts, words, bits };
}

/** Index of the segment holding `key`: the last start ≤ key. */
export function segmentOf(starts: Int32Array, key: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function hasBit(s: KeySegments, segment: number, bit: number): boolean {
  return ((s.bits[segment * s.words + (bit >> 5)]! >>> (bit & 31)) & 1) === 1;
}
