// The server's Prometheus metrics: one registry per server (never prom-client's global one), and what feeds it.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds; from a cached read (~0.1 ms) to a slow analysis or long-poll (tens of seconds). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createServerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'palisade_' });
  const registers = [registry];
  /** Read at each scrape; set by the services once they exist. */
  const sources: GaugeSources = { changeSeq: async () => 0, followerLag: async () => 0, analysisQueueDepth: () => 0 };
  return {
    registry,
    sources,
    /** Labelled by the route pattern (never the raw URL, whose ids would make a series per object). */
    httpRequests: new Counter({ name: 'palisade_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames: ['route', 'method', 'status'], registers }),
    httpDuration: new Histogram({ name: 'palisade_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route pattern, method and status class', labelNames: ['route', 'method', 'status_class'], buckets: LATENCY_BUCKETS, registers }),
    httpErrors: new Counter({ name: 'palisade_http_errors_total', help: 'HTTP requests answered with a 5xx status, by route pattern', labelNames: ['route', 'method', 'status'], registers }),
    storeQueryDuration: new Histogram({ name: 'palisade_store_query_duration_seconds', help: 'Time of one database statement, by SQL verb and outcome', labelNames: ['operation', 'outcome'], buckets: LATENCY_BUCKETS, registers }),
    changeSeq: new Gauge({ name: 'palisade_change_log_seq', help: 'Newest sequence number in the change log', registers, async collect() { this.set(await sources.changeSeq()); } }),
    changeFollowerLag: new Gauge({ name: 'palisade_change_follower_lag', help: 'Changes in the log this replica has not yet applied to its caches (0 on SQLite)', registers, async collect() { this.set(await sources.followerLag()); } }),
    analysisQueueDepth: new Gauge({ name: 'palisade_analysis_queue_depth', help: 'Analysis questions sent to the worker and not yet answered', registers, collect() { this.set(sources.analysisQueueDepth()); } }),
    analysisDuration: new Histogram({ name: 'palisade_analysis_duration_seconds', help: 'Time to answer one analysis question, queueing included, by kind and outcome', labelNames: ['kind', 'outcome'], buckets: LATENCY_BUCKETS, registers }),
    signIns: new Counter({ name: 'palisade_sign_ins_total', help: 'Password sign-ins by outcome: success, failure (wrong name or password), locked (refused by the lockout)', labelNames: ['outcome'], registers }),
  };
}

export interface GaugeSources {
  changeSeq: () => Promise<number>;
  followerLag: () => Promise<number>;
  analysisQueueDepth: () => number;
}

export type ServerMetrics = ReturnType<typeof createServerMetrics>;

/** `select`, `insert`, …: a statement's verb, the only part of its text bounded enough to be a label. */
export function sqlOperation(sql: string): string {
  const verb = /^\s*(?:with\b[\s\S]*?\)\s*)?([a-z]+)/i.exec(sql)?.[1]?.toLowerCase() ?? 'other';
  return ['select', 'insert', 'update', 'delete', 'begin', 'commit', 'rollback', 'savepoint', 'release', 'pragma'].includes(verb) ? verb : 'other';
}

/** A promise's time into `histogram`, labelled with its outcome (`ok` or `error`). */
export async function timed<T>(histogram: Histogram<'kind' | 'outcome'>, kind: string, work: () => Promise<T>): Promise<T> {
  const end = histogram.startTimer({ kind });
  try {
    const value = await work();
    end({ outcome: 'ok' });
    return value;
  } catch (e) {
    end({ outcome: 'error' });
    throw e;
  }
}
