// An open-addressing hash table from (four address words, prefix length) to a small integer, without allocation on lookup.

const EMPTY = -1;
const KEY_WIDTH = 5;

function hashKey(w0: number, w1: number, w2: number, w3: number, len: number): number {
  let h = Math.imul(w3 ^ len, 0x9e3779b1);
  h = Math.imul(h ^ w2 ^ (h >>> 15), 0x85ebca77);
  h = Math.imul(h ^ w1 ^ (h >>> 13), 0xc2b2ae3d);
  h = Math.imul(h ^ w0 ^ (h >>> 16), 0x27d4eb2f);
  return h ^ (h >>> 15);
}

/** Linear probing with backward-shift deletion, so deletes leave no tombstones behind. */
export class AddressTable {
  #keys: Int32Array;
  #values: Int32Array;
  #mask: number;
  #size = 0;

  constructor(initialCapacity = 8) {
    let capacity = 8;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.#keys = new Int32Array(capacity * KEY_WIDTH);
    this.#values = new Int32Array(capacity).fill(EMPTY);
    this.#mask = capacity - 1;
  }

  get size(): number {
    return this.#size;
  }

  /** The value stored for the key, or -1. */
  get(w0: number, w1: number, w2: number, w3: number, len: number): number {
    const keys = this.#keys;
    const values = this.#values;
    for (let slot = hashKey(w0, w1, w2, w3, len) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const value = values[slot]!;
      if (value === EMPTY) return EMPTY;
      const at = slot * KEY_WIDTH;
      if (keys[at + 3] === w3 && keys[at + 4] === len && keys[at + 2] === w2 && keys[at + 1] === w1 && keys[at] === w0) return value;
    }
  }

  /** Stores a non-negative value under the key, replacing any previous one. */
  set(w0: number, w1: number, w2: number, w3: number, len: number, value: number): void {
    if ((this.#size + 1) * 2 > this.#values.length) this.#grow();
    const keys = this.#keys;
    let slot = hashKey(w0, w1, w2, w3, len) & this.#mask;
    for (; this.#values[slot] !== EMPTY; slot = (slot + 1) & this.#mask) {
      const at = slot * KEY_WIDTH;
      if (keys[at] === w0 && keys[at + 1] === w1 && keys[at + 2] === w2 && keys[at + 3] === w3 && keys[at + 4] === len) {
        this.#values[slot] = value;
        return;
      }
    }
    const at = slot * KEY_WIDTH;
    keys[at] = w0;
    keys[at + 1] = w1;
    keys[at + 2] = w2;
    keys[at + 3] = w3;
    keys[at + 4] = len;
    this.#values[slot] = value;
    this.#size++;
  }

  delete(w0: number, w1: number, w2: number, w3: number, len: number): boolean {
    const keys = this.#keys;
    const values = this.#values;
    const mask = this.#mask;
    let slot = hashKey(w0, w1, w2, w3, len) & mask;
    for (; ; slot = (slot + 1) & mask) {
      if (values[slot] === EMPTY) return false;
      const at = slot * KEY_WIDTH;
      if (keys[at] === w0 && keys[at + 1] === w1 && keys[at + 2] === w2 && keys[at + 3] === w3 && keys[at + 4] === len) break;
    }
    let hole = slot;
    for (let next = (hole + 1) & mask; values[next] !== EMPTY; next = (next + 1) & mask) {
      const at = next * KEY_WIDTH;
      const home = hashKey(keys[at]!, keys[at + 1]!, keys[at + 2]!, keys[at + 3]!, keys[at + 4]!) & mask;
      // Move the entry back only if the hole lies on its probe path (between its home and where it sits).
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        keys.copyWithin(hole * KEY_WIDTH, at, at + KEY_WIDTH);
        values[hole] = values[next]!;
        hole = next;
      }
    }
    values[hole] = EMPTY;
    this.#size--;
    return true;
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldValues = this.#values;
    const capacity = oldValues.length * 2;
    this.#keys = new Int32Array(capacity * KEY_WIDTH);
    this.#values = new Int32Array(capacity).fill(EMPTY);
    this.#mask = capacity - 1;
    this.#size = 0;
    for (let slot = 0; slot < oldValues.length; slot++) {
      const value = oldValues[slot]!;
      if (value === EMPTY) continue;
      const at = slot * KEY_WIDTH;
      this.set(oldKeys[at]!, oldKeys[at + 1]!, oldKeys[at + 2]!, oldKeys[at + 3]!, oldKeys[at + 4]!, value);
    }
  }

  /** Bytes held by the typed arrays (for memory reports). */
  get byteLength(): number {
    return this.#keys.byteLength + this.#values.byteLength;
  }
}
