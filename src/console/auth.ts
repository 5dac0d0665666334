// Who the console acts as, and the only module that knows how. The server's mode comes from GET /_console/auth-mode:
// keystone: a token from /identity/v3/auth/tokens (sessionStorage), sent as X-Auth-Token; a 401 signs out.
// noauth: X-Project-Id and X-Roles from the header bar's project form (localStorage).
// external: tokens come from an outside Keystone the console cannot reach; the sign-in page says so.
import { identityErrorMessage, parseStoredSession, passwordSignInBody, roleOf, sessionFromToken, type Session } from './session.js';

export type { Session } from './session.js';
export type AuthMode = 'keystone' | 'noauth' | 'external';

export interface Credentials {
  readonly projectId: string;
  readonly role: 'member' | 'admin';
}

const STORAGE_KEY = 'palisade.credentials';
const SESSION_KEY = 'palisade.session';
const DEFAULT: Credentials = { projectId: 'demo', role: 'member' };
const listeners = new Set<() => void>();

let mode: AuthMode | null = null;
/** Why the last session ended (a 401's message, expiry, sign-out); shown on the sign-in page. */
let notice: SignInNotice | null = null;

export interface SignInNotice {
  readonly message: string;
  /** A 401 or an expiry, not the user's own sign-out. */
  readonly problem: boolean;
}

function notify(): void {
  for (const l of listeners) l();
}

/** The server's auth mode, once loadAuthMode has answered; null before. */
export function authMode(): AuthMode | null {
  return mode;
}

/** Asks the server which mode it runs in; a server without the endpoint is taken as noauth (older builds). */
export async function loadAuthMode(): Promise<AuthMode> {
  let m: AuthMode = 'noauth';
  try {
    const res = await fetch('/_console/auth-mode', { headers: { Accept: 'application/json' } });
    if (res.ok) {
      const body = (await res.json()) as { mode?: unknown };
      if (body.mode === 'keystone' || body.mode === 'external' || body.mode === 'noauth') m = body.mode;
    }
  } catch {
    // unreachable: the first API call will say so in words
  }
  mode = m;
  notify();
  return m;
}

/** The signed-in session (keystone mode), or null; an expired one is dropped with a notice. */
export function getSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  const session = parseStoredSession(raw, Date.now());
  if (raw !== null && session === null) {
    sessionStorage.removeItem(SESSION_KEY);
    notice = { message: 'Your session expired. Sign in again.', problem: true };
  }
  return session;
}

export function signInNotice(): SignInNotice | null {
  return notice;
}

export function getCredentials(): Credentials {
  if (mode !== null && mode !== 'noauth') {
    const s = getSession();
    return s ? { projectId: s.projectId, role: roleOf(s) } : DEFAULT;
  }
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Credentials> | null;
    const projectId = typeof raw?.projectId === 'string' && raw.projectId.trim() !== '' ? raw.projectId.trim() : DEFAULT.projectId;
    return { projectId, role: raw?.role === 'admin' ? 'admin' : 'member' };
  } catch {
    return DEFAULT;
  }
}

/** noauth: the header bar's project form. */
export function setCredentials(c: Credentials): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(c));
  notify();
}

/** Calls `listener` whenever the mode, session or credentials change; returns the unsubscribe function. */
export function onCredentialsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  if (mode !== null && mode !== 'noauth') {
    const s = getSession();
    if (!s) notify();
    return s ? { 'X-Auth-Token': s.token } : {};
  }
  const c = getCredentials();
  return { 'X-Project-Id': c.projectId, 'X-Roles': c.role };
}

/** Password sign-in; resolves with the session or rejects with the identity service's words. */
export async function signIn(input: { user: string; password: string; project: string; domain: string }): Promise<Session> {
  let res: Response;
  try {
    res = await fetch('/identity/v3/auth/tokens?nocatalog', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(passwordSignInBody(input)),
    });
  } catch (e) {
    throw new Error(`Cannot reach the identity service: ${(e as Error).message}`, { cause: e });
  }
  const text = await res.text();
  if (!res.ok) throw new Error(identityErrorMessage(res.status, text));
  const session = sessionFromToken(res.headers.get('X-Subject-Token'), JSON.parse(text));
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  notice = null;
  notify();
  return session;
}

/** Revokes the token (best effort) and returns to the sign-in page. */
export async function signOut(): Promise<void> {
  const s = getSession();
  sessionStorage.removeItem(SESSION_KEY);
  notice = { message: 'You signed out.', problem: false };
  notify();
  if (!s) return;
  try {
    await fetch('/identity/v3/auth/tokens', { method: 'DELETE', headers: { 'X-Auth-Token': s.token, 'X-Subject-Token': s.token } });
  } catch {
    // the token expires on its own
  }
}

/** An API call answered 401: the token expired or was revoked; back to the sign-in page with the API's words. */
export function rejected(message: string): void {
  if (mode === null || mode === 'noauth') return;
  // Already signed out (an expiry noticed before the call): keep that notice.
  if (sessionStorage.getItem(SESSION_KEY) === null && notice !== null) return notify();
  sessionStorage.removeItem(SESSION_KEY);
  notice = { message, problem: true };
  notify();
}
