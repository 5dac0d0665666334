// LISTEN for other replicas' commits on one dedicated connection, reconnecting when it drops.
import pg from 'pg';

export const COMMIT_CHANNEL = 'palisade_changes';
const MAX_BACKOFF_MS = 5000;

/**
 * Connects lazily when the first listener is added. A notification only says "something committed";
 * listeners read the change log themselves, so a notification lost while reconnecting costs latency,
 * not correctness (the change feed also re-reads the log on a timer).
 */
export function createCommitListener(config: pg.ClientConfig) {
  const listeners = new Set<() => void>();
  let client: pg.Client | null = null;
  let closed = false;
  let backoff = 100;

  const fire = () => {
    for (const l of listeners) l();
  };

  async function connect(): Promise<void> {
    if (closed || client) return;
    const c = new pg.Client(config);
    client = c;
    c.on('notification', fire);
    c.on('error', () => reconnect(c));
    c.on('end', () => reconnect(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${COMMIT_CHANNEL}`);
      backoff = 100;
      // Anything committed while we were not listening: let listeners re-read the log.
      fire();
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
    add(listener: () => void): () => void {
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
