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
