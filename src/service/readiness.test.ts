import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type Store } from '../store/index.js';
import { checkReadiness } from './readiness.js';

describe('checkReadiness', () => {
  let store: Store;
  afterEach(async () => {
    await store.close().catch(() => undefined);
  });

  it('is ready on a migrated, reachable database that is caught up', async () => {
    store = await createSqliteStore(':memory:');
    expect(await checkReadiness(store, async () => 0, 10)).toEqual({ ready: true, checks: { database: 'ok', migrations: 'ok', change_log: 'ok' }, latest_seq: 0, lag: 0 });
  });

  it('is not ready while the caches trail the log by more than the bound', async () => {
    store = await createSqliteStore(':memory:');
    const r = await checkReadiness(store, async () => 11, 10);
    expect(r.ready).toBe(false);
    expect(r.checks).toEqual({ database: 'ok', migrations: 'ok', change_log: '11 changes behind (bound 10)' });
  });

  it('is not ready with a pending migration', async () => {
    store = await createSqliteStore(':memory:');
    const pending = Object.assign(Object.create(store) as Store, { pendingMigrations: async () => ['006-next'], latestChangeSeq: () => store.latestChangeSeq() });
    const r = await checkReadiness(pending, async () => 0, 10);
    expect(r.ready).toBe(false);
    expect(r.checks.migrations).toBe('pending: 006-next');
  });

  it('is not ready when the database does not answer', async () => {
    store = await createSqliteStore(':memory:');
    await store.close();
    const r = await checkReadiness(store, async () => 0, 10);
    expect(r.ready).toBe(false);
    expect(r.checks.database).toMatch(/^unreachable: /);
  });
});
