// Prefixes (network words + length) mapped to values; a lookup probes once per prefix length present, longest first.
import { AddressTable } from './address-table.js';
import { maskWord } from './address-words.js';

export class PrefixMap<T> {
  readonly #table = new AddressTable();
  readonly #values: (T | undefined)[] = [];
  readonly #free: number[] = [];
  readonly #countByLength = new Int32Array(129);
  /** Prefix lengths (in word space) that have at least one entry, longest first. */
  lengths: Int32Array = new Int32Array(0);

  get size(): number {
    return this.#table.size;
  }

  /** The value stored for exactly this prefix; the words need not be masked. */
  get(w: ArrayLike<number>, offset: number, len: number): T | undefined {
    const slot = this.#table.get(maskWord(w[offset]!, 0, len), maskWord(w[offset + 1]!, 1, len), maskWord(w[offset + 2]!, 2, len), maskWord(w[offset + 3]!, 3, len), len);
    return slot < 0 ? undefined : this.#values[slot];
  }

  /** The value stored for the prefix of length lengths[i] that contains the address, if any. */
  getAt(i: number, w0: number, w1: number, w2: number, w3: number): T | undefined {
    const len = this.lengths[i]!;
    const slot = this.#table.get(maskWord(w0, 0, len), maskWord(w1, 1, len), maskWord(w2, 2, len), maskWord(w3, 3, len), len);
    return slot < 0 ? undefined : this.#values[slot];
  }

  set(w: ArrayLike<number>, offset: number, len: number, value: T): void {
    const m0 = maskWord(w[offset]!, 0, len);
    const m1 = maskWord(w[offset + 1]!, 1, len);
    const m2 = maskWord(w[offset + 2]!, 2, len);
    const m3 = maskWord(w[offset + 3]!, 3, len);
    const existing = this.#table.get(m0, m1, m2, m3, len);
    if (existing >= 0) {
      this.#values[existing] = value;
      return;
    }
    const slot = this.#free.pop() ?? this.#values.length;
    this.#values[slot] = value;
    this.#table.set(m0, m1, m2, m3, len, slot);
    if (this.#countByLength[len]!++ === 0) this.#refreshLengths();
  }

  delete(w: ArrayLike<number>, offset: number, len: number): boolean {
    const m0 = maskWord(w[offset]!, 0, len);
    const m1 = maskWord(w[offset + 1]!, 1, len);
    const m2 = maskWord(w[offset + 2]!, 2, len);
    const m3 = maskWord(w[offset + 3]!, 3, len);
    const slot = this.#table.get(m0, m1, m2, m3, len);
    if (slot < 0) return false;
    this.#table.delete(m0, m1, m2, m3, len);
    this.#values[slot] = undefined;
    this.#free.push(slot);
    if (--this.#countByLength[len]! === 0) this.#refreshLengths();
    return true;
  }

  #refreshLengths(): void {
    const out: number[] = [];
    for (let len = 128; len >= 0; len--) if (this.#countByLength[len]! > 0) out.push(len);
    this.lengths = Int32Array.from(out);
  }

  get byteLength(): number {
    return this.#table.byteLength + this.#values.length * 8;
  }
}
