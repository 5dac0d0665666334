// Why an address is a member of a remote group: the member ports holding it, by fixed IP or allowed address pair.
import { formatWords } from '../contract/index.js';
import { V4_OFFSET } from './address-words.js';
import type { EngineState } from './engine-state.js';
import type { MemberAddress } from './membership-index.js';
import { isWithin } from './port-profile.js';

export type MemberVia = 'fixed_ip' | 'allowed_address_pair';

/** One member port that puts the address in the group. */
export interface MemberPort {
  /** Null once the service hid it: a port of a project the asker may not read shows only its project. */
  readonly portId: string | null;
  readonly projectId: string;
  readonly via: MemberVia;
  /** The fixed IP, or the (most specific) allowed-address-pair prefix that holds the address. */
  readonly prefix: string;
  /** The port belongs to another project than the group (it joined through RBAC sharing). */
  readonly foreign: boolean;
}

/** The member ports behind a remote-group match: the first MEMBER_PORT_LIMIT by port id, and how many in all. */
export interface RemoteMembers {
  readonly groupId: string;
  readonly groupName: string;
  readonly ports: readonly MemberPort[];
  readonly count: number;
  /** No member holds the address as a fixed IP: only allowed-address-pair prefixes put it in the group. */
  readonly wide: boolean;
  /** No member of the group's own project holds the address: only ports of other projects put it there. */
  readonly foreign: boolean;
}

export const MEMBER_PORT_LIMIT = 5;

function prefixText(a: MemberAddress): string {
  const length = a.prefixLength - (a.version === 4 ? V4_OFFSET : 0);
  return `${formatWords(a.version, a.words)}/${length}`;
}

/** The most specific of the prefixes holding the address, or null. */
function narrowestHolding(pairs: readonly MemberAddress[], version: 4 | 6, w: Int32Array, offset: number): MemberAddress | null {
  let best: MemberAddress | null = null;
  for (const a of pairs) if (isWithin([a], version, w, offset) && (best === null || a.prefixLength > best.prefixLength)) best = a;
  return best;
}

/** The remote group as evidence names it; `projectId` is its owner: members of other projects are foreign. */
export interface EvidenceGroup {
  readonly id: string;
  readonly name: string;
  readonly projectId: string;
}

/** Walks only the group's member ports (state.portsByGroup), so the cost follows the group's size, not the region's. */
export function remoteMembersOf(state: EngineState, group: EvidenceGroup, version: 4 | 6, w: Int32Array, offset: number): RemoteMembers {
  const groupId = group.id;
  const ownerProjectId = group.projectId;
  const found: (MemberPort & { portId: string })[] = [];
  for (const portId of state.portsByGroup.get(groupId) ?? []) {
    const profile = state.ports.get(portId)?.profile;
    if (profile === undefined) continue;
    const projectId = profile.port.projectId;
    const foreign = projectId !== ownerProjectId;
    const fixed = profile.fixed.find((a) => isWithin([a], version, w, offset));
    if (fixed !== undefined) {
      found.push({ portId, projectId, via: 'fixed_ip', prefix: formatWords(fixed.version, fixed.words), foreign });
      continue;
    }
    const pair = narrowestHolding(profile.pairs, version, w, offset);
    if (pair !== null) found.push({ portId, projectId, via: 'allowed_address_pair', prefix: prefixText(pair), foreign });
  }
  found.sort((a, b) => (a.portId < b.portId ? -1 : a.portId > b.portId ? 1 : 0));
  return {
    groupId,
    groupName: group.name,
    ports: found.slice(0, MEMBER_PORT_LIMIT),
    count: found.length,
    wide: found.length > 0 && found.every((m) => m.via === 'allowed_address_pair'),
    foreign: found.length > 0 && found.every((m) => m.foreign),
  };
}
