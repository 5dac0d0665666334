// The region benchmark's HTTP side: signing in through the built-in identity, and timed calls with a per-request timeout.
import { readFile } from 'node:fs/promises';
import { percentile } from './bench-support.js';

export const ADMIN_PASSWORD = 'region-bench-admin';

/**
 * Samples of one operation in seconds; a call that timed out counts as Infinity (slower than anything).
 * A call that failed otherwise (an error status, a dead server) is counted apart and has no sample.
 */
export interface Probe {
  readonly samples: number[];
  readonly timeouts: number;
  readonly failures: number;
  readonly firstError?: string;
}

export class Client {
  constructor(readonly base: string, readonly token: string, readonly timeoutMs: number) {}

  /** One call; throws on a 4xx/5xx answer, and with name 'TimeoutError' past the timeout. */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'x-auth-token': this.token, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
  }

  /** Runs `fn` `n` times in sequence; timed-out and failed calls are recorded, not thrown. */
  async probe(n: number, fn: (i: number) => Promise<unknown>): Promise<Probe> {
    const samples: number[] = [];
    let timeouts = 0;
    let failures = 0;
    let firstError: string | undefined;
    for (let i = 0; i < n; i++) {
      const start = process.hrtime.bigint();
      try {
        await fn(i);
        samples.push(Number(process.hrtime.bigint() - start) / 1e9);
      } catch (e) {
        if ((e as Error).name === 'TimeoutError') {
          timeouts++;
          samples.push(Infinity);
        } else {
          failures++;
          firstError ??= (e as Error).message;
        }
      }
    }
    return { samples, timeouts, failures, ...(firstError !== undefined && { firstError }) };
  }
}

/** A token from the built-in identity (POST /identity/v3/auth/tokens with a password). */
async function signIn(base: string, user: string, password: string, project: string): Promise<string> {
  const res = await fetch(`${base}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`sign-in of ${user} → ${res.status} ${await res.text()}`);
  return res.headers.get('x-subject-token') ?? '';
}

/** The bootstrapped admin; the server creates it just after it starts listening, so a 401 is retried for a while. */
export async function adminClient(base: string, timeoutMs: number): Promise<Client> {
  for (let attempt = 0; ; attempt++) {
    try {
      return new Client(base, await signIn(base, 'admin', ADMIN_PASSWORD, 'admin'), timeoutMs);
    } catch (e) {
      if (attempt >= 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Creates project `name` with a member user of the same name; returns the project's id. */
export async function createMember(admin: Client, name: string): Promise<string> {
  const project = await admin.call<{ project: { id: string } }>('POST', '/identity/v3/projects', { project: { name } });
  const user = await admin.call<{ user: { id: string } }>('POST', '/identity/v3/users', { user: { name, password: `${name}-pw` } });
  await admin.call('PUT', `/identity/v3/projects/${project.project.id}/users/${user.user.id}/roles/member`);
  return project.project.id;
}

export async function memberClient(base: string, name: string, timeoutMs: number): Promise<Client> {
  return new Client(base, await signIn(base, name, `${name}-pw`, name), timeoutMs);
}

/** `ms` with two decimals, 'timeout' when the percentile fell on a timed-out call, '—' without samples. */
export function ms(seconds: number): string {
  if (Number.isNaN(seconds)) return '—';
  return Number.isFinite(seconds) ? (seconds * 1000).toFixed(2) : 'timeout';
}

export const p50 = (p: Probe) => percentile(p.samples, 50);
export const p99 = (p: Probe) => percentile(p.samples, 99);

/** Resident set size of a process in MB (Linux /proc), or NaN when it cannot be read. */
export async function rssMb(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

/** CPU time (user + system) the process has used so far, in ms, from /proc (clock ticks of 1/100 s). */
export async function cpuMs(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces) start at its closing parenthesis; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields.length < 13 ? NaN : (Number(fields[11]) + Number(fields[12])) * 10;
}
