// A rule reduced to what matching needs: direction/ether-type slot, protocol number, a key interval, and its remote.
import { tryParseCidr, protocolMeaning, type SecurityGroupRule } from '../domain/index.js';
import { writeBigIntWords } from '../contract/index.js';
import { V4_OFFSET } from './address-words.js';
import type { GroupIndex } from './group-index.js';
import { addressGroupKey } from './address-group-key.js';
import { KEY_MAX, KEY_MIN } from './key-intervals.js';

/** How a protocol's flows are keyed: no key, the L4 destination port, or ICMP type × 256 + code. */
export const KEY_NONE = 0;
export const KEY_PORT = 1;
export const KEY_ICMP = 2;

/** Key kind of each IP protocol number, read from the domain's PROTOCOLS table. */
export const PROTOCOL_KEY_KIND: Uint8Array = Uint8Array.from({ length: 256 }, (_, p) => {
  const meaning = protocolMeaning(String(p));
  return meaning.hasPorts ? KEY_PORT : meaning.hasIcmpTypeCode ? KEY_ICMP : KEY_NONE;
});

export const REMOTE_ANY = 0;
export const REMOTE_PREFIX = 1;
export const REMOTE_GROUP = 2;
/** Matches no address: a prefix of the other IP version. */
export const REMOTE_NONE = 3;

export interface CompiledRule {
  readonly rule: SecurityGroupRule;
  /** 0 ingress IPv4, 1 ingress IPv6, 2 egress IPv4, 3 egress IPv6. */
  readonly slot: number;
  /** IP protocol number, or -1 for every protocol. */
  readonly protocol: number;
  readonly keyLo: number;
  readonly keyHi: number;
  readonly remote: number;
  /** Prefix words (REMOTE_PREFIX) and its length in word space (IPv4 /n is n + 96). */
  readonly words: Int32Array;
  readonly prefixLength: number;
  /** Interned remote group or address group (REMOTE_GROUP; both are membership keys), else -1. */
  readonly remoteGroup: number;
}

export function slotOf(direction: 'ingress' | 'egress', etherType: 'IPv4' | 'IPv6'): number {
  return (direction === 'egress' ? 2 : 0) + (etherType === 'IPv6' ? 1 : 0);
}

/** The interval of flow keys a rule admits: ports min–max, or ICMP type/code, or everything. */
function keyRange(rule: SecurityGroupRule): [number, number] {
  const meaning = protocolMeaning(rule.protocol);
  const { portRangeMin: min, portRangeMax: max } = rule;
  if (meaning.number === null) return [KEY_MIN, KEY_MAX];
  if (meaning.hasPorts) return [min ?? KEY_MIN, max ?? KEY_MAX];
  if (meaning.hasIcmpTypeCode && min !== null) return max === null ? [min * 256, min * 256 + 255] : [min * 256 + max, min * 256 + max];
  return [KEY_MIN, KEY_MAX];
}

export function compileRule(rule: SecurityGroupRule, groups: GroupIndex): CompiledRule {
  const [keyLo, keyHi] = keyRange(rule);
  const words = new Int32Array(4);
  let remote = REMOTE_ANY;
  let prefixLength = 0;
  let remoteGroup = -1;
  if (rule.remoteIpPrefix !== null) {
    const cidr = tryParseCidr(rule.remoteIpPrefix);
    const wanted = rule.etherType === 'IPv4' ? 4 : 6;
    if (cidr === null || cidr.version !== wanted) remote = REMOTE_NONE;
    else {
      writeBigIntWords(cidr.address.value, words, 0);
      prefixLength = cidr.prefixLength + (cidr.version === 4 ? V4_OFFSET : 0);
      remote = REMOTE_PREFIX;
    }
  } else if (rule.remoteGroupId !== null) {
    remote = REMOTE_GROUP;
    remoteGroup = groups.intern(rule.remoteGroupId);
  } else if (rule.remoteAddressGroupId !== null) {
    remote = REMOTE_GROUP;
    remoteGroup = groups.intern(addressGroupKey(rule.remoteAddressGroupId));
  }
  const number = protocolMeaning(rule.protocol).number;
  return {
    rule,
    slot: slotOf(rule.direction, rule.etherType),
    protocol: number ?? -1,
    keyLo,
    keyHi,
    remote,
    words,
    prefixLength,
    remoteGroup,
  };
}
