// HTTP client of Palisade's identity API for the CLI: signs in from the standard OS_* variables, then calls /identity/v3.

/** Where the CLI reads its settings; `process.env` in real use. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface AuthSettings {
  /** The identity endpoint, ending in `/v3`. */
  readonly authUrl: string;
  readonly token?: string;
}

/** One service of a Keystone catalog. */
export interface CatalogEntry {
  readonly type: string;
  readonly endpoints: readonly { readonly interface: string; readonly url: string; readonly region?: string }[];
}

export const DEFAULT_AUTH_URL = 'http://127.0.0.1:9696/identity/v3';

/** `http://h:9696/identity`, `…/identity/` and `…/identity/v3` all name the same v3 endpoint. */
export function normalizeAuthUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/v3') ? trimmed : `${trimmed}/v3`;
}

/** Keystone's password-auth body from OS_USERNAME / OS_USER_ID, OS_PASSWORD, OS_PROJECT_* and the domain variables. */
export function passwordAuthBody(env: Environment): object {
  const password = env['OS_PASSWORD'];
  const userName = env['OS_USERNAME'];
  const userId = env['OS_USER_ID'];
  if (!password || (!userName && !userId)) {
    throw new Error('no credentials: set OS_TOKEN, or OS_USERNAME (or OS_USER_ID) and OS_PASSWORD (see docs/identity.md)');
  }
  const domain = (prefix: string) =>
    env[`${prefix}_DOMAIN_ID`] ? { id: env[`${prefix}_DOMAIN_ID`] } : { name: env[`${prefix}_DOMAIN_NAME`] ?? 'Default' };
  const user = userId ? { id: userId, password } : { name: userName, domain: domain('OS_USER'), password };
  const projectId = env['OS_PROJECT_ID'] ?? env['OS_TENANT_ID'];
  const projectName = env['OS_PROJECT_NAME'] ?? env['OS_TENANT_NAME'];
  const scope = projectId ? { project: { id: projectId } } : projectName ? { project: { name: projectName, domain: domain('OS_PROJECT') } } : undefined;
  return { auth: { identity: { methods: ['password'], password: { user } }, ...(scope && { scope }) } };
}

/** The message of a Keystone (`error.message`) or Neutron (`NeutronError.message`) error body. */
function errorMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string }; NeutronError?: { message?: string } };
    const message = body.error?.message ?? body.NeutronError?.message;
    if (message) return `${message} (HTTP ${status})`;
  } catch {
    // not JSON: fall through to the raw text
  }
  return `HTTP ${status}: ${text.slice(0, 200)}`;
}

/** An error status from the API, with the server's message. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, text: string) {
    super(errorMessage(status, text));
    this.status = status;
  }
}

export class IdentityClient {
  readonly #authUrl: string;
  readonly #env: Environment;
  #token: string | undefined;

  constructor(settings: AuthSettings, env: Environment) {
    this.#authUrl = normalizeAuthUrl(settings.authUrl);
    this.#env = env;
    this.#token = settings.token;
  }

  /** The token to send: the given one, or one obtained once with the OS_* password variables. */
  async token(): Promise<string> {
    if (this.#token) return this.#token;
    const res = await fetch(`${this.#authUrl}/auth/tokens?nocatalog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(passwordAuthBody(this.#env)),
    });
    if (res.status !== 201) throw new Error(`sign-in failed: ${errorMessage(res.status, await res.text())}`);
    this.#token = res.headers.get('x-subject-token') ?? undefined;
    if (!this.#token) throw new Error('sign-in answered without X-Subject-Token');
    return this.#token;
  }

  /** Calls `<auth url><path>` with the token; answers the JSON body (undefined for 204), throws on an error status. */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: object): Promise<T> {
    const res = await fetch(`${this.#authUrl}${path}`, {
      method,
      headers: { 'x-auth-token': await this.token(), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 400) throw new ApiError(res.status, text);
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
  }

  /** The service catalog of the token (Keystone's `GET /auth/catalog`). */
  async catalog(): Promise<CatalogEntry[]> {
    return (await this.call<{ catalog?: CatalogEntry[] }>('GET', '/auth/catalog')).catalog ?? [];
  }

  /** The project the token is scoped to (Keystone's token validation, the token checking itself). */
  async projectId(): Promise<string | undefined> {
    const token = await this.token();
    const res = await fetch(`${this.#authUrl}/auth/tokens?nocatalog`, { headers: { 'x-auth-token': token, 'x-subject-token': token } });
    const text = await res.text();
    if (res.status >= 400) throw new ApiError(res.status, text);
    return (JSON.parse(text) as { token?: { project?: { id?: string } } }).token?.project?.id;
  }

  /** GET `path`, or undefined when it answers 404. */
  async find<T = Record<string, unknown>>(path: string): Promise<T | undefined> {
    try {
      return await this.call<T>('GET', path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  }
}
