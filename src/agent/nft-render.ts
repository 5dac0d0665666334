// Pure rendering of nft scripts: the whole table (start, resync) and the one-transaction diff between two states.
import { HOOKED_CHAINS, TABLE, candidateKeys, isSameLines, type NftSet, type NftState } from './nft-state.js';

const T = `inet ${TABLE}`;
const CHUNK = 4000;

/** A chain of the desired state; the hooked ones (see HOOKED_CHAINS) come and go with it, hook included. */
function declareChain(name: string): string {
  const hook = HOOKED_CHAINS[name];
  return `add chain ${T} ${name}${hook ? ` { ${hook} }` : ''}`;
}

function declareSet(s: NftSet): string {
  return `add ${s.map ? 'map' : 'set'} ${T} ${s.name} { type ${s.type};${s.interval ? ' flags interval;' : ''} }`;
}

function elementText(s: NftSet, key: string): string {
  return s.map ? `${key} : ${s.elements.get(key)!}` : key;
}

function elementLines(verb: 'add' | 'delete', s: NftSet, keys: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK).map((k) => (verb === 'add' ? elementText(s, k) : k));
    out.push(`${verb} element ${T} ${s.name} { ${part.join(', ')} }`);
  }
  return out;
}

function chainRules(name: string, rules: readonly string[]): string[] {
  return rules.map((r) => `add rule ${T} ${name} ${r}`);
}

/** Maps last: their verdicts jump to chains that must exist and be filled. */
const setsInOrder = (state: NftState): NftSet[] => [...state.sets.values()].sort((a, b) => Number(a.map) - Number(b.map));

/** Replaces the table in one transaction: no moment without filtering, no stale object left behind. */
export function renderFull(state: NftState): string {
  const lines = [`add table ${T}`, `delete table ${T}`, `add table ${T}`];
  for (const s of setsInOrder(state)) lines.push(declareSet(s));
  for (const name of state.chains.keys()) lines.push(declareChain(name));
  for (const s of setsInOrder(state).filter((x) => !x.map)) lines.push(...elementLines('add', s, [...s.elements.keys()]));
  for (const [name, rules] of state.chains) lines.push(...chainRules(name, rules));
  for (const s of setsInOrder(state).filter((x) => x.map)) lines.push(...elementLines('add', s, [...s.elements.keys()]));
  return lines.join('\n') + '\n';
}

/** Keys of `old` that `next` lacks or maps to another value (sets shared by both are not scanned). */
function removedKeys(old: NftSet, next: NftSet): string[] {
  const keys = candidateKeys(old.elements, next.elements) ?? old.elements.keys();
  return [...keys].filter((k) => old.elements.has(k) && next.elements.get(k) !== old.elements.get(k));
}

/** Keys of `s` that `old` (the same set as the kernel has it, if it has it) lacks or maps to another value. */
function addedKeys(old: NftSet | undefined, s: NftSet): string[] {
  if (old === s) return [];
  const keys = (old && candidateKeys(old.elements, s.elements)) ?? s.elements.keys();
  return [...keys].filter((k) => s.elements.has(k) && old?.elements.get(k) !== s.elements.get(k));
}

/**
 * The transaction that turns `from` (what the kernel has) into `to`: element adds and deletes for sets,
 * flush-and-refill for changed chains, and deletes last so nothing still referenced goes away. Empty when equal.
 * Sets and chains that are the same objects in both states are skipped without looking at their contents.
 */
export function renderDiff(from: NftState, to: NftState): string {
  const lines: string[] = [];
  for (const s of setsInOrder(to)) if (!from.sets.has(s.name)) lines.push(declareSet(s));
  for (const name of to.chains.keys()) if (!from.chains.has(name)) lines.push(declareChain(name));
  for (const old of from.sets.values()) {
    const next = to.sets.get(old.name);
    if (next && next !== old) lines.push(...elementLines('delete', old, removedKeys(old, next)));
  }
  for (const s of setsInOrder(to).filter((x) => !x.map)) lines.push(...elementLines('add', s, addedKeys(from.sets.get(s.name), s)));
  for (const [name, rules] of to.chains) {
    const old = from.chains.get(name);
    if (old && isSameLines(old, rules)) continue;
    if (old) lines.push(`flush chain ${T} ${name}`);
    lines.push(...chainRules(name, rules));
  }
  for (const s of setsInOrder(to).filter((x) => x.map)) lines.push(...elementLines('add', s, addedKeys(from.sets.get(s.name), s)));
  const removed = [...from.chains.keys()].filter((n) => !to.chains.has(n));
  for (const name of removed) lines.push(`flush chain ${T} ${name}`);
  for (const name of removed) lines.push(`delete chain ${T} ${name}`);
  for (const s of from.sets.values()) if (!to.sets.has(s.name)) lines.push(`delete ${s.map ? 'map' : 'set'} ${T} ${s.name}`);
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Element updates of one plain address set: what a member joining or leaving a group comes down to. */
export interface ElementChange {
  readonly set: string;
  readonly version: 4 | 6;
  readonly delete: boolean;
  readonly keys: readonly string[];
}

const ADDRESS_TYPES: Readonly<Record<string, 4 | 6>> = { ipv4_addr: 4, ipv6_addr: 6 };

/**
 * The same transaction as renderDiff, when it is nothing but element adds and deletes in plain (hash) address
 * sets, as structured changes (deletes first, as in the script) that a runner can send to the kernel without
 * parsing a script; null when anything else differs.
 */
export function elementDiff(from: NftState, to: NftState): ElementChange[] | null {
  if (from.sets.size !== to.sets.size || from.chains.size !== to.chains.size) return null;
  for (const [name, rules] of to.chains) {
    const old = from.chains.get(name);
    if (!old || !isSameLines(old, rules)) return null;
  }
  const changed = new Map<NftSet, 4 | 6>();
  for (const next of to.sets.values()) {
    const old = from.sets.get(next.name);
    if (old === next) continue;
    const version = ADDRESS_TYPES[next.type];
    if (!old || !version || old.type !== next.type || next.map || next.interval || old.map || old.interval) return null;
    changed.set(next, version);
  }
  // In renderDiff's order: deletes by the kernel's sets, then adds.
  const out: ElementChange[] = [];
  for (const old of from.sets.values()) {
    const next = to.sets.get(old.name)!;
    const version = changed.get(next);
    const keys = version ? removedKeys(old, next) : [];
    if (keys.length > 0) out.push({ set: old.name, version: version!, delete: true, keys });
  }
  for (const s of setsInOrder(to)) {
    const version = changed.get(s);
    const keys = version ? addedKeys(from.sets.get(s.name), s) : [];
    if (keys.length > 0) out.push({ set: s.name, version: version!, delete: false, keys });
  }
  return out;
}
