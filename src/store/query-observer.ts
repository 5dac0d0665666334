// What the store reports about each statement it runs (the server times them into its metrics).
import type { LogEvent } from 'kysely';

export interface QueryEvent {
  readonly sql: string;
  readonly durationMs: number;
  readonly failed: boolean;
}

export type QueryObserver = (event: QueryEvent) => void;

/** Kysely's `log` option feeding `observer`; Kysely times every statement, the pool wait excluded. */
export function kyselyLog(observer: QueryObserver | undefined): { log?: (event: LogEvent) => void } {
  if (!observer) return {};
  return { log: (event) => observer({ sql: event.query.sql, durationMs: event.queryDurationMillis, failed: event.level === 'error' }) };
}
