// Applies desired states to the kernel, one `nft -f` transaction each, tracking exactly what the kernel holds.
import { runCommand } from './command-runner.js';
import { NftCoprocess } from './nft-coprocess.js';
import { elementDiff, renderDiff, renderFull, type ElementChange } from './nft-render.js';
import { TABLE, type NftState } from './nft-state.js';

/**
 * Runs one transaction: the nft script, or, when `elements` is given, the same transaction as element
 * changes, which a runner may send instead (runners that cannot simply run the script).
 */
export type ScriptRunner = (script: string, elements?: readonly ElementChange[]) => Promise<void>;

/** Runs each script with a fresh `nft -f -`; in a named namespace through nsenter, which costs one exec, not `ip netns exec`'s mounts. */
export function spawnRunner(netns?: string): ScriptRunner {
  const argv = netns ? ['nsenter', `--net=/run/netns/${netns}`, 'nft', '-f', '-'] : ['nft', '-f', '-'];
  return async (script) => {
    await runCommand(argv, { input: script });
  };
}

const RETRY_COPROCESS_MS = 30_000;

/**
 * Runs scripts through one long-lived libnftables coprocess in the namespace (no process spawn per commit);
 * where python3 or libnftables is missing, through a spawned `nft -f -` instead, trying the coprocess again later.
 */
export function nftRunner(netns?: string): ScriptRunner & { close(): void } {
  const co = new NftCoprocess(netns);
  const spawned = spawnRunner(netns);
  let retryAt = 0;
  const run = async (script: string, elements?: readonly ElementChange[]): Promise<void> => {
    if (!co.running && Date.now() < retryAt) return spawned(script);
    try {
      await co.start();
    } catch {
      retryAt = Date.now() + RETRY_COPROCESS_MS;
      return spawned(script);
    }
    return elements ? co.elements(TABLE, elements) : co.run(script);
  };
  return Object.assign(run, { close: () => co.close() });
}

export interface ApplyResult {
  readonly script: string;
  readonly full: boolean;
  /** The change went to the runner as set element batches too (the runner may send those instead of the script). */
  readonly elements: boolean;
  readonly ms: number;
}

/**
 * The agent's table. Until a first commit (or after a failed one) the kernel's state is unknown, so the
 * next commit replaces the whole table atomically; otherwise it sends only the difference.
 */
export class NftTable {
  #applied: NftState | null = null;

  constructor(readonly run: ScriptRunner) {}

  get applied(): NftState | null {
    return this.#applied;
  }

  /** Forget what the kernel holds: the next sync replaces the table. */
  invalidate(): void {
    this.#applied = null;
  }

  async sync(desired: NftState): Promise<ApplyResult> {
    const full = this.#applied === null;
    const script = full ? renderFull(desired) : renderDiff(this.#applied!, desired);
    const started = performance.now();
    let elements: readonly ElementChange[] | null = null;
    if (script !== '') {
      elements = full ? null : elementDiff(this.#applied!, desired);
      try {
        await this.run(script, elements ?? undefined);
      } catch (e) {
        // A refused batch changes nothing, but a refused diff means our picture of the kernel may be wrong.
        this.#applied = null;
        throw e;
      }
    }
    this.#applied = desired;
    return { script, full, elements: elements !== null, ms: performance.now() - started };
  }
}
