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

/** Mutable builder for an NftState. */
export class StateBuilder {
  readonly #sets = new Map<string, { name: string; type: string; map: boolean; interval: boolean; elements: Map<string, string> }>();
  readonly #chains = new Map<string, string[]>();

  set(name: string, type: string, options: { map?: boolean; interval?: boolean } = {}): Map<string, string> {
    let s = this.#sets.get(name);
    if (!s) {
      s = { name, type, map: options.map ?? false, interval: options.interval ?? false, elements: new Map() };
      this.#sets.set(name, s);
    }
    return s.elements;
  }

  hasSet(name: string): boolean {
    return this.#sets.has(name);
  }

  chain(name: string, rules: string[]): void {
    this.#chains.set(name, rules);
  }

  hasChain(name: string): boolean {
    return this.#chains.has(name);
  }

  build(): NftState {
    return { sets: new Map(this.#sets), chains: new Map(this.#chains) };
  }
}

/** An nft identifier from an API id (uuids keep their letters; anything else becomes `_`). */
export function idPart(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '_');
}
