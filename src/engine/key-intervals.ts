// Sets of flow keys (an L4 port, or ICMP type × 256 + code) as sorted disjoint intervals in an Int32Array.

/** Every key a rule can match: all ports 0–65535, or every ICMP type and code. */
export const KEY_MIN = 0;
export const KEY_MAX = 65535;

/** True when `key` lies in one of the intervals [lo0, hi0, lo1, hi1, ...]. */
export function coversKey(intervals: Int32Array, key: number): boolean {
  let lo = 0;
  let hi = (intervals.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key < intervals[mid * 2]!) hi = mid - 1;
    else if (key > intervals[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Merges intervals given as a flat [lo, hi, ...] list (any order, overlapping) into sorted disjoint ones. */
export function mergeIntervals(flat: readonly number[]): Int32Array {
  const count = flat.length >> 1;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => flat[a * 2]! - flat[b * 2]!);
  const out: number[] = [];
  for (const i of order) {
    const lo = flat[i * 2]!;
    const hi = flat[i * 2 + 1]!;
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return Int32Array.from(out);
}
