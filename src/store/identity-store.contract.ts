// The identity store's contract on every back-end: atomic sign-in attempt counting, token epochs, grant revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenRecord } from '../domain/index.js';
import type { LockSchedule } from './sign-in-attempts.js';
import type { Store } from './store.js';

const AT = '2030-01-01T00:00:00.000Z';
const LATER = '2030-01-01T00:00:02.000Z';
const SCHEDULE: LockSchedule = { firstLocked: 5, until: ['2030-01-01T00:00:01.000Z', '2030-01-01T00:00:02.000Z', '2030-01-01T00:00:04.000Z'] };

export function runIdentityStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`identity store contract: ${name}`, () => {
    let store: Store;
    const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => store.close());

    it('counts parallel attempts one by one: exactly the threshold get through, then the subject is locked', async () => {
      const subject = `s-${tag}`;
      const results = await Promise.all(Array.from({ length: 20 }, () => store.identity.reserveSignInAttempt(subject, AT, SCHEDULE)));
      expect(results.filter(Boolean)).toHaveLength(5);
      // The lock of the 5th attempt ends at +1 s; the next attempt then locks for the second step.
      expect(await store.identity.reserveSignInAttempt(subject, '2030-01-01T00:00:01.000Z', SCHEDULE)).toBe(true);
      expect(await store.identity.reserveSignInAttempt(subject, '2030-01-01T00:00:01.500Z', SCHEDULE)).toBe(false);
      await store.identity.clearSignInAttempts(subject);
      expect(await store.identity.reserveSignInAttempt(subject, AT, SCHEDULE)).toBe(true);
    });

    it('forgets subjects idle since before the prune time', async () => {
      const subject = `idle-${tag}`;
      for (let i = 0; i < 5; i++) await store.identity.reserveSignInAttempt(subject, AT, SCHEDULE);
      expect(await store.identity.reserveSignInAttempt(subject, AT, SCHEDULE)).toBe(false);
      await store.identity.pruneSignInAttempts(LATER);
      expect(await store.identity.reserveSignInAttempt(subject, AT, SCHEDULE)).toBe(true);
    });

    it('changes only the fields given, moves the token epoch on when asked, and revokes a grant’s tokens', async () => {
      const id = `u-${tag}`;
      await store.identity.insertUser({ id, name: `user-${tag}`, domainId: 'default', enabled: true, createdAt: AT, passwordHash: 'h', tokenEpoch: 0 });
      expect(await store.identity.updateUser(id, { enabled: false })).toMatchObject({ enabled: false, passwordHash: 'h', tokenEpoch: 0 });
      expect(await store.identity.updateUser(id, { passwordHash: 'h2', revokeTokens: true })).toMatchObject({ enabled: false, passwordHash: 'h2', tokenEpoch: 1 });
      expect(await store.identity.updateUser('nobody', { enabled: true })).toBeUndefined();
      const project = { id: `p-${tag}`, name: `project-${tag}`, domainId: 'default', description: '', enabled: true };
      await store.identity.insertProject(project);
      await store.identity.grantRole({ userId: id, projectId: project.id, role: 'member' });
      const token: TokenRecord = { hash: `t-${tag}`, userId: id, scope: { kind: 'project', projectId: project.id }, issuedAt: AT, expiresAt: LATER, auditId: 'a', revoked: false, userEpoch: 1 };
      await store.identity.insertToken(token);
      await store.identity.revokeRole({ userId: id, projectId: project.id, role: 'member' });
      expect(await store.identity.findToken(token.hash)).toMatchObject({ revoked: true, userEpoch: 1 });
      expect(await store.identity.listAssignments({ userId: id })).toEqual([]);
    });
  });
}
