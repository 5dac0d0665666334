// The nftables objects the agent wants in its table: named sets and maps, and regular chains (rule lines).

export interface NftSet {
  readonly name: string;
  /** `ipv4_addr`, `ifname : verdict`, `ipv4_addr . inet_proto . inet_service`, … */
  readonly type: string;
  readonly map: boolean;
  readonly interval: boolean;
  /** Element key → value (`''` for plain sets, the verdict for maps). */
  readonly elements: ReadonlyMap<string, string>;
}

export interface NftState {
  readonly sets: ReadonlyMap<string, NftSet>;
  readonly chains: ReadonlyMap<string, readonly string[]>;
}

export const EMPTY_STATE: NftState = { sets: new Map(), chains: new Map() };

export const TABLE = 'palisade';
export const EGRESS_MAP = 'egress_dispatch';
export const INGRESS_MAP = 'ingress_dispatch';
export const STATELESS_IF = 'stateless_if';
export const UNTRACK_CHAIN = 'untrack';
export const EGRESS_CHAIN = 'egress';
export const INGRESS_CHAIN = 'ingress';

/** Chains of the desired state that hook into the stack, by name: declared with this, removed like any other. */
export const HOOKED_CHAINS: Readonly<Record<string, string>> = {
  [UNTRACK_CHAIN]: 'type filter hook prerouting priority raw; policy accept;',
  [EGRESS_CHAIN]: 'type filter hook forward priority filter; policy accept;',
  [INGRESS_CHAIN]: 'type filter hook forward priority filter + 10; policy accept;',
};

/** A set (or, with `map`, a verdict map from `entries`) built once; never mutated afterwards, so states can share it. */
export function nftSet(name: string, type: string, keys: Iterable<string> | Iterable<readonly [string, string]>, options: { map?: boolean; interval?: boolean } = {}): NftSet {
  const elements = new Map<string, string>();
  for (const k of keys) typeof k === 'string' ? elements.set(k, '') : elements.set(k[0], k[1]);
  return { name, type, map: options.map ?? false, interval: options.interval ?? false, elements };
}

/** Same name, type, flags and elements. */
export function isSameSet(a: NftSet, b: NftSet): boolean {
  if (a === b) return true;
  if (a.name !== b.name || a.type !== b.type || a.map !== b.map || a.interval !== b.interval || a.elements.size !== b.elements.size) return false;
  for (const [k, v] of a.elements) if (b.elements.get(k) !== v) return false;
  return true;
}

export const isSameLines = (a: readonly string[], b: readonly string[]): boolean => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

/** An nft identifier from an API id (uuids keep their letters; anything else becomes `_`). */
export function idPart(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '_');
}

/**
 * Elements of a plain set as a shared base plus a small delta, so a set that gained or lost a few members
 * shares the rest with its previous version (no copy of 100,000 elements per join). Invariants: `added` and
 * the base are disjoint, `removed` is inside the base. Past a delta of an eighth of the base it is flattened.
 */
export class LayeredElements implements ReadonlyMap<string, string> {
  private constructor(readonly base: ReadonlyMap<string, string>, readonly added: ReadonlySet<string>, readonly removed: ReadonlySet<string>) {}

  /** `prev` with keys added and removed (plain sets: every value is ''). */
  static derive(prev: ReadonlyMap<string, string>, add: Iterable<string>, remove: Iterable<string>): ReadonlyMap<string, string> {
    const base = prev instanceof LayeredElements ? prev.base : prev;
    const added = new Set(prev instanceof LayeredElements ? prev.added : []);
    const removed = new Set(prev instanceof LayeredElements ? prev.removed : []);
    for (const k of remove) if (!added.delete(k) && base.has(k)) removed.add(k);
    for (const k of add) if (!removed.delete(k) && !base.has(k)) added.add(k);
    const layered = new LayeredElements(base, added, removed);
    return added.size + removed.size > Math.max(64, base.size / 8) ? new Map(layered) : layered;
  }

  get size(): number {
    return this.base.size - this.removed.size + this.added.size;
  }

  get(key: string): string | undefined {
    return this.added.has(key) ? '' : this.removed.has(key) ? undefined : this.base.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, string]> {
    for (const e of this.base) if (!this.removed.has(e[0])) yield e;
    for (const k of this.added) yield [k, ''];
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }

  forEach(fn: (value: string, key: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
}

/** Keys that may differ between two element maps when one derives from the other's base; null when unrelated (scan them all). */
export function candidateKeys(from: ReadonlyMap<string, string>, to: ReadonlyMap<string, string>): Set<string> | null {
  const baseOf = (m: ReadonlyMap<string, string>) => (m instanceof LayeredElements ? m.base : m);
  if (baseOf(from) !== baseOf(to)) return null;
  const out = new Set<string>();
  for (const m of [from, to]) if (m instanceof LayeredElements) for (const k of [...m.added, ...m.removed]) out.add(k);
  return out;
}
