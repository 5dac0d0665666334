// What every use case needs: the store, a clock, an id source, quota defaults, and commit listeners.
import type { Change } from '../domain/index.js';
import type { QuotaResource, Store } from '../store/index.js';

export interface ServiceDeps {
  readonly store: Store;
  /** Current time; whole seconds are kept (Neutron's timestamps have no fraction). */
  readonly now: () => Date;
  readonly newId: () => string;
  readonly quotaDefaults: Readonly<Record<QuotaResource, number>>;
  /** Called after each commit with the changes it made, in sequence order. */
  readonly onCommit: (changes: readonly Change[]) => void;
}

export const NEUTRON_QUOTA_DEFAULTS: Readonly<Record<QuotaResource, number>> = {
  security_group: 10,
  security_group_rule: 100,
  port: 500,
  network: 100,
  subnet: 100,
  rbac_policy: 10,
};

/** `2026-03-01T10:00:00Z`: UTC, whole seconds, suffix Z. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
