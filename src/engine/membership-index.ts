// Remote-group membership, indexed by address: each member address or prefix maps to the groups whose ports hold it.
import { PrefixMap } from './prefix-map.js';

/** Groups holding one address or prefix, each with how many (port, address) contributions put it there. */
export interface MemberEntry {
  readonly groups: number[];
  readonly counts: number[];
}

/** A fixed IP (length 128 in word space) or an allowed-address-pair prefix of a port. */
export interface MemberAddress {
  readonly version: 4 | 6;
  readonly words: Int32Array;
  readonly prefixLength: number;
}

/**
 * Looking members up by address costs one probe per prefix length present, whatever the number of groups a
 * port's rules name; a port joining or leaving a group touches only that group's count at the port's addresses.
 */
export class MembershipIndex {
  readonly v4 = new PrefixMap<MemberEntry>();
  readonly v6 = new PrefixMap<MemberEntry>();

  family(version: 4 | 6): PrefixMap<MemberEntry> {
    return version === 4 ? this.v4 : this.v6;
  }

  add(addresses: readonly MemberAddress[], groups: readonly number[]): void {
    for (const a of addresses) {
      const map = this.family(a.version);
      let entry = map.get(a.words, 0, a.prefixLength);
      if (entry === undefined) {
        entry = { groups: [], counts: [] };
        map.set(a.words, 0, a.prefixLength, entry);
      }
      for (const g of groups) {
        const i = entry.groups.indexOf(g);
        if (i >= 0) entry.counts[i]!++;
        else {
          entry.groups.push(g);
          entry.counts.push(1);
        }
      }
    }
  }

  remove(addresses: readonly MemberAddress[], groups: readonly number[]): void {
    for (const a of addresses) {
      const map = this.family(a.version);
      const entry = map.get(a.words, 0, a.prefixLength);
      if (entry === undefined) continue;
      for (const g of groups) {
        const i = entry.groups.indexOf(g);
        if (i < 0) continue;
        if (--entry.counts[i]! === 0) {
          entry.groups.splice(i, 1);
          entry.counts.splice(i, 1);
        }
      }
      if (entry.groups.length === 0) map.delete(a.words, 0, a.prefixLength);
    }
  }

  /** True when the address (four words) belongs to group `g` through any member address or prefix. */
  isMember(version: 4 | 6, w: Int32Array, offset: number, g: number): boolean {
    const map = this.family(version);
    for (let i = 0; i < map.lengths.length; i++) {
      const entry = map.getAt(i, w[offset]!, w[offset + 1]!, w[offset + 2]!, w[offset + 3]!);
      if (entry !== undefined && entry.groups.includes(g)) return true;
    }
    return false;
  }
}
