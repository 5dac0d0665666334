import { describe, expect, it } from 'vitest';
import { EXPIRY_MARGIN_MS, identityErrorMessage, isExpired, parseStoredSession, passwordSignInBody, roleOf, sessionFromToken } from './session.js';

const BODY = {
  token: {
    methods: ['password'], user: { id: 'u1', name: 'alice', domain: { id: 'default', name: 'Default' } },
    expires_at: '2030-01-01T01:00:00.000000Z', issued_at: '2030-01-01T00:00:00.000000Z',
    project: { id: 'p1', name: 'web', domain: { id: 'default', name: 'Default' } }, roles: [{ id: 'member', name: 'member' }, { id: 'reader', name: 'reader' }],
  },
};
const EXPIRES = Date.parse('2030-01-01T01:00:00Z');

describe('sessionFromToken', () => {
  it('keeps the token, expiry, user, project and roles', () => {
    const s = sessionFromToken('tok', BODY);
    expect(s).toEqual({ token: 'tok', expiresAt: EXPIRES, userName: 'alice', projectId: 'p1', projectName: 'web', roles: ['member', 'reader'] });
    expect(roleOf(s)).toBe('member');
    expect(roleOf({ ...s, roles: ['reader', 'admin'] })).toBe('admin');
  });

  it('refuses answers the console cannot use, in words', () => {
    expect(() => sessionFromToken(null, BODY)).toThrow(/X-Subject-Token/);
    expect(() => sessionFromToken('t', {})).toThrow(/token body/);
    expect(() => sessionFromToken('t', { token: { ...BODY.token, expires_at: 'soon' } })).toThrow(/expires_at/);
    const { project: _, ...unscoped } = BODY.token;
    expect(() => sessionFromToken('t', { token: unscoped })).toThrow(/not scoped to a project/);
  });
});

describe('expiry', () => {
  const s = sessionFromToken('tok', BODY);
  it('counts a token as expired a margin before expires_at', () => {
    expect(isExpired(s, EXPIRES - EXPIRY_MARGIN_MS - 1)).toBe(false);
    expect(isExpired(s, EXPIRES - EXPIRY_MARGIN_MS)).toBe(true);
    expect(isExpired(s, EXPIRES + 1)).toBe(true);
  });

  it('reads a stored session back only while it is valid', () => {
    const raw = JSON.stringify(s);
    expect(parseStoredSession(raw, EXPIRES - 3_600_000)).toEqual(s);
    expect(parseStoredSession(raw, EXPIRES)).toBeNull();
    expect(parseStoredSession(null, 0)).toBeNull();
    expect(parseStoredSession('{not json', 0)).toBeNull();
    expect(parseStoredSession(JSON.stringify({ token: 't' }), 0)).toBeNull();
  });
});

describe('identity words', () => {
  it("shows Keystone's message, or the status", () => {
    expect(identityErrorMessage(401, '{"error":{"code":401,"title":"Unauthorized","message":"The request you have made requires authentication."}}'))
      .toBe('The request you have made requires authentication.');
    expect(identityErrorMessage(502, '')).toBe('The identity service answered 502 with no details.');
    expect(identityErrorMessage(502, 'Bad gateway')).toBe('The identity service answered 502: Bad gateway');
  });

  it('builds a password request scoped to a project by name in one domain', () => {
    expect(passwordSignInBody({ user: 'alice', password: 'pw', project: 'web', domain: 'Default' })).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'alice', domain: { name: 'Default' }, password: 'pw' } } },
        scope: { project: { name: 'web', domain: { name: 'Default' } } },
      },
    });
  });
});
