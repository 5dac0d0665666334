// Whether the flows one rule matches are all matched by other rules: the engine's compiled fields, piece by piece of the key space.
import { everyAddress, normalizeRanges, prefixRange, rangesCover, type AddressRange } from './address-ranges.js';
import { REMOTE_ANY, REMOTE_GROUP, REMOTE_NONE, REMOTE_PREFIX, type CompiledRule } from './compiled-rule.js';
import { KEY_MAX, KEY_MIN } from './key-intervals.js';

/** The keys a rule admits: an any-protocol rule admits every key (as policy-index widens it). */
export function keyLo(r: CompiledRule): number {
  return r.protocol < 0 ? KEY_MIN : r.keyLo;
}
export function keyHi(r: CompiledRule): number {
  return r.protocol < 0 ? KEY_MAX : r.keyHi;
}

export function versionOfSlot(slot: number): 4 | 6 {
  return (slot & 1) === 1 ? 6 : 4;
}

const rangeCache = new WeakMap<CompiledRule, AddressRange>();

/** The addresses an any- or prefix-remote rule admits, as one range. */
export function remoteRange(r: CompiledRule): AddressRange {
  let range = rangeCache.get(r);
  if (range === undefined) {
    range = r.remote === REMOTE_ANY ? everyAddress(versionOfSlot(r.slot)) : prefixRange(r.words, r.prefixLength);
    rangeCache.set(r, range);
  }
  return range;
}

export function isAddressRemote(r: CompiledRule): boolean {
  return r.remote === REMOTE_ANY || r.remote === REMOTE_PREFIX;
}

/** True when the rule admits every address of its IP version (no remote, or a /0). */
export function admitsEveryAddress(r: CompiledRule): boolean {
  if (r.remote === REMOTE_ANY) return true;
  if (r.remote !== REMOTE_PREFIX) return false;
  const [s, e] = remoteRange(r);
  const all = everyAddress(versionOfSlot(r.slot));
  return s === all[0] && e === all[1];
}

/** Could `o` admit some flow of `r`: same slot, a protocol that takes in r's, overlapping keys, a remote that may cover r's. */
function mayCover(o: CompiledRule, r: CompiledRule): boolean {
  if (o === r || o.slot !== r.slot || o.remote === REMOTE_NONE) return false;
  if (o.protocol >= 0 && o.protocol !== r.protocol) return false;
  if (keyHi(o) < keyLo(r) || keyLo(o) > keyHi(r)) return false;
  // Remote groups are compared by name, never by their members of the moment: membership changes with no rule change.
  if (o.remote === REMOTE_GROUP) return r.remote === REMOTE_GROUP && o.remoteGroup === r.remoteGroup;
  return true;
}

function remoteCovered(r: CompiledRule, active: readonly CompiledRule[]): boolean {
  if (r.remote === REMOTE_GROUP && active.some((o) => o.remote === REMOTE_GROUP)) return true;
  const ranges = active.filter(isAddressRemote).map(remoteRange);
  if (ranges.length === 0) return false;
  if (r.remote === REMOTE_GROUP) return ranges.some(([s, e]) => { const all = everyAddress(versionOfSlot(r.slot)); return s === all[0] && e === all[1]; });
  return rangesCover(ranges, remoteRange(r));
}

/**
 * True when every flow rule `r` matches is matched by some rule of `others` (the union, not one rule).
 * A remote group counts as covered only by the same remote group or by a rule open to every address.
 * Rules that match nothing here (address groups, not modelled) are never reported as covered.
 */
export function isCovered(r: CompiledRule, others: Iterable<CompiledRule>, skip?: ReadonlySet<CompiledRule>): boolean {
  if (r.remote === REMOTE_NONE) return false;
  const lo = keyLo(r);
  const hi = keyHi(r);
  const candidates: CompiledRule[] = [];
  for (const o of others) if (mayCover(o, r) && skip?.has(o) !== true) candidates.push(o);
  if (candidates.length === 0) return false;
  const cuts = new Set<number>([lo]);
  for (const o of candidates) {
    if (keyLo(o) > lo) cuts.add(keyLo(o));
    if (keyHi(o) < hi) cuts.add(keyHi(o) + 1);
  }
  for (const c of cuts) {
    const active = candidates.filter((o) => keyLo(o) <= c && keyHi(o) >= c);
    if (!remoteCovered(r, active)) return false;
  }
  return true;
}

/** Rules filed by slot and protocol, so that the rules that could cover one are found without a scan. */
export class RuleBuckets {
  readonly #buckets = new Map<number, CompiledRule[]>();

  constructor(rules: Iterable<CompiledRule>) {
    for (const r of rules) {
      const k = r.slot * 257 + r.protocol + 1;
      const list = this.#buckets.get(k);
      if (list === undefined) this.#buckets.set(k, [r]);
      else list.push(r);
    }
  }

  /** Rules of r's slot with r's protocol or any protocol: the only ones that can cover it. */
  candidates(r: CompiledRule): CompiledRule[] {
    const any = this.#buckets.get(r.slot * 257) ?? [];
    if (r.protocol < 0) return any;
    const same = this.#buckets.get(r.slot * 257 + r.protocol + 1) ?? [];
    return any.length === 0 ? same : same.length === 0 ? any : [...same, ...any];
  }
}

/** What a set of rules admits on one key piece, written so that equal address sets give equal text. */
function remoteText(rules: readonly CompiledRule[], version: 4 | 6): string {
  if (rules.some(admitsEveryAddress)) return 'A';
  const ranges = normalizeRanges(rules.filter(isAddressRemote).map(remoteRange));
  const all = everyAddress(version);
  if (ranges.length === 1 && ranges[0]![0] === all[0] && ranges[0]![1] === all[1]) return 'A';
  const groups = [...new Set(rules.filter((r) => r.remote === REMOTE_GROUP).map((r) => r.rule.remoteGroupId))].sort();
  const addressGroups = [...new Set(rules.filter((r) => r.remote === REMOTE_NONE && r.rule.remoteAddressGroupId !== null).map((r) => r.rule.remoteAddressGroupId))].sort();
  return `${ranges.map(([s, e]) => `${s.toString(16)}-${e.toString(16)}`).join(',')}|${groups.join(',')}|${addressGroups.join(',')}`;
}

/** The admitted keys of a protocol as pieces `start:remotes`, adjacent equal pieces merged: one sweep over the rules' ends. */
function pieces(rules: readonly CompiledRule[], version: 4 | 6): string {
  const events = new Map<number, { add: CompiledRule[]; drop: CompiledRule[] }>();
  const at = (k: number) => {
    let e = events.get(k);
    if (e === undefined) events.set(k, (e = { add: [], drop: [] }));
    return e;
  };
  at(KEY_MIN);
  for (const r of rules) {
    at(keyLo(r)).add.push(r);
    if (keyHi(r) < KEY_MAX) at(keyHi(r) + 1).drop.push(r);
  }
  const active = new Set<CompiledRule>();
  const out: string[] = [];
  let last = '';
  for (const [c, e] of [...events].sort((a, b) => a[0] - b[0])) {
    for (const r of e.drop) active.delete(r);
    for (const r of e.add) active.add(r);
    const text = active.size === 0 ? '-' : remoteText([...active], version);
    if (text !== last) out.push(`${c}:${text}`);
    last = text;
  }
  return out.join(' ');
}

/**
 * A canonical text of what a set of rules admits: equal for two rule sets that admit exactly the same
 * flows (remote groups by name). Per slot: every protocol no rule names, then each named protocol whose
 * admission differs from that.
 */
export function canonicalPolicy(rules: readonly CompiledRule[]): string {
  const parts: string[] = [];
  for (let slot = 0; slot < 4; slot++) {
    const inSlot = rules.filter((r) => r.slot === slot);
    if (inSlot.length === 0) continue;
    const version = versionOfSlot(slot);
    const anyProtocol = inSlot.filter((r) => r.protocol < 0);
    const rest = pieces(anyProtocol, version);
    parts.push(`${slot}*${rest}`);
    for (const p of [...new Set(inSlot.map((r) => r.protocol).filter((p) => p >= 0))].sort((a, b) => a - b)) {
      const text = pieces(inSlot.filter((r) => r.protocol === p || r.protocol < 0), version);
      if (text !== rest) parts.push(`${slot}/${p}:${text}`);
    }
  }
  return parts.join(';');
}
