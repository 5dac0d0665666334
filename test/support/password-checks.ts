// A password check for tests that counts comparisons and can hold them, to line up races without timing.
import { verifyPassword } from '../../src/service/password-hash.js';

export interface PasswordChecks {
  /** Pass as the identity service's `verifyPassword`. */
  readonly verify: (password: string, stored: string) => Promise<boolean>;
  /** Comparisons started since the last reset. */
  readonly count: number;
  reset(): void;
  /** Further comparisons wait (after being counted) until release(). */
  hold(): void;
  release(): void;
  /** Resolves once `n` comparisons have started since the last reset. */
  started(n: number): Promise<void>;
}

export function passwordChecks(): PasswordChecks {
  let count = 0;
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  let waiters: { n: number; resolve: () => void }[] = [];
  return {
    async verify(password, stored) {
      count += 1;
      waiters = waiters.filter((w) => (count >= w.n ? (w.resolve(), false) : true));
      if (gate) await gate;
      return verifyPassword(password, stored);
    },
    get count() {
      return count;
    },
    reset: () => void (count = 0),
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
    started: (n) => (count >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
  };
}
