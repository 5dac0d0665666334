// The agent's Prometheus metrics and health: its own registry, fed by the host agent's loop.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AgentModel } from './agent-model.js';

/** Seconds; a diff commit takes about a millisecond, a full table on a big host seconds. */
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface AgentHealth {
  /** Last seq the kernel holds the rules of (-1 before the first commit). */
  readonly seq: number;
  readonly lastCommitAt: string | null;
  /** The last failure since the last successful commit, or null when the kernel is up to date. */
  readonly lastError: string | null;
}

export function createAgentMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'palisade_agent_' });
  const registers = [registry];
  let health: AgentHealth = { seq: -1, lastCommitAt: null, lastError: null };
  return {
    registry,
    commits: new Counter({ name: 'palisade_agent_commits_total', help: 'nft transactions committed, by kind: full (whole table), diff (a script), elements (set element batches), none (nothing to change)', labelNames: ['kind'], registers }),
    commitDuration: new Histogram({ name: 'palisade_agent_commit_duration_seconds', help: 'Time of one nft transaction, by kind', labelNames: ['kind'], buckets: COMMIT_BUCKETS, registers }),
    appliedSeq: new Gauge({ name: 'palisade_agent_applied_seq', help: 'Last change-log seq whose rules the kernel holds', registers }),
    lag: new Gauge({ name: 'palisade_agent_lag', help: 'Changes in the server log the kernel does not hold yet (latest_seq minus applied seq)', registers }),
    portRules: new Gauge({ name: 'palisade_agent_port_rules', help: 'Security group rules that apply to each port bound to this host', labelNames: ['port'], registers }),
    conntrackCuts: new Counter({ name: 'palisade_agent_conntrack_cuts_total', help: 'Tracked connections deleted because no rule admits them any more', registers }),
    resyncs: new Counter({ name: 'palisade_agent_resyncs_total', help: 'Full reloads from the server (first start without state, a compacted log, a malformed change)', registers }),
    nftFailures: new Counter({ name: 'palisade_agent_nft_failures_total', help: 'nft transactions the kernel refused (the last good ruleset stays)', registers }),
    get health(): AgentHealth {
      return health;
    },
    committed(seq: number, at: Date): void {
      health = { seq, lastCommitAt: at.toISOString(), lastError: null };
      this.appliedSeq.set(seq);
    },
    failed(error: string): void {
      health = { ...health, lastError: error };
    },
    /** Rules reaching each filtered port on `host`, through all of its groups. */
    countRules(model: AgentModel, host: string): void {
      this.portRules.reset();
      for (const port of model.portsOn(host)) {
        let n = 0;
        for (const group of port.groupIds) for (const _ of model.rulesOf(group)) n++;
        this.portRules.set({ port: port.id }, port.filtered ? n : 0);
      }
    },
  };
}

export type AgentMetrics = ReturnType<typeof createAgentMetrics>;
