// The key space of one bucket cut at every rule boundary; each segment holds a bitmask of which remotes could match there.

/** Segment starts (ascending, first 0) and, per segment, `words` 32-bit words of bits. */
export interface KeySegments {
  readonly starts: Int32Array;
  readonly words: number;
  readonly bits: Int32Array;
  /**
   * For many segments: blocks[j] = the segment holding key j·256 (blocks[256] = the last segment), so a
   * lookup searches only the segments of its 256-key block. It keeps a 10,000-rule bucket's search as
   * short as a 10-rule one's: the search, not the probes, is what grows with the rule count.
   */
  readonly blocks: Int32Array | null;
}

/** Below this many segments a plain binary search is as short as the block lookup. */
const BLOCKS_FROM = 32;

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
  return { starts, words, bits, blocks: starts.length < BLOCKS_FROM ? null : blockIndex(starts) };
}

function blockIndex(starts: Int32Array): Int32Array {
  const blocks = new Int32Array(257);
  for (let j = 0; j < 256; j++) blocks[j] = segmentOf(starts, j << 8);
  blocks[256] = starts.length - 1;
  return blocks;
}

/** Index of the segment holding `key` (0–65535). */
export function segmentAt(s: KeySegments, key: number): number {
  const blocks = s.blocks;
  if (blocks === null) return segmentOf(s.starts, key);
  const j = key >> 8;
  return searchBetween(s.starts, key, blocks[j]!, blocks[j + 1]!);
}

/** Index of the segment holding `key`: the last start ≤ key. */
export function segmentOf(starts: Int32Array, key: number): number {
  return searchBetween(starts, key, 0, starts.length - 1);
}

/** The last start ≤ key among starts[lo..hi], given starts[lo] ≤ key. */
function searchBetween(starts: Int32Array, key: number, lo: number, hi: number): number {
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
