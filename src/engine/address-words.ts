// Addresses as words in the engine's key space (IPv4 as ::a.b.c.d with its prefix length + 96), and prefix masks on words.

/** IPv4 prefixes live in the low word, so a /n IPv4 prefix is a /(n + 96) in word space. */
export const V4_OFFSET = 96;

/** Word `k` (0 = most significant) of an address masked to a prefix of `bits` in word space (0–128). */
export function maskWord(word: number, k: number, bits: number): number {
  const keep = bits - 32 * k;
  if (keep <= 0) return 0;
  if (keep >= 32) return word;
  return word & (-1 << (32 - keep));
}
