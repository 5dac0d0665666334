// Follows the change log for this replica's caches: every committed change once, in seq order, none skipped.
import type { Change } from '../domain/index.js';
import type { Store, StoreSession } from '../store/index.js';

const PAGE = 1000;
const RETRY_MS = 500;

export type ChangesListener = (changes: readonly Change[]) => void;
/** Called when the log was compacted past the follower: reload a snapshot, then follow again. */
export type ResyncListener = () => void;

/** `target` with some methods replaced; the rest bound to it (stores keep #private state). */
function intercept<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, key) {
      if (Object.hasOwn(overrides, key)) return Reflect.get(overrides, key);
      const value: unknown = Reflect.get(t, key, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

/**
 * Reads the log after each commit notification (PostgreSQL) and tells other replicas' changes from
 * this one's: a change is ours only if one of our transactions appended it and then committed. A
 * transaction that committed but whose promise has not settled yet is awaited before classifying.
 * On SQLite one process owns the file, so every change is ours and arrives from `committed()`.
 */
export function createChangeFollower(inner: Store) {
  const replicated = inner.dialect !== 'sqlite';
  const all = new Set<ChangesListener>();
  const external = new Set<ChangesListener>();
  const resyncs = new Set<ResyncListener>();
  const ownSeqs = new Set<number>();
  /** Our transactions that hold change seqs and have not settled yet. */
  const holding = new Set<Promise<void>>();
  /** Last seq delivered; the log's end when these services were created, so later changes all arrive. */
  let cursor = -1;
  const ready = replicated ? inner.latestChangeSeq().then((s) => {
    if (cursor < 0) cursor = s;
  }, () => undefined) : null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function emit<L extends (...args: never[]) => void>(listeners: Set<L>, ...args: Parameters<L>): void {
    for (const l of listeners) {
      try {
        l(...args);
      } catch {
        // A failing cache must not stop the others from following.
      }
    }
  }

  async function transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    let seqs: number[] = [];
    let settle = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    try {
      const result = await inner.transaction((session) => {
        seqs = [];
        return work(intercept(session, {
          async appendChange(change) {
            const seq = await session.appendChange(change);
            seqs.push(seq);
            holding.add(settled);
            return seq;
          },
        }));
      });
      for (const s of seqs) ownSeqs.add(s);
      return result;
    } finally {
      // In the same synchronous step as recording its seqs: a reader never sees neither.
      holding.delete(settled);
      settle();
    }
  }

  async function readOnce(): Promise<boolean> {
    await ready;
    if (cursor < 0) cursor = await inner.latestChangeSeq();
    const batch = await inner.listChanges(cursor, PAGE);
    const first = batch[0];
    if (!first) return false;
    await Promise.all([...holding]);
    if (first.seq !== cursor + 1) emit(resyncs);
    const theirs = batch.filter((c) => !ownSeqs.delete(c.seq));
    cursor = batch[batch.length - 1]!.seq;
    emit(all, batch);
    if (theirs.length > 0) emit(external, theirs);
    return batch.length === PAGE;
  }

  async function run(): Promise<void> {
    do {
      again = false;
      while (!stopped && (await readOnce()));
    } while (again && !stopped);
    for (const s of ownSeqs) if (s <= cursor) ownSeqs.delete(s);
  }

  function wake(latestSeq: number | null): void {
    if (stopped || (latestSeq !== null && latestSeq <= cursor)) return;
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch(() => {
        retry = setTimeout(() => wake(null), RETRY_MS);
        retry.unref();
      })
      .finally(() => {
        running = null;
      });
  }

  const unwatch = replicated ? inner.watchCommits(wake) : () => undefined;
  return {
    /** The store for the use cases: transactions through it are recognised as this replica's. */
    store: replicated ? intercept(inner, { transaction }) : inner,
    /** This process committed `changes` (in seq order); on SQLite they are the whole stream. */
    committed(changes: readonly Change[]): void {
      if (!replicated) emit(all, changes);
    },
    onChanges(listener: ChangesListener): () => void {
      all.add(listener);
      return () => all.delete(listener);
    },
    onExternalChanges(listener: ChangesListener): () => void {
      external.add(listener);
      return () => external.delete(listener);
    },
    onResync(listener: ResyncListener): () => void {
      resyncs.add(listener);
      return () => resyncs.delete(listener);
    },
    /** The last seq delivered to the caches (-1 before the first read). */
    get cursor(): number {
      return cursor;
    },
    stop(): void {
      stopped = true;
      clearTimeout(retry);
      unwatch();
    },
  };
}

export type ChangeFollower = ReturnType<typeof createChangeFollower>;
