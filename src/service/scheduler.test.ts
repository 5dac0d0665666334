import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type Store } from '../store/index.js';
import { FakeClock, settle } from './fake-clock.test-support.js';
import { createScheduler, type Job, type JobClaim } from './scheduler.js';

const START = '2026-12-01T00:00:00Z';
const claimAll: JobClaim = async () => true;

function counting(name: string, everyMs: number, exclusive = false): Job & { runs: number } {
  const job = { name, everyMs, exclusive, runs: 0, async run() { job.runs++; } };
  return job;
}

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('scheduler', () => {
  it('runs each job at start, then once per period, without any real wait', async () => {
    const clock = new FakeClock(START);
    const fast = counting('fast', 1_000);
    const slow = counting('slow', 5_000);
    const scheduler = createScheduler({ clock, claim: claimAll, jobs: [fast, slow], onError: () => expect.unreachable() });
    scheduler.start();
    await settle();
    expect([fast.runs, slow.runs]).toEqual([1, 1]);
    await clock.advance(999);
    expect([fast.runs, slow.runs]).toEqual([1, 1]);
    await clock.advance(1);
    expect([fast.runs, slow.runs]).toEqual([2, 1]);
    await clock.advance(9_000);
    expect([fast.runs, slow.runs]).toEqual([11, 3]);
    await scheduler.stop();
    await clock.advance(60_000);
    expect(fast.runs).toBe(11);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runs an exclusive job on one replica per period (row claim), a shared one on every replica', async () => {
    store = await createSqliteStore(':memory:');
    const clock = new FakeClock(START);
    const claim: JobClaim = (name, now, next) => store!.claimJob(name, now, next);
    const replicas = [0, 1].map(() => ({ exclusive: counting('compaction', 60_000, true), shared: counting('expiry', 60_000) }));
    const schedulers = replicas.map((r) => createScheduler({ clock, claim, jobs: [r.exclusive, r.shared], onError: (_, e) => { throw e; } }));
    for (const s of schedulers) s.start();
    await settle();
    await clock.advance(3 * 60_000);
    expect(replicas.map((r) => r.shared.runs)).toEqual([4, 4]);
    expect(replicas[0]!.exclusive.runs + replicas[1]!.exclusive.runs).toBe(4);
    await Promise.all(schedulers.map((s) => s.stop()));
  });

  it('reports a failing job and keeps running it and the others', async () => {
    const clock = new FakeClock(START);
    const failures: string[] = [];
    let attempts = 0;
    const failing: Job = { name: 'broken', everyMs: 1_000, exclusive: false, async run() { attempts++; throw new Error('disk full'); } };
    const fine = counting('fine', 1_000);
    const scheduler = createScheduler({ clock, claim: claimAll, jobs: [failing, fine], onError: (job, e) => failures.push(`${job}: ${(e as Error).message}`) });
    scheduler.start();
    await settle();
    await clock.advance(2_000);
    expect(attempts).toBe(3);
    expect(fine.runs).toBe(3);
    expect(failures).toEqual(['broken: disk full', 'broken: disk full', 'broken: disk full']);
    await scheduler.stop();
  });

  it('stop waits for the job in progress', async () => {
    const clock = new FakeClock(START);
    let release = () => {};
    let finished = false;
    const slow: Job = { name: 'slow', everyMs: 1_000, exclusive: false, run: () => new Promise<void>((r) => (release = r)).then(() => void (finished = true)) };
    const scheduler = createScheduler({ clock, claim: claimAll, jobs: [slow], onError: () => expect.unreachable() });
    scheduler.start();
    await settle();
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
  });
});
