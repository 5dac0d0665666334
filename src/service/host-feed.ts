// Host feeds: one host's snapshot and its ordered records, long-polled like the global log (docs/change-feed.md).
import {
  assembleProjection, GoneError, hasControlCharacter, InvalidInputError, remoteGroupsNamed, remotesNamed, type HostChange, type HostProjection,
} from '../domain/index.js';
import type { Store } from '../store/index.js';
import type { ChangeFeed } from './change-feed.js';

export interface HostPage {
  readonly changes: readonly HostChange[];
  /** Where the reader stands after this page: the last seq it holds every record of. */
  readonly seq: number;
  readonly latestSeq: number;
}

export interface HostState {
  readonly seq: number;
  readonly projection: HostProjection;
}

/** A host id as ports carry it in `binding:host_id`: 1 to 255 characters, no control characters, not `*`. */
export function parseHost(host: string): string {
  if (host.length === 0 || host.length > 255 || host === '*' || hasControlCharacter(host)) {
    throw InvalidInputError.of('HTTPBadRequest', `Invalid host '${host}': expected a binding:host_id of 1 to 255 characters.`, 'host');
  }
  return host;
}

export function createHostFeed(store: Store, feed: ChangeFeed) {
  async function read(host: string, since: number, limit: number): Promise<HostPage> {
    // The log's end first: every record up to it has committed, and a resync marker up to it is seen next.
    const latestSeq = await store.latestChangeSeq();
    const floor = await store.hostFeedFloor();
    const oldest = await store.oldestChangeSeq();
    if (since < floor || (oldest > since + 1 && oldest !== 0)) {
      throw new GoneError('ChangeSequenceExpired', `Host changes after ${since} are no longer available (follow from ${Math.max(floor, oldest - 1)} or later); read the host's state again.`);
    }
    const changes = await store.listHostChanges(host, since, latestSeq, limit);
    const seq = changes.length >= limit ? changes[changes.length - 1]!.seq : Math.max(since, latestSeq);
    return { changes, seq, latestSeq };
  }

  return {
    /** The host's records after `since`; waits up to `waitMs` while there are none. */
    async list(host: string, since: number, limit: number, waitMs: number): Promise<HostPage> {
      const deadline = Date.now() + waitMs;
      let page = await read(host, since, limit);
      for (;;) {
        const left = deadline - Date.now();
        if (page.changes.length > 0 || left <= 0 || feed.draining) return page;
        await feed.waitForCommit(left);
        // Idle hosts cost one max(seq) per wake-up: their records are read only once the log moved on.
        if ((await store.latestChangeSeq()) !== page.latestSeq) page = await read(host, since, limit);
      }
    },

    /** The host's projection computed from the tables, with the seq it is current at (writers wait meanwhile). */
    state(host: string): Promise<HostState> {
      return store.transaction(async (s) => {
        const seq = await s.latestChangeSeq();
        const local = await s.listPorts({ hostIds: [host] });
        const groupIds = [...new Set(local.flatMap((p) => p.securityGroupIds))];
        const rules = await s.listRulesOfGroups(groupIds);
        const candidates = await s.listPorts({ securityGroupIds: [...new Set(remoteGroupsNamed(rules))] });
        const addressGroups = await s.listAddressGroups({ ids: [...new Set(remotesNamed('address_group', rules))] });
        return { seq, projection: assembleProjection(host, local, await s.listGroups({ ids: groupIds }), rules, candidates, addressGroups) };
      });
    },
  };
}

export type HostFeed = ReturnType<typeof createHostFeed>;
