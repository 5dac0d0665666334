// Password sign-in: each attempt is counted (and may lock) before its hash is compared; unknown names end like real users.
import { createHash } from 'node:crypto';
import { UnauthenticatedError } from '../domain/index.js';
import type { IdentityStore, LockSchedule, StoredUser } from '../store/index.js';
import { DUMMY_HASH } from './password-hash.js';

export type DomainRef = { readonly id: string } | { readonly name: string };
export type UserRef = { readonly id: string } | { readonly name: string; readonly domain: DomainRef };

export interface SignInGuardOptions {
  readonly store: IdentityStore;
  readonly now: () => Date;
  readonly verify: (password: string, stored: string) => Promise<boolean>;
  /** Consecutive failures before a subject is locked; each further failure doubles the lock. */
  readonly threshold: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
  /** Told how each attempt ended (the sign-in metrics). */
  readonly onOutcome?: (outcome: SignInOutcome) => void;
}

export type SignInOutcome = 'success' | 'failure' | 'locked';

export const AUTH_FAILED = 'The request you have made requires authentication.';
const LOCKED = 'The account is temporarily locked after repeated failed sign-ins; try again later.';

/** How long a subject's failures are remembered without a new attempt (at least twice the longest lock). */
const ATTEMPT_MEMORY_SECONDS = 24 * 3600;

function subjectKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');
}

/** The attempt-counting subject of an existing user, however it was named at sign-in. */
export function userSubject(userId: string): string {
  return subjectKey('user', userId);
}

/** The subject of a reference that matched no user: the exact name or id, as the lookup compared it. */
function unknownSubject(ref: UserRef): string {
  if ('id' in ref) return subjectKey('id', ref.id);
  return subjectKey('name', 'id' in ref.domain ? `id:${ref.domain.id}` : `name:${ref.domain.name}`, ref.name);
}

/** Lock ends for the threshold-th failure and each one after it, doubling up to the maximum. */
function lockSchedule(options: SignInGuardOptions, at: number): LockSchedule {
  const until: string[] = [];
  for (let seconds = options.baseSeconds; ; seconds *= 2) {
    until.push(new Date(at + Math.min(seconds, options.maxSeconds) * 1000).toISOString());
    if (seconds >= options.maxSeconds) break;
  }
  return { firstLocked: options.threshold, until };
}

export function createSignInGuard(options: SignInGuardOptions) {
  const { store, now, verify } = options;
  return {
    /**
     * The user whose password this is. The attempt is counted first, so that parallel guesses all count and
     * those past the threshold are refused without comparing; an unknown name is counted under its own
     * subject and compared against a dummy hash of the same cost, so it answers exactly as a real user would.
     */
    async check(user: StoredUser | undefined, ref: UserRef, password: string): Promise<StoredUser> {
      const subject = user ? userSubject(user.id) : unknownSubject(ref);
      const at = now();
      if (!(await store.reserveSignInAttempt(subject, at.toISOString(), lockSchedule(options, at.getTime())))) {
        options.onOutcome?.('locked');
        throw new UnauthenticatedError('HTTPUnauthorized', LOCKED);
      }
      const matches = await verify(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !matches || !user.enabled) {
        options.onOutcome?.('failure');
        throw new UnauthenticatedError('HTTPUnauthorized', AUTH_FAILED);
      }
      await store.clearSignInAttempts(subject);
      options.onOutcome?.('success');
      return user;
    },

    async pruneAttempts(): Promise<void> {
      const memory = Math.max(ATTEMPT_MEMORY_SECONDS, 2 * options.maxSeconds);
      await store.pruneSignInAttempts(new Date(now().getTime() - memory * 1000).toISOString());
    },
  };
}
