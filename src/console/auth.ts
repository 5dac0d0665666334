// Who the console acts as. noauth mode: X-Project-Id and X-Roles headers; the identity issue swaps in X-Auth-Token here.

export interface Credentials {
  readonly projectId: string;
  readonly role: 'member' | 'admin';
}

const STORAGE_KEY = 'palisade.credentials';
const DEFAULT: Credentials = { projectId: 'demo', role: 'member' };
const listeners = new Set<() => void>();

export function getCredentials(): Credentials {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Credentials> | null;
    const projectId = typeof raw?.projectId === 'string' && raw.projectId.trim() !== '' ? raw.projectId.trim() : DEFAULT.projectId;
    return { projectId, role: raw?.role === 'admin' ? 'admin' : 'member' };
  } catch {
    return DEFAULT;
  }
}

export function setCredentials(c: Credentials): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(c));
  for (const l of listeners) l();
}

/** Calls `listener` whenever the credentials change; returns the unsubscribe function. */
export function onCredentialsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const c = getCredentials();
  return { 'X-Project-Id': c.projectId, 'X-Roles': c.role };
}
