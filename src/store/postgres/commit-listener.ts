// LISTEN for other replicas' commits on one dedicated connection, reconnecting when it drops.
import pg from 'pg';

const MAX_BACKOFF_MS = 5000;

/** A committed write's newest change sequence number, or null when the log must simply be re-read. */
export type CommitListener = (latestSeq: number | null) => void;

/**
 * Connects lazily when the first listener is added. A notification only says "the log has grown up to
 * seq N"; listeners read the log themselves, so a notification lost while reconnecting costs latency,
 * not correctness: after every (re)connect listeners are called with null to re-read it.
 */
export function createCommitListener(config: pg.ClientConfig, channel: string) {
  const listeners = new Set<CommitListener>();
  let client: pg.Client | null = null;
  let closed = false;
  let backoff = 100;

  const fire = (latestSeq: number | null) => {
    for (const l of listeners) l(latestSeq);
  };
  const onNotification = (n: pg.Notification) => {
    const seq = Number(n.payload);
    fire(n.payload && Number.isSafeInteger(seq) ? seq : null);
  };

  async function connect(): Promise<void> {
    if (closed || client) return;
    const c = new pg.Client({ ...config, application_name: channel });
    client = c;
    c.on('notification', onNotification);
    c.on('error', () => reconnect(c));
    c.on('end', () => reconnect(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      backoff = 100;
      if (client === c) fire(null);
    } catch {
      reconnect(c);
    }
  }

  function reconnect(c: pg.Client): void {
    if (client !== c) return;
    client = null;
    c.removeAllListeners('notification');
    void c.end().catch(() => undefined);
    if (closed) return;
    const delay = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    setTimeout(() => void connect(), delay).unref();
  }

  return {
    add(listener: CommitListener): () => void {
      listeners.add(listener);
      void connect();
      return () => listeners.delete(listener);
    },
    async close(): Promise<void> {
      closed = true;
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    },
  };
}
