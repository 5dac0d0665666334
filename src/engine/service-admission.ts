// What one port admits on one service: every address, or the addresses in some rule prefixes and remote groups.
import { maskWord } from './address-words.js';
import { REMOTE_ANY, REMOTE_GROUP, REMOTE_PREFIX, type CompiledRule } from './compiled-rule.js';
import { PrefixMap } from './prefix-map.js';

/** A set of remote addresses, as the rules name them: all, or the union of some prefixes and some groups' members. */
export interface Admission {
  readonly id: number;
  readonly any: boolean;
  /** Prefix ids (see AdmissionTable.prefixes), sorted. */
  readonly prefixes: readonly number[];
  /** Interned remote groups, sorted. */
  readonly groups: readonly number[];
}

/** One service seen from a port: its rule slot, protocol number and key (port or ICMP type × 256 + code). */
export interface ServiceKey {
  readonly slot: number;
  readonly protocol: number;
  readonly key: number;
}

function sortedUnique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Interns admissions, so that ports admitting the same addresses share one id, and numbers the rule
 * prefixes they name (a PrefixMap then tells which of them hold an address).
 */
export class AdmissionTable {
  readonly all: Admission[] = [];
  readonly #byKey = new Map<string, Admission>();
  readonly #prefixIds = new Map<string, number>();
  readonly prefixes = new PrefixMap<number>();
  /** Remote groups named by some admission: the only memberships that can tell two addresses apart. */
  readonly groups = new Set<number>();
  readonly anyAddress: Admission = this.#intern(true, [], []);
  readonly noAddress: Admission = this.#intern(false, [], []);

  #intern(any: boolean, prefixes: number[], groups: number[]): Admission {
    const key = any ? 'A' : `${prefixes.join(',')}/${groups.join(',')}`;
    let found = this.#byKey.get(key);
    if (found === undefined) {
      found = { id: this.all.length, any, prefixes, groups };
      this.all.push(found);
      this.#byKey.set(key, found);
      for (const g of groups) this.groups.add(g);
    }
    return found;
  }

  #prefixId(r: CompiledRule): number {
    const network = r.words.map((w, k) => maskWord(w, k, r.prefixLength));
    const key = `${network.join(',')}/${r.prefixLength}`;
    let id = this.#prefixIds.get(key);
    if (id === undefined) {
      id = this.#prefixIds.size;
      this.#prefixIds.set(key, id);
      this.prefixes.set(network, 0, r.prefixLength, id);
    }
    return id;
  }

  /** The addresses the rules admit a service from (ingress) or to (egress). */
  ofRules(rules: Iterable<CompiledRule>, s: ServiceKey): Admission {
    const prefixes: number[] = [];
    const groups: number[] = [];
    for (const r of rules) {
      if (r.slot !== s.slot) continue;
      // An any-protocol rule admits every key (policy-index widens it the same way).
      if (r.protocol >= 0 && (r.protocol !== s.protocol || s.key < r.keyLo || s.key > r.keyHi)) continue;
      if (r.remote === REMOTE_ANY || (r.remote === REMOTE_PREFIX && r.prefixLength === 0)) return this.anyAddress;
      if (r.remote === REMOTE_PREFIX) prefixes.push(this.#prefixId(r));
      else if (r.remote === REMOTE_GROUP) groups.push(r.remoteGroup);
    }
    return this.#intern(false, sortedUnique(prefixes), sortedUnique(groups));
  }

  /** The union of admissions (a port's groups each admit some addresses). */
  union(parts: readonly Admission[]): Admission {
    if (parts.length === 1) return parts[0]!;
    if (parts.some((p) => p.any)) return this.anyAddress;
    return this.#intern(false, sortedUnique(parts.flatMap((p) => p.prefixes)), sortedUnique(parts.flatMap((p) => p.groups)));
  }
}
