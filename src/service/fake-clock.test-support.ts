// A clock for tests: time moves only when the test says, and due timers fire in order as it does.
import type { Clock } from './scheduler.js';

/** Lets promise chains and I/O callbacks that are already due run (a job's awaits, a scheduler's re-arm). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  #now: number;
  #timers = new Map<number, { at: number; fire: () => void }>();
  #nextId = 1;

  constructor(start: string | number) {
    this.#now = typeof start === 'string' ? Date.parse(start) : start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  setTimeout(fire: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + ms, fire });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time on by `ms`, firing each timer that falls due on the way and letting what it starts settle. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].fire();
      await settle();
    }
    this.#now = end;
  }
}
