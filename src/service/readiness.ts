// Readiness: may this replica take traffic? Its database answers, its schema is current, it follows the change log closely.
import type { Store } from '../store/index.js';

export interface Readiness {
  readonly ready: boolean;
  readonly checks: {
    readonly database: 'ok' | string;
    readonly migrations: 'ok' | string;
    readonly change_log: 'ok' | string;
  };
  readonly latest_seq?: number;
  readonly lag?: number;
}

/** `maxLag`: changes this replica's caches may be behind the log and still count as caught up. */
export async function checkReadiness(store: Store, followerLag: () => Promise<number>, maxLag: number): Promise<Readiness> {
  let latestSeq: number;
  try {
    latestSeq = await store.latestChangeSeq();
  } catch (e) {
    const failed = `unreachable: ${(e as Error).message}`;
    return { ready: false, checks: { database: failed, migrations: 'unknown', change_log: 'unknown' } };
  }
  const pending = await store.pendingMigrations().catch((e: unknown) => [`(${(e as Error).message})`]);
  const lag = await followerLag();
  const checks = {
    database: 'ok',
    migrations: pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`,
    change_log: lag <= maxLag ? 'ok' : `${lag} changes behind (bound ${maxLag})`,
  };
  return { ready: Object.values(checks).every((c) => c === 'ok'), checks, latest_seq: latestSeq, lag };
}
