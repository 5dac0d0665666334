// The agent's HTTP client for the Palisade API: its host's feed, state and changes (docs/change-feed.md).
import {
  HOST_FEED_FORMAT, type AddressGroupWire, type HostPageWire, type HostStateWire, type MemberWire, type PortWire, type SecurityGroupRuleWire,
  type SecurityGroupWire,
} from '../contract/index.js';

export interface Credentials {
  /** Keystone token (X-Auth-Token); without one (and without `signIn`), noauth headers for an admin of `project`. */
  readonly token?: string | undefined;
  readonly project?: string | undefined;
  /**
   * Obtains a fresh token (a password sign-in). Tokens expire (an hour by default) and may be revoked;
   * a long-running agent signs in again whenever the server answers 401, instead of stopping.
   */
  readonly signIn?: (() => Promise<string>) | undefined;
  /** Roles sent in noauth mode (default `admin`); the host agent sends `agent`, all that it needs. */
  readonly roles?: string | undefined;
}

export class ServerError extends Error {
  override readonly name = 'ServerError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface Snapshot {
  readonly seq: number;
  readonly ports: PortWire[];
  readonly groups: SecurityGroupWire[];
  readonly rules: SecurityGroupRuleWire[];
  /** Absent in a snapshot an agent of the previous release saved: it followed the global log. */
  readonly members?: MemberWire[];
  /** Absent in snapshots saved before address groups. */
  readonly addressGroups?: AddressGroupWire[];
}

/** The server speaks no host-feed format this agent reads: stop and say so rather than misread it. */
export class FeedFormatError extends Error {
  override readonly name = 'FeedFormatError';
}

function checkFormat<T extends { format?: unknown }>(body: T, path: string): T {
  if (body.format !== HOST_FEED_FORMAT) {
    throw new FeedFormatError(`GET ${path}: the server answered host-feed format ${JSON.stringify(body.format ?? null)}; this agent reads ${HOST_FEED_FORMAT}. Run an agent and a server of one release.`);
  }
  return body;
}

export class ServerClient {
  #token: string | undefined;

  constructor(readonly url: string, readonly credentials: Credentials = {}) {
    this.#token = credentials.token;
  }

  async #headers(): Promise<Record<string, string>> {
    if (this.#token === undefined && this.credentials.signIn) this.#token = await this.credentials.signIn();
    if (this.#token) return { 'X-Auth-Token': this.#token };
    return { 'X-Project-Id': this.credentials.project ?? 'admin', 'X-Roles': this.credentials.roles ?? 'admin' };
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    let res = await this.#fetch(path, signal);
    if (res.status === 401 && this.credentials.signIn) {
      // Expired or revoked: drop the token, sign in again, and retry once.
      await res.body?.cancel();
      this.#token = undefined;
      res = await this.#fetch(path, signal);
    }
    const text = await res.text();
    if (!res.ok) throw new ServerError(res.status, `GET ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async #fetch(path: string, signal?: AbortSignal): Promise<Response> {
    return fetch(new URL(path, this.url), { headers: await this.#headers(), ...(signal ? { signal } : {}) });
  }

  /** A host-feed read; a server without host feeds (an older release answers 404) is a format error, not a retry. */
  async #hostGet<T extends { format?: unknown }>(path: string, signal?: AbortSignal): Promise<T> {
    try {
      return checkFormat(await this.get<T>(path, signal), path);
    } catch (e) {
      if (e instanceof ServerError && e.status === 404) {
        throw new FeedFormatError(`GET ${path}: the server has no host feeds (404); this agent needs a server that speaks ${HOST_FEED_FORMAT}.`);
      }
      throw e;
    }
  }

  #hostPath(host: string, rest: string): string {
    return `/v2.0/palisade/hosts/${encodeURIComponent(host)}/${rest}${rest.includes('?') ? '&' : '?'}format=${encodeURIComponent(HOST_FEED_FORMAT)}`;
  }

  /** The host's page after `since`, or 'expired' when the feed no longer reaches back that far (410). */
  async hostChanges(host: string, since: number, waitSeconds: number, signal?: AbortSignal): Promise<HostPageWire | 'expired'> {
    try {
      return await this.#hostGet<HostPageWire>(this.#hostPath(host, `changes?since=${since}&limit=5000&wait=${waitSeconds}`), signal);
    } catch (e) {
      if (e instanceof ServerError && e.status === 410) return 'expired';
      throw e;
    }
  }

  /** What the host's agent models, current at the returned seq: its projection, computed by the server. */
  async hostState(host: string): Promise<Snapshot> {
    const s = await this.#hostGet<HostStateWire>(this.#hostPath(host, 'state'));
    return { seq: s.seq, ports: s.ports, groups: s.security_groups, rules: s.security_group_rules, members: s.members, addressGroups: s.address_groups };
  }

  async portsOfHost(host: string): Promise<PortWire[]> {
    return (await this.get<{ ports: PortWire[] }>(`/v2.0/ports?binding:host_id=${encodeURIComponent(host)}`)).ports;
  }
}
