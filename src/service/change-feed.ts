// The change feed that agents and replicas follow: ordered reads, long-polling, compaction (410 on a gap).
import { GoneError, InvalidInputError, type Change } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { timestamp } from './service-deps.js';

export interface ChangePage {
  readonly changes: readonly Change[];
  readonly latestSeq: number;
}

/** How often a waiting reader re-reads the store, so it also sees other replicas' commits. */
const POLL_MS = 250;

/** What compaction keeps: the newest `changes` records (0 = all), and whatever is younger than `historyDays` (0 = no minimum). */
export interface Retention {
  readonly changes: number;
  readonly historyDays: number;
  readonly now: () => Date;
}

const DAY_MS = 86_400_000;

export function createChangeFeed(store: Store, retention: Retention) {
  const waiters = new Set<() => void>();
  /** Shutting down: long-polls answer with what they have instead of waiting on. */
  let draining = false;

  async function read(since: number, limit: number): Promise<ChangePage> {
    const changes = await store.listChanges(since, limit);
    const oldest = changes[0]?.seq ?? (await store.oldestChangeSeq());
    // A reader that is behind the compacted part of the log would miss changes: it must resync.
    if (oldest > since + 1 && oldest !== 0) {
      throw new GoneError('ChangeSequenceExpired', `Changes after ${since} are no longer retained (oldest is ${oldest}); resynchronise.`);
    }
    return { changes, latestSeq: await store.latestChangeSeq() };
  }

  /** Resolves at the next local commit, after a poll interval (other replicas' commits), or at once when draining. */
  function waitForCommit(left: number): Promise<void> {
    if (draining) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(left, POLL_MS));
      waiters.add(done);
    });
  }

  return {
    waitForCommit,
    get draining(): boolean {
      return draining;
    },

    /** Changes with seq > since, at most `limit`; waits up to `waitMs` when there are none yet. */
    async list(since: number, limit: number, waitMs: number): Promise<ChangePage> {
      if (!Number.isInteger(since) || since < 0) throw InvalidInputError.of('HTTPBadRequest', `Invalid since '${since}': must be an integer 0 or greater.`, 'since');
      const deadline = Date.now() + waitMs;
      for (;;) {
        const page = await read(since, limit);
        const left = deadline - Date.now();
        if (page.changes.length > 0 || left <= 0 || draining) return page;
        await waitForCommit(left);
      }
    },

    /** Wakes long-pollers; called after each local commit. */
    notify(): void {
      for (const wake of [...waiters]) wake();
    },

    /** Ends every long-poll now with its current page (possibly empty), and any later one at once: the server is stopping. */
    drain(): void {
      draining = true;
      this.notify();
    },

    /**
     * Drops a record only when neither retention keeps it: past the newest `changes` records and older than
     * `historyDays`, so a group's history and the audit survive however short the feed's window is.
     */
    async compact(): Promise<void> {
      if (retention.changes <= 0) return;
      let upTo = (await store.latestChangeSeq()) - retention.changes;
      if (upTo > 0 && retention.historyDays > 0) {
        upTo = Math.min(upTo, await store.lastChangeSeqBefore(timestamp(new Date(retention.now().getTime() - retention.historyDays * DAY_MS))));
      }
      if (upTo > 0) await store.pruneChanges(upTo);
    },

    latestSeq: () => store.latestChangeSeq(),
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;
