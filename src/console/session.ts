// A signed-in console session from a Keystone token answer, its expiry, and Keystone's error words (pure; auth.ts stores it).

export interface Session {
  readonly token: string;
  /** Epoch milliseconds from the token's expires_at. */
  readonly expiresAt: number;
  readonly userName: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly roles: readonly string[];
}

/** Signs out this long before the token expires, so a request never races the expiry. */
export const EXPIRY_MARGIN_MS = 30_000;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * The session from `POST /identity/v3/auth/tokens`: the X-Subject-Token header and the body's token.
 * Throws an Error in words when the answer is not a usable project-scoped token.
 */
export function sessionFromToken(subjectToken: string | null, body: unknown): Session {
  if (!subjectToken) throw new Error('The identity service answered without an X-Subject-Token header.');
  const t = (body as { token?: Record<string, unknown> } | null)?.token;
  if (typeof t !== 'object' || t === null) throw new Error('The identity service answered without a token body.');
  const expiresAt = Date.parse(String(t['expires_at']));
  if (Number.isNaN(expiresAt)) throw new Error(`The token has no valid expires_at (${String(t['expires_at'])}).`);
  const project = t['project'] as { id?: unknown; name?: unknown } | undefined;
  const projectId = str(project?.id);
  if (!projectId) throw new Error('The token is not scoped to a project; sign in with a project name.');
  const user = t['user'] as { name?: unknown } | undefined;
  const roles = Array.isArray(t['roles']) ? t['roles'].map((r: { name?: unknown }) => str(r?.name)).filter((r): r is string => r !== null) : [];
  return { token: subjectToken, expiresAt, userName: str(user?.name) ?? '?', projectId, projectName: str(project?.name) ?? projectId, roles };
}

/** True once `now` is within EXPIRY_MARGIN_MS of the expiry. */
export function isExpired(session: Session, now: number): boolean {
  return now >= session.expiresAt - EXPIRY_MARGIN_MS;
}

/** The console's role switch: admin if the token carries the admin role. */
export function roleOf(session: Session): 'admin' | 'member' {
  return session.roles.includes('admin') ? 'admin' : 'member';
}

/** A stored session read back (sessionStorage); null when missing, malformed or expired. */
export function parseStoredSession(raw: string | null, now: number): Session | null {
  if (raw === null) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.token !== 'string' || typeof s.expiresAt !== 'number' || typeof s.projectId !== 'string') return null;
    const session: Session = {
      token: s.token, expiresAt: s.expiresAt, projectId: s.projectId,
      userName: typeof s.userName === 'string' ? s.userName : '?',
      projectName: typeof s.projectName === 'string' ? s.projectName : s.projectId,
      roles: Array.isArray(s.roles) ? s.roles.filter((r): r is string => typeof r === 'string') : [],
    };
    return isExpired(session, now) ? null : session;
  } catch {
    return null;
  }
}

/** Keystone's `{"error": {"message"}}` in words, or the status when the body says nothing. */
export function identityErrorMessage(status: number, text: string): string {
  try {
    const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof m === 'string' && m !== '') return m;
  } catch {
    // not JSON
  }
  return text.trim() === '' ? `The identity service answered ${status} with no details.` : `The identity service answered ${status}: ${text.slice(0, 300)}`;
}

/** The auth request body for a password sign-in scoped to a project by name. */
export function passwordSignInBody(input: { user: string; password: string; project: string; domain: string }): unknown {
  const domain = { name: input.domain };
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: input.user, domain, password: input.password } } },
      scope: { project: { name: input.project, domain } },
    },
  };
}
