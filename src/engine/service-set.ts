// Sets of services (protocol × key) with exact union, intersection and difference: what one side admits, what a change gains.
import { protocolLabel } from '../domain/index.js';
import { KEY_ICMP, KEY_NONE, PROTOCOL_KEY_KIND } from './compiled-rule.js';
import { KEY_MAX, KEY_MIN } from './key-intervals.js';

/** Sorted disjoint closed intervals [lo, hi, lo, hi, ...] of keys. */
export type Keys = readonly number[];

export const ALL_KEYS: Keys = [KEY_MIN, KEY_MAX];
const NO_KEYS: Keys = [];

/**
 * Per protocol number, the keys in the set; every protocol not in `named` holds all its keys when `rest`,
 * none otherwise. A protocol without ports or ICMP type (gre, say) holds all its keys or none.
 */
export interface ServiceSet {
  readonly named: ReadonlyMap<number, Keys>;
  readonly rest: boolean;
}

export const NO_SERVICES: ServiceSet = { named: new Map(), rest: false };
export const ALL_SERVICES: ServiceSet = { named: new Map(), rest: true };

export function keysOf(s: ServiceSet, protocol: number): Keys {
  return s.named.get(protocol) ?? (s.rest ? ALL_KEYS : NO_KEYS);
}

function mergeKeys(a: Keys, b: Keys): Keys {
  const flat = [...a, ...b];
  const order = Array.from({ length: flat.length >> 1 }, (_, i) => i).sort((x, y) => flat[x * 2]! - flat[y * 2]!);
  const out: number[] = [];
  for (const i of order) {
    const lo = flat[i * 2]!;
    const hi = flat[i * 2 + 1]!;
    if (out.length > 0 && lo <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function intersectKeys(a: Keys, b: Keys): Keys {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!);
    const hi = Math.min(a[i + 1]!, b[j + 1]!);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

function subtractKeys(a: Keys, b: Keys): Keys {
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i]!;
    const hi = a[i + 1]!;
    for (let j = 0; j < b.length && lo <= hi; j += 2) {
      if (b[j + 1]! < lo || b[j]! > hi) continue;
      if (b[j]! > lo) out.push(lo, b[j]! - 1);
      lo = b[j + 1]! + 1;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

const sameKeys = (a: Keys, b: Keys) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Builds a set, leaving out named protocols that hold exactly what `rest` says: equal sets get equal forms. */
export function serviceSet(named: Iterable<[number, Keys]>, rest: boolean): ServiceSet {
  const out = new Map<number, Keys>();
  for (const [p, keys] of named) {
    const k = PROTOCOL_KEY_KIND[p] === KEY_NONE && keys.length > 0 ? ALL_KEYS : keys;
    if (!sameKeys(k, rest ? ALL_KEYS : NO_KEYS)) out.set(p, k);
  }
  return out.size === 0 ? (rest ? ALL_SERVICES : NO_SERVICES) : { named: out, rest };
}

function combine(a: ServiceSet, b: ServiceSet, keys: (x: Keys, y: Keys) => Keys, rest: boolean): ServiceSet {
  const protocols = new Set([...a.named.keys(), ...b.named.keys()]);
  return serviceSet([...protocols].map((p) => [p, keys(keysOf(a, p), keysOf(b, p))]), rest);
}

export const unionOf = (a: ServiceSet, b: ServiceSet) => combine(a, b, mergeKeys, a.rest || b.rest);
export const intersectionOf = (a: ServiceSet, b: ServiceSet) => combine(a, b, intersectKeys, a.rest && b.rest);
export const differenceOf = (a: ServiceSet, b: ServiceSet) => combine(a, b, subtractKeys, a.rest && !b.rest);

export function isEmptySet(s: ServiceSet): boolean {
  return !s.rest && [...s.named.values()].every((k) => k.length === 0);
}

export function sameSet(a: ServiceSet, b: ServiceSet): boolean {
  return isEmptySet(differenceOf(a, b)) && isEmptySet(differenceOf(b, a));
}

/** True when the set holds this protocol and key. */
export function hasService(s: ServiceSet, protocol: number, key: number): boolean {
  const keys = keysOf(s, protocol);
  const k = PROTOCOL_KEY_KIND[protocol] === KEY_NONE ? KEY_MIN : key;
  for (let i = 0; i < keys.length; i += 2) if (k >= keys[i]! && k <= keys[i + 1]!) return true;
  return false;
}

/** One key interval as text: `tcp/22`, `tcp/1000-2000`, `icmp/8` (every code), `icmp/3:1`, `gre`. */
export function keysLabel(protocol: number, lo: number, hi: number): string {
  const name = protocolLabel(String(protocol));
  const kind = PROTOCOL_KEY_KIND[protocol];
  if (kind === KEY_NONE || (lo === KEY_MIN && hi === KEY_MAX)) return name;
  if (kind === KEY_ICMP) {
    const [t0, c0, t1, c1] = [lo >> 8, lo & 255, hi >> 8, hi & 255];
    if (c0 === 0 && c1 === 255) return t0 === t1 ? `${name}/${t0}` : `${name}/${t0}-${t1}`;
    return lo === hi ? `${name}/${t0}:${c0}` : `${name}/${t0}:${c0}-${t1}:${c1}`;
  }
  return lo === hi ? `${name}/${lo}` : `${name}/${lo}-${hi}`;
}

/** The set as labels; `any other protocol` stands for `rest`. */
export function setLabels(s: ServiceSet): string[] {
  const out: string[] = [];
  for (const [p, keys] of [...s.named].sort((a, b) => a[0] - b[0])) for (let i = 0; i < keys.length; i += 2) out.push(keysLabel(p, keys[i]!, keys[i + 1]!));
  if (s.rest) out.push(s.named.size === 0 ? 'any protocol' : 'any other protocol');
  return out;
}
