// Sign-in under attack: parallel guesses, an admin's change racing failed sign-ins, unknown names.
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeIdentityHarness, type IdentityHarness } from './support/identity-harness.js';
import { passwordChecks, type PasswordChecks } from './support/password-checks.js';

let h: IdentityHarness;
let checks: PasswordChecks;
afterEach(async () => h.close());

async function start(): Promise<{ admin: string; alice: { userId: string } }> {
  checks = passwordChecks();
  h = await makeIdentityHarness(3600, { verifyPassword: checks.verify });
  const admin = await h.token('admin', ADMIN_PASSWORD, 'admin');
  const alice = await h.member('p1', 'alice');
  checks.reset();
  return { admin, alice };
}

/** Starts `n` wrong-password sign-ins for alice and waits until each is comparing its hash (held). */
async function heldFailures(n: number): Promise<{ done: Promise<unknown> }> {
  checks.hold();
  const all = Promise.all(Array.from({ length: n }, (_, i) => h.signIn('alice', `wrong-${i}`, 'p1')));
  await checks.started(n);
  return { done: all };
}

describe('failed sign-ins never write over an admin change (lost update)', () => {
  it('a user disabled while wrong passwords are being checked stays disabled', async () => {
    const { admin, alice } = await start();
    const failures = await heldFailures(3);
    const patched = await h.call(admin, 'PATCH', `/identity/v3/users/${alice.userId}`, { user: { enabled: false } });
    expect([patched.status, patched.body['user']['enabled']]).toEqual([200, false]);
    checks.release();
    await failures.done;
    expect((await h.call(admin, 'GET', `/identity/v3/users/${alice.userId}`)).body['user']['enabled']).toBe(false);
    expect((await h.signIn('alice', 'alice-pw', 'p1')).status).toBe(401);
  });

  it('a password reset while wrong passwords are being checked holds: the old password fails', async () => {
    const { admin, alice } = await start();
    const failures = await heldFailures(3);
    expect((await h.call(admin, 'PATCH', `/identity/v3/users/${alice.userId}`, { user: { password: 'new-pw' } })).status).toBe(200);
    checks.release();
    await failures.done;
    expect((await h.signIn('alice', 'alice-pw', 'p1')).status).toBe(401);
    expect((await h.signIn('alice', 'new-pw', 'p1')).status).toBe(201);
  });
});

describe('parallel guessing', () => {
  it('60 parallel guesses are counted before comparing: 5 hashes compared, then locked, the right password too', async () => {
    await start();
    const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => h.signIn('alice', `guess-${i}`, 'p1')));
    expect(replies.map((r) => r.status)).toEqual(Array(60).fill(401));
    expect(replies.filter((r) => String(r.body['error']['message']).includes('temporarily locked'))).toHaveLength(55);
    const right = await h.signIn('alice', 'alice-pw', 'p1');
    expect([right.status, right.body['error']?.['message']]).toEqual([401, expect.stringContaining('temporarily locked')]);
    expect(checks.count).toBe(5);
  });
});

describe('unknown users', () => {
  /** Six wrong passwords, the right one (locked), one more guess after the lock ends, then the right one again. */
  async function attempts(name: string): Promise<string[]> {
    const seen: string[] = [];
    const tryOnce = async (password: string) => {
      const r = await h.signIn(name, password, 'p1');
      seen.push(`${r.status} ${String(r.headers['www-authenticate'])} ${r.raw}`);
    };
    for (let i = 0; i < 6; i++) await tryOnce(`wrong-${i}`);
    await tryOnce('alice-pw');
    h.advance(1.5);
    await tryOnce('wrong-again');
    await tryOnce('alice-pw');
    return seen;
  }

  it('answer the same status and body as a real user at every step, locked included, after the same hash work', async () => {
    await start();
    const real = await attempts('alice');
    const realChecks = checks.count;
    checks.reset();
    const unknown = await attempts('nobody');
    expect(unknown).toEqual(real);
    expect(real[5]).toContain('temporarily locked');
    expect(real[7]).not.toContain('temporarily locked');
    expect(real[8]).toContain('temporarily locked');
    expect([checks.count, realChecks]).toEqual([6, 6]);
  });
});
