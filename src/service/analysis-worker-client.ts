// The server thread's side of the analysis worker: starts it, asks it questions, restarts it if it dies or overruns.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { OverLimitError, UnavailableError, type Change } from '../domain/index.js';
import type { AnalysisLimits } from './analysis-limits.js';
import { errorFromWire, errorToWire, STORE_METHODS, type AnalysisDatabase, type FromWorker, type ToWorker, type WorkerData } from './analysis-protocol.js';
import type { AnalysisQuestion, AnalysisRunner } from './analysis-questions.js';
import type { EngineSource } from './engine-cache.js';

export interface AnalysisWorkerOptions {
  /** The server's store: the worker reads through it when it has no database of its own. */
  readonly store: EngineSource;
  /** A database the worker can open itself (a file or PostgreSQL); null for an in-memory SQLite. */
  readonly database: AnalysisDatabase | null;
  readonly limits: AnalysisLimits;
  /** Caps on the worker's heap: past them the worker dies, its questions get a 503, and the next one restarts it. */
  readonly resourceLimits?: ResourceLimits;
  readonly onError?: (error: unknown) => void;
  /**
   * Past `limits.timeoutMs` plus this, a question the worker started and has not answered stops the worker
   * (its own time budget only covers the loops that check it). Default 5,000 ms.
   */
  readonly watchdogGraceMs?: number;
  /** JavaScript (CommonJS) to run as the worker instead of analysis-worker.ts: tests use a stub that hangs. */
  readonly workerScript?: string;
}

const DEFAULT_GRACE_MS = 5_000;

/**
 * From dist/ the worker is plain JavaScript. From src/ (vitest, tsx) it is TypeScript: a small bootstrap
 * registers tsx's loader in the new thread and then imports it (`--import tsx` in a worker's execArgv does
 * not hook the worker's own entry on Node 20).
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { entry: new URL('./analysis-worker.js', import.meta.url), eval: false };
  const tsxApi = new URL('./dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
  const target = new URL('./analysis-worker.ts', import.meta.url).href;
  return { entry: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`, eval: true };
}

interface Pending {
  resolve(body: Uint8Array): void;
  reject(error: Error): void;
  /** Armed when the worker starts computing the question: the hard deadline. */
  watchdog?: NodeJS.Timeout;
}

export function createAnalysisWorker(options: AnalysisWorkerOptions): AnalysisRunner & { commit(changes: readonly Change[]): void; warm(): void; readonly pending: number } {
  const pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  let nextId = 0;
  let closed = false;

  function settle(id: number): Pending | undefined {
    const p = pending.get(id);
    pending.delete(id);
    clearTimeout(p?.watchdog);
    // An idle worker must not keep the process alive (tests close the store, not the worker).
    if (pending.size === 0) worker?.unref();
    return p;
  }

  async function serveStore(w: Worker, m: Extract<FromWorker, { type: 'store' }>): Promise<void> {
    const reply: ToWorker = await (async () => {
      try {
        if (!STORE_METHODS.includes(m.method)) throw new Error(`the worker may not call ${m.method}`);
        const fn = options.store[m.method] as (...args: unknown[]) => Promise<unknown>;
        return { type: 'store-reply', id: m.id, value: await fn.apply(options.store, [...m.args]) };
      } catch (e) {
        return { type: 'store-reply', id: m.id, error: errorToWire(e) };
      }
    })();
    w.postMessage(reply);
  }

  /**
   * The worker is stuck on question `id` (a loop that does not check the budget, or a runaway answer): stop it,
   * fail that question with 422 like any question past the time limit, every other one in flight with 503,
   * and start a fresh worker (it reloads the snapshot on its first question).
   */
  function overran(id: number): void {
    const w = worker;
    worker = null;
    settle(id)?.reject(new OverLimitError('AnalysisTimeLimitExceeded', `The analysis did not finish within ${options.limits.timeoutMs} ms (analysis_timeout_ms) and its worker was stopped; ask about fewer services or a smaller project.`));
    for (const other of [...pending.keys()]) settle(other)?.reject(new UnavailableError('AnalysisUnavailable', 'The analysis worker was restarted because another question overran its time limit. Retry the request.'));
    void w?.terminate();
    if (!closed) {
      worker = start();
      worker.postMessage({ type: 'warm' } satisfies ToWorker);
    }
  }

  function onMessage(w: Worker, m: FromWorker): void {
    if (m.type === 'store') return void serveStore(w, m);
    if (m.type === 'started') {
      const p = pending.get(m.id);
      if (p) p.watchdog = setTimeout(() => overran(m.id), options.limits.timeoutMs + (options.watchdogGraceMs ?? DEFAULT_GRACE_MS));
      return;
    }
    const p = settle(m.id);
    if (m.error) p?.reject(errorFromWire(m.error));
    else p?.resolve(m.body!);
  }

  function start(): Worker {
    const { entry, eval: isCode } = options.workerScript === undefined ? workerEntry() : { entry: options.workerScript, eval: true };
    const data: WorkerData = { database: options.database, limits: options.limits };
    const w = new Worker(entry, { workerData: data, eval: isCode, ...(options.resourceLimits && { resourceLimits: options.resourceLimits }) });
    w.unref();
    w.on('message', (m: FromWorker) => onMessage(w, m));
    w.on('error', (e) => options.onError?.(e));
    w.on('exit', () => {
      if (worker !== w) return;
      worker = null;
      // Every question in flight died with it; the next question starts a fresh worker.
      for (const id of [...pending.keys()]) settle(id)?.reject(new UnavailableError('AnalysisUnavailable', 'The analysis worker stopped while answering; it has been restarted. Retry the request.'));
    });
    return w;
  }

  return {
    /** Questions asked and not yet answered: the analysis queue. */
    get pending(): number {
      return pending.size;
    },
    ask(question: AnalysisQuestion, seq: number): Promise<Uint8Array> {
      if (closed) return Promise.reject(new UnavailableError('AnalysisUnavailable', 'The server is shutting down.'));
      worker ??= start();
      const id = nextId++;
      const w = worker;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ type: 'ask', id, seq, question } satisfies ToWorker);
      });
    },
    /** Starts the worker and has it load the engine now, so the first question after a start does not wait for it. */
    warm(): void {
      if (closed) return;
      worker ??= start();
      worker.postMessage({ type: 'warm' } satisfies ToWorker);
    },
    /** This process's commits, so the worker's engine stays warm between questions. */
    commit(changes: readonly Change[]): void {
      worker?.postMessage({ type: 'commit', changes: [...changes] } satisfies ToWorker);
    },
    async close(): Promise<void> {
      closed = true;
      const w = worker;
      worker = null;
      for (const id of [...pending.keys()]) settle(id)?.reject(new UnavailableError('AnalysisUnavailable', 'The server is shutting down.'));
      await w?.terminate();
    },
  };
}
