// The analysis worker thread: holds the engine, follows the change log, answers questions off the request loop.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createPostgresStore, createSqliteStore } from '../store/index.js';
import type { AnalysisDatabase, FromWorker, StoreMethod, ToWorker, WireError, WorkerData } from './analysis-protocol.js';
import { errorFromWire, errorToWire, STORE_METHODS } from './analysis-protocol.js';
import { answerBody } from './analysis-body.js';
import { deadlineBudget } from './analysis-questions.js';
import { createEngineCache, type EngineSource } from './engine-cache.js';

const port = parentPort!;
const data = workerData as WorkerData;
const post = (message: FromWorker) => port.postMessage(message);

/** No database of its own (an in-memory SQLite): every read goes through the server thread's store. */
function sourceThroughServer(): EngineSource {
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  port.on('message', (m: ToWorker) => {
    if (m.type !== 'store-reply') return;
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(errorFromWire(m.error));
    else w?.resolve(m.value);
  });
  const call = (method: StoreMethod) => (...args: unknown[]) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      post({ type: 'store', id, method, args });
    });
  return Object.fromEntries(STORE_METHODS.map((m) => [m, call(m)])) as unknown as EngineSource;
}

async function openSource(database: AnalysisDatabase | null): Promise<EngineSource> {
  if (database === null) return sourceThroughServer();
  // A reading connection of its own; the server thread opened (and migrated) the database first.
  return database.kind === 'sqlite' ? createSqliteStore(database.path) : createPostgresStore(database.url, { poolSize: 2 });
}

const cache = createEngineCache(await openSource(data.database));

async function onAsk(m: Extract<ToWorker, { type: 'ask' }>): Promise<void> {
  try {
    const engine = await cache.current(m.seq);
    // From here to the answer the work is synchronous: questions are computed one at a time, each under the watchdog.
    post({ type: 'started', id: m.id });
    const body = answerBody(engine, m.question, data.limits, deadlineBudget(data.limits.timeoutMs, () => performance.now()));
    port.postMessage({ type: 'answer', id: m.id, body } satisfies FromWorker, [body.buffer]);
  } catch (e) {
    const error: WireError = errorToWire(e);
    post({ type: 'answer', id: m.id, error });
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'ask') void onAsk(m);
  else if (m.type === 'commit') cache.onCommit(m.changes);
  // A failed warm-up is not an error of anyone's: the first question loads the snapshot again and reports it.
  else if (m.type === 'warm') void cache.current(0).catch(() => undefined);
});
