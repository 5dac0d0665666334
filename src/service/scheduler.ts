// One scheduler for every periodic job: a timer per replica, a row claim so an exclusive job runs once per period.

/** Time and timers, injected so tests drive the scheduler with a fake clock. */
export interface Clock {
  now(): Date;
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => new Date(),
  setTimeout(fire, ms) {
    const timer = setTimeout(fire, ms);
    // A pending job must never keep a stopping process alive.
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Job {
  readonly name: string;
  readonly everyMs: number;
  /**
   * Exclusive: one replica runs it per period (the one whose claim moved the job's next run on). Otherwise
   * every replica runs it each period, and the job itself must be safe to run concurrently.
   */
  readonly exclusive: boolean;
  run(): Promise<unknown>;
}

/** Moves a job's next run from at most `now` to `next`; true for exactly one claimant (Store.claimJob). */
export type JobClaim = (name: string, now: string, next: string) => Promise<boolean>;

export interface SchedulerOptions {
  readonly clock: Clock;
  readonly claim: JobClaim;
  readonly jobs: readonly Job[];
  readonly onError: (job: string, error: unknown) => void;
}

export function createScheduler(options: SchedulerOptions) {
  const { clock, claim, jobs } = options;
  const tickMs = Math.min(...jobs.map((j) => j.everyMs));
  /** When each job is next due on this replica (exclusive jobs are also claimed in the database). */
  const due = new Map(jobs.map((j) => [j.name, 0]));
  let timer: unknown = null;
  let stopped = true;
  let running: Promise<void> = Promise.resolve();

  async function runJob(job: Job, now: Date): Promise<void> {
    if ((due.get(job.name) ?? 0) > now.getTime()) return;
    const next = new Date(now.getTime() + job.everyMs);
    due.set(job.name, next.getTime());
    try {
      if (job.exclusive && !(await claim(job.name, now.toISOString(), next.toISOString()))) return;
      await job.run();
    } catch (e) {
      options.onError(job.name, e);
    }
  }

  async function runDue(): Promise<void> {
    const now = clock.now();
    for (const job of jobs) await runJob(job, now);
  }

  function schedule(): void {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      timer = null;
      running = runDue().finally(schedule);
    }, tickMs);
  }

  return {
    /** Runs every job once now, then each one every `everyMs`. */
    start(): void {
      if (!stopped || jobs.length === 0) return;
      stopped = false;
      running = runDue().finally(schedule);
    },
    /** No job starts after this; resolves once the one running (if any) has finished. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
