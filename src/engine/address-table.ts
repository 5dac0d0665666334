// An open-addressing hash table from (four address words, prefix length) to a small integer, without allocation on lookup.

const EMPTY = -1;
/** Four address words, the prefix length, then the value: one slot is 24 bytes, mostly one cache line. */
const KEY_WIDTH = 6;
const VALUE = 5;

function hashKey(w0: number, w1: number, w2: number, w3: number, len: number): number {
  let h = Math.imul(w3 ^ len, 0x9e3779b1);
  h = Math.imul(h ^ w2 ^ (h >>> 15), 0x85ebca77);
  h = Math.imul(h ^ w1 ^ (h >>> 13), 0xc2b2ae3d);
  h = Math.imul(h ^ w0 ^ (h >>> 16), 0x27d4eb2f);
  return h ^ (h >>> 15);
}

function emptySlots(capacity: number): Int32Array {
  const keys = new Int32Array(capacity * KEY_WIDTH);
  for (let at = VALUE; at < keys.length; at += KEY_WIDTH) keys[at] = EMPTY;
  return keys;
}

/** Linear probing with backward-shift deletion, so deletes leave no tombstones behind. */
export class AddressTable {
  #keys: Int32Array;
  #mask: number;
  #size = 0;

  constructor(initialCapacity = 8) {
    let capacity = 8;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.#keys = emptySlots(capacity);
    this.#mask = capacity - 1;
  }

  get size(): number {
    return this.#size;
  }

  /** The value stored for the key, or -1. */
  get(w0: number, w1: number, w2: number, w3: number, len: number): number {
    const keys = this.#keys;
    for (let slot = hashKey(w0, w1, w2, w3, len) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const at = slot * KEY_WIDTH;
      const value = keys[at + VALUE]!;
      if (value === EMPTY) return EMPTY;
      if (keys[at + 3] === w3 && keys[at + 4] === len && keys[at + 2] === w2 && keys[at + 1] === w1 && keys[at] === w0) return value;
    }
  }

  /** Stores a non-negative value under the key, replacing any previous one. */
  set(w0: number, w1: number, w2: number, w3: number, len: number, value: number): void {
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#grow();
    const keys = this.#keys;
    let slot = hashKey(w0, w1, w2, w3, len) & this.#mask;
    for (; keys[slot * KEY_WIDTH + VALUE] !== EMPTY; slot = (slot + 1) & this.#mask) {
      const at = slot * KEY_WIDTH;
      if (keys[at] === w0 && keys[at + 1] === w1 && keys[at + 2] === w2 && keys[at + 3] === w3 && keys[at + 4] === len) {
        keys[at + VALUE] = value;
        return;
      }
    }
    const at = slot * KEY_WIDTH;
    keys[at] = w0;
    keys[at + 1] = w1;
    keys[at + 2] = w2;
    keys[at + 3] = w3;
    keys[at + 4] = len;
    keys[at + VALUE] = value;
    this.#size++;
  }

  delete(w0: number, w1: number, w2: number, w3: number, len: number): boolean {
    const keys = this.#keys;
    const mask = this.#mask;
    let slot = hashKey(w0, w1, w2, w3, len) & mask;
    for (; ; slot = (slot + 1) & mask) {
      const at = slot * KEY_WIDTH;
      if (keys[at + VALUE] === EMPTY) return false;
      if (keys[at] === w0 && keys[at + 1] === w1 && keys[at + 2] === w2 && keys[at + 3] === w3 && keys[at + 4] === len) break;
    }
    let hole = slot;
    for (let next = (hole + 1) & mask; keys[next * KEY_WIDTH + VALUE] !== EMPTY; next = (next + 1) & mask) {
      const at = next * KEY_WIDTH;
      const home = hashKey(keys[at]!, keys[at + 1]!, keys[at + 2]!, keys[at + 3]!, keys[at + 4]!) & mask;
      // Move the entry back only if the hole lies on its probe path (between its home and where it sits).
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        keys.copyWithin(hole * KEY_WIDTH, at, at + KEY_WIDTH);
        hole = next;
      }
    }
    keys[hole * KEY_WIDTH + VALUE] = EMPTY;
    this.#size--;
    return true;
  }

  #grow(): void {
    const old = this.#keys;
    const capacity = (this.#mask + 1) * 2;
    this.#keys = emptySlots(capacity);
    this.#mask = capacity - 1;
    this.#size = 0;
    for (let at = 0; at < old.length; at += KEY_WIDTH) {
      if (old[at + VALUE] !== EMPTY) this.set(old[at]!, old[at + 1]!, old[at + 2]!, old[at + 3]!, old[at + 4]!, old[at + VALUE]!);
    }
  }

  /** Bytes held by the typed arrays (for memory reports). */
  get byteLength(): number {
    return this.#keys.byteLength;
  }
}
