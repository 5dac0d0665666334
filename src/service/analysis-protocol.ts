// Messages between the server thread and the analysis worker, and domain errors carried across as plain data.
import { type Change, ConflictError, type DomainErrorKind, type ErrorCode, type InputIssue, DomainError, InvalidInputError, NotFoundError, OverLimitError } from '../domain/index.js';
import type { AnalysisLimits } from './analysis-limits.js';
import type { AnalysisQuestion } from './analysis-questions.js';
import type { EngineSource } from './engine-cache.js';

/** Where the worker reads the change log: its own connection to the database, or through the server thread. */
export type AnalysisDatabase = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };

export interface WorkerData {
  readonly database: AnalysisDatabase | null;
  readonly limits: AnalysisLimits;
}

export type StoreMethod = keyof EngineSource;
export const STORE_METHODS: readonly StoreMethod[] = ['latestChangeSeq', 'oldestChangeSeq', 'listChanges', 'listGroups', 'listRules', 'listPorts', 'listAddressGroups'];

export interface WireError {
  readonly kind?: DomainErrorKind;
  readonly code?: ErrorCode;
  readonly message: string;
  readonly issues?: readonly InputIssue[];
}

export type ToWorker =
  | { readonly type: 'ask'; readonly id: number; readonly seq: number; readonly question: AnalysisQuestion }
  | { readonly type: 'commit'; readonly changes: readonly Change[] }
  /** Load the snapshot now, before the first question (a region takes seconds to load). */
  | { readonly type: 'warm' }
  | { readonly type: 'store-reply'; readonly id: number; readonly value?: unknown; readonly error?: WireError };

/**
 * `started`: the worker has caught up and begins computing this question (the watchdog's clock starts);
 * `answer`: the response body, JSON as UTF-8 bytes whose buffer is transferred, not copied.
 */
export type FromWorker =
  | { readonly type: 'started'; readonly id: number }
  | { readonly type: 'answer'; readonly id: number; readonly body?: Uint8Array; readonly error?: WireError }
  | { readonly type: 'store'; readonly id: number; readonly method: StoreMethod; readonly args: readonly unknown[] };

export function errorToWire(e: unknown): WireError {
  if (e instanceof InvalidInputError) return { kind: e.kind, code: e.code, message: e.message, issues: e.issues };
  if (e instanceof DomainError) return { kind: e.kind, code: e.code, message: e.message };
  return { message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

/** The engine throws only these kinds; anything else arrives as a plain Error (an internal error). */
export function errorFromWire(w: WireError): Error {
  switch (w.kind) {
    case 'invalid-input': return new InvalidInputError(w.issues ?? [{ path: '', code: w.code ?? 'InvalidInput', message: w.message }]);
    case 'not-found': return new NotFoundError(w.code!, w.message);
    case 'over-limit': return new OverLimitError(w.code!, w.message);
    case 'conflict': return new ConflictError(w.code!, w.message);
    default: return new Error(w.message);
  }
}
