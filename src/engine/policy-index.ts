// A group set's rules compiled into an index: per direction/ether type, per protocol, per remote, merged key intervals.
import { maskWord } from './address-words.js';
import { type CompiledRule, REMOTE_ANY, REMOTE_GROUP, REMOTE_PREFIX } from './compiled-rule.js';
import { KEY_MAX, KEY_MIN, coversKey, mergeIntervals } from './key-intervals.js';
import { buildSegments, hasBit, segmentAt, type KeySegments } from './key-segments.js';
import type { MemberEntry } from './membership-index.js';
import { PrefixMap } from './prefix-map.js';

/** Segment bits: 0 = a rule with no remote admits the key, 1 = some remote-group rule does, 2 + i = some prefix of lengths[i] does. */
const BIT_ANY = 0;
const BIT_GROUP = 1;
const BIT_PREFIX = 2;

/** The rules of one (slot, protocol) bucket, split by the kind of remote they name. */
export interface RemoteIndex {
  /** Which kinds of remote could admit each key: one binary search tells which probes are worth making. */
  readonly segments: KeySegments;
  readonly prefixes: PrefixMap<Int32Array> | null;
  /** Interned remote group → keys admitted from its members. */
  readonly groups: Map<number, Int32Array> | null;
}

export interface SlotIndex {
  readonly anyProtocol: RemoteIndex | null;
  /** Indexed by IP protocol number 0–255. */
  readonly byProtocol: readonly (RemoteIndex | null)[];
}

export interface CompiledPolicy {
  /** Indexed by slot: 0 ingress IPv4, 1 ingress IPv6, 2 egress IPv4, 3 egress IPv6. */
  readonly slots: readonly SlotIndex[];
  readonly ruleCount: number;
}

interface BucketBuilder {
  any: number[];
  prefixes: Map<string, { words: Int32Array; len: number; keys: number[] }>;
  groups: Map<number, number[]>;
}

function addToBucket(b: BucketBuilder, r: CompiledRule): void {
  if (r.remote === REMOTE_ANY || (r.remote === REMOTE_PREFIX && r.prefixLength === 0)) b.any.push(r.keyLo, r.keyHi);
  else if (r.remote === REMOTE_PREFIX) {
    // Rules keep host bits (10.0.0.77/24); two spellings of one network must share one entry.
    const network = r.words.map((w, k) => maskWord(w, k, r.prefixLength));
    const id = `${network.join(',')}/${r.prefixLength}`;
    const entry = b.prefixes.get(id) ?? { words: network, len: r.prefixLength, keys: [] };
    entry.keys.push(r.keyLo, r.keyHi);
    b.prefixes.set(id, entry);
  } else if (r.remote === REMOTE_GROUP) {
    const keys = b.groups.get(r.remoteGroup) ?? [];
    keys.push(r.keyLo, r.keyHi);
    b.groups.set(r.remoteGroup, keys);
  }
}

function finishBucket(b: BucketBuilder): RemoteIndex {
  const tagged: number[][] = [b.any, [...b.groups.values()].flat()];
  let prefixes: PrefixMap<Int32Array> | null = null;
  if (b.prefixes.size > 0) {
    const map = new PrefixMap<Int32Array>();
    for (const p of b.prefixes.values()) map.set(p.words, 0, p.len, mergeIntervals(p.keys));
    const all = [...b.prefixes.values()];
    for (const len of map.lengths) tagged.push(all.filter((p) => p.len === len).flatMap((p) => p.keys));
    prefixes = map;
  }
  const groups = b.groups.size > 0 ? new Map([...b.groups].map(([g, keys]) => [g, mergeIntervals(keys)])) : null;
  return { segments: buildSegments(tagged), prefixes, groups };
}

/** Builds the index of a set of compiled rules (the union of a port's groups' rules). */
export function compilePolicy(rules: Iterable<CompiledRule>): CompiledPolicy {
  const builders = new Map<number, BucketBuilder>();
  let ruleCount = 0;
  for (const r of rules) {
    ruleCount++;
    const id = r.slot * 512 + r.protocol + 1;
    let b = builders.get(id);
    if (b === undefined) builders.set(id, (b = { any: [], prefixes: new Map(), groups: new Map() }));
    // Ranges only narrow protocols that have ports or ICMP type/code; an any-protocol rule admits every key.
    addToBucket(b, r.protocol < 0 ? { ...r, keyLo: KEY_MIN, keyHi: KEY_MAX } : r);
  }
  const slots: SlotIndex[] = [];
  for (let slot = 0; slot < 4; slot++) {
    const byProtocol: (RemoteIndex | null)[] = new Array<RemoteIndex | null>(256).fill(null);
    for (let p = 0; p < 256; p++) {
      const b = builders.get(slot * 512 + p + 1);
      if (b !== undefined) byProtocol[p] = finishBucket(b);
    }
    const any = builders.get(slot * 512);
    slots.push({ anyProtocol: any === undefined ? null : finishBucket(any), byProtocol });
  }
  return { slots, ruleCount };
}

function remoteAllows(b: RemoteIndex, key: number, a0: number, a1: number, a2: number, a3: number, members: PrefixMap<MemberEntry>): boolean {
  const segments = b.segments;
  const segment = segmentAt(segments, key);
  if (hasBit(segments, segment, BIT_ANY)) return true;
  const prefixes = b.prefixes;
  if (prefixes !== null) {
    for (let i = 0; i < prefixes.lengths.length; i++) {
      if (!hasBit(segments, segment, BIT_PREFIX + i)) continue;
      const keys = prefixes.getAt(i, a0, a1, a2, a3);
      if (keys !== undefined && coversKey(keys, key)) return true;
    }
  }
  const groups = b.groups;
  if (groups !== null && hasBit(segments, segment, BIT_GROUP)) {
    for (let i = 0; i < members.lengths.length; i++) {
      const entry = members.getAt(i, a0, a1, a2, a3);
      if (entry === undefined) continue;
      for (let j = 0; j < entry.groups.length; j++) {
        const keys = groups.get(entry.groups[j]!);
        if (keys !== undefined && coversKey(keys, key)) return true;
      }
    }
  }
  return false;
}

/** True when some rule of the policy admits the flow (remote address a0–a3, key of its protocol). */
export function policyAllows(
  policy: CompiledPolicy, slot: number, protocol: number, key: number,
  a0: number, a1: number, a2: number, a3: number, members: PrefixMap<MemberEntry>,
): boolean {
  const index = policy.slots[slot]!;
  const specific = index.byProtocol[protocol];
  if (specific !== null && specific !== undefined && remoteAllows(specific, key, a0, a1, a2, a3, members)) return true;
  const any = index.anyProtocol;
  return any !== null && remoteAllows(any, key, a0, a1, a2, a3, members);
}
