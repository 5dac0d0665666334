// The agent's loop: follow its host's feed, keep the model, commit each page in one nft transaction, cut removals.
import type { HostChangeWire } from '../contract/index.js';
import { AgentModel, MalformedInputError } from './agent-model.js';
import type { AgentMetrics } from './agent-metrics.js';
import type { AgentStateStore } from './agent-state-store.js';
import { cutConnections } from './conntrack-cut.js';
import { desiredState } from './desired-state.js';
import type { NftTable } from './nft-apply.js';
import type { ServerClient } from './server-client.js';

export interface AgentLog {
  info(msg: string): void;
  error(msg: string): void;
}

export interface HostAgentOptions {
  readonly host: string;
  readonly client: ServerClient;
  readonly table: NftTable;
  readonly store: AgentStateStore;
  readonly netns?: string | undefined;
  readonly ifacePrefix?: string | undefined;
  readonly waitSeconds?: number;
  readonly log?: AgentLog;
  /** Called whenever the kernel holds everything through `seq`: after a commit, or a page with nothing for this host (tests and benchmarks wait on it). */
  readonly onCommit?: (seq: number) => void;
  /** Retry delay after a failure: `initialMs` (default 250) doubling up to `maxMs` (default 30,000). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Where commits, lag, cuts, resyncs and failures are counted (`--metrics-listen` serves it). */
  readonly metrics?: AgentMetrics;
}

const quiet: AgentLog = { info: () => undefined, error: () => undefined };

export class HostAgent {
  #model = new AgentModel();
  #seq = -1;
  #stopped = false;
  #abort = new AbortController();
  /** The model holds changes the state store does not: persist a snapshot before going on. */
  #unsaved = false;
  readonly #backoff: { readonly initialMs: number; readonly maxMs: number };
  #backoffMs: number;
  readonly #log: AgentLog;

  constructor(readonly options: HostAgentOptions) {
    this.#log = options.log ?? quiet;
    this.#backoff = options.backoff ?? { initialMs: 250, maxMs: 30_000 };
    this.#backoffMs = this.#backoff.initialMs;
  }

  get seq(): number {
    return this.#seq;
  }

  get model(): AgentModel {
    return this.#model;
  }

  /** Loads the persisted state (or resyncs), commits it, then follows the log until stop(). */
  async run(): Promise<void> {
    while (!this.#stopped) {
      try {
        if (this.#seq < 0) await this.#start();
        else if (this.#unsaved) await this.#save();
        await this.#commit();
        await this.#follow();
      } catch (e) {
        if (this.#stopped) break;
        this.#log.error(`agent: ${(e as Error).message}; keeping the last ruleset, retrying in ${this.#backoffMs} ms`);
        this.options.metrics?.failed((e as Error).message);
        if (e instanceof MalformedInputError) this.#seq = -2;
        await sleep(this.#backoffMs, this.#abort.signal);
        this.#backoffMs = Math.min(this.#backoffMs * 2, this.#backoff.maxMs);
      }
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
  }

  async #start(): Promise<void> {
    const saved = this.#seq === -1 ? await this.options.store.load().catch(() => null) : null;
    if (saved) {
      this.#model = saved.model;
      this.#seq = saved.seq;
      this.#log.info(`agent: resuming from seq ${saved.seq}`);
      return;
    }
    await this.#resync();
  }

  async #resync(): Promise<void> {
    const snap = await this.options.client.hostState(this.options.host);
    this.#model = AgentModel.of(snap.ports, snap.groups, snap.rules, snap.members ?? [], snap.addressGroups ?? []);
    this.#seq = snap.seq;
    this.options.metrics?.resyncs.inc();
    await this.#save();
    this.#log.info(`agent: full resync at seq ${snap.seq}`);
  }

  async #save(): Promise<void> {
    this.#unsaved = true;
    await this.options.store.saveSnapshot(this.#model, this.#seq);
    this.#unsaved = false;
  }

  async #commit(): Promise<void> {
    const { host, table, netns } = this.options;
    const desired = desiredState(this.#model, { host, ...(this.options.ifacePrefix ? { ifacePrefix: this.options.ifacePrefix } : {}) });
    const metrics = this.options.metrics;
    const result = await table.sync(desired).catch((e: unknown) => {
      metrics?.nftFailures.inc();
      throw e;
    });
    if (result.script !== '' && (result.full || /^(delete|flush) /m.test(result.script))) {
      const cut = await cutConnections(this.#model, host, netns);
      metrics?.conntrackCuts.inc(cut);
      if (cut > 0) this.#log.info(`agent: cut ${cut} connection(s) no rule admits any more`);
    }
    if (metrics) {
      const kind = result.script === '' ? 'none' : result.full ? 'full' : result.elements ? 'elements' : 'diff';
      metrics.commits.inc({ kind });
      metrics.commitDuration.observe({ kind }, result.ms / 1000);
      metrics.committed(this.#seq, new Date());
      metrics.countRules(this.#model, host);
    }
    this.options.onCommit?.(this.#seq);
  }

  async #follow(): Promise<void> {
    while (!this.#stopped) {
      const page = await this.options.client.hostChanges(this.options.host, this.#seq, this.options.waitSeconds ?? 20, this.#abort.signal);
      if (page !== 'expired') this.options.metrics?.lag.set(Math.max(0, page.latest_seq - this.#seq));
      if (page === 'expired') {
        this.#log.info(`agent: seq ${this.#seq} is older than the log; resyncing`);
        await this.#resync();
        await this.#commit();
      } else if (page.changes.length === 0 && page.seq > this.#seq) {
        // Nothing for this host: move on, so an idle host's position never falls behind the compacted log.
        const since = this.#seq;
        this.#seq = page.seq;
        await this.options.store.append({ since, seq: page.seq, changes: [] });
        this.options.onCommit?.(this.#seq);
      } else if (page.changes.length > 0) {
        // Journaled while the kernel commits, and both finished before the next page: a commit that fails is
        // retried from the model, and a restart must find every change the model holds, or it would follow from
        // this seq with a gap behind it. (A crash after the commit but before the journal write only makes the
        // restarted agent ask for this page again.)
        this.#unsaved = true;
        const since = this.#seq;
        this.#applyAll(page.changes, page.seq);
        const journaled = this.options.store.append({ since, seq: this.#seq, changes: page.changes }).then(() => {
          this.#unsaved = false;
        });
        const outcomes = await Promise.allSettled([this.#commit(), journaled]);
        for (const o of outcomes) if (o.status === 'rejected') throw o.reason;
        this.options.metrics?.lag.set(Math.max(0, page.latest_seq - this.#seq));
        // After the commit, so the page's latency never includes writing the whole model.
        if (this.options.store.wantsSnapshot) await this.#save();
      }
      this.#backoffMs = this.#backoff.initialMs;
    }
  }

  /** Applies a page in order, then stands at its end; a malformed record throws, and the loop then resyncs from the host's state. */
  #applyAll(changes: readonly HostChangeWire[], end: number): void {
    const from = this.#seq;
    for (const change of changes) if (change.seq > from) this.#model.apply(change);
    this.#seq = Math.max(from, end);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (stop() need not wait out a 30 s backoff). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
