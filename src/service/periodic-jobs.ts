// The server's periodic jobs: rule expiry, change-log compaction, token cleanup (docs/history.md, "Scheduler").
import type { Job } from './scheduler.js';

/** Expiry runs often: a rule outlives its `expires_at` by at most this (plus the delete itself). */
export const RULE_EXPIRY_EVERY_MS = 5_000;
const COMPACTION_EVERY_MS = 60_000;
const TOKEN_CLEANUP_EVERY_MS = 60_000;

export interface JobTargets {
  readonly rules: { expireDue(): Promise<number> };
  readonly changes: { compact(): Promise<void> };
  /** Absent when identity is not built in (noauth, external Keystone): no tokens to clean up. */
  readonly identity?: { pruneExpired(): Promise<void> };
}

export function periodicJobs(targets: JobTargets): Job[] {
  return [
    // On every replica, so a replica that stops never holds an expiry up; each rule is still deleted once.
    { name: 'rule-expiry', everyMs: RULE_EXPIRY_EVERY_MS, exclusive: false, run: () => targets.rules.expireDue() },
    { name: 'change-compaction', everyMs: COMPACTION_EVERY_MS, exclusive: true, run: () => targets.changes.compact() },
    ...(targets.identity ? [{ name: 'token-cleanup', everyMs: TOKEN_CLEANUP_EVERY_MS, exclusive: true, run: () => targets.identity!.pruneExpired() }] : []),
  ];
}
