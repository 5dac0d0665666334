// The agent's HTTP client for the Palisade API: full listings and the change log (docs/change-feed.md).
import type { AddressGroupWire, ChangePageWire, PortWire, SecurityGroupRuleWire, SecurityGroupWire } from '../contract/index.js';

export interface Credentials {
  /** Keystone token (X-Auth-Token); without one (and without `signIn`), noauth headers for an admin of `project`. */
  readonly token?: string | undefined;
  readonly project?: string | undefined;
  /**
   * Obtains a fresh token (a password sign-in). Tokens expire (an hour by default) and may be revoked;
   * a long-running agent signs in again whenever the server answers 401, instead of stopping.
   */
  readonly signIn?: (() => Promise<string>) | undefined;
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
  /** Absent in snapshots saved before address groups. */
  readonly addressGroups?: AddressGroupWire[];
}

export class ServerClient {
  #token: string | undefined;

  constructor(readonly url: string, readonly credentials: Credentials = {}) {
    this.#token = credentials.token;
  }

  async #headers(): Promise<Record<string, string>> {
    if (this.#token === undefined && this.credentials.signIn) this.#token = await this.credentials.signIn();
    if (this.#token) return { 'X-Auth-Token': this.#token };
    return { 'X-Project-Id': this.credentials.project ?? 'admin', 'X-Roles': 'admin' };
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

  /** The change page after `since`, or 'expired' when the log no longer reaches back that far (410). */
  async changes(since: number, waitSeconds: number, signal?: AbortSignal): Promise<ChangePageWire | 'expired'> {
    try {
      return await this.get<ChangePageWire>(`/v2.0/palisade/changes?since=${since}&limit=5000&wait=${waitSeconds}`, signal);
    } catch (e) {
      if (e instanceof ServerError && e.status === 410) return 'expired';
      throw e;
    }
  }

  /** Everything the agent models, consistent from the returned seq on: the seq is read before the lists. */
  async snapshot(): Promise<Snapshot> {
    const head = await this.get<ChangePageWire>(`/v2.0/palisade/changes?since=${Number.MAX_SAFE_INTEGER}&limit=1`);
    const [ports, groups, rules, addressGroups] = await Promise.all([
      this.get<{ ports: PortWire[] }>('/v2.0/ports'),
      this.get<{ security_groups: SecurityGroupWire[] }>('/v2.0/security-groups'),
      this.get<{ security_group_rules: SecurityGroupRuleWire[] }>('/v2.0/security-group-rules'),
      this.get<{ address_groups: AddressGroupWire[] }>('/v2.0/address-groups'),
    ]);
    const bare = groups.security_groups.map(({ security_group_rules: _rules, ...g }) => g);
    return { seq: head.latest_seq, ports: ports.ports, groups: bare, rules: rules.security_group_rules, addressGroups: addressGroups.address_groups };
  }

  async portsOfHost(host: string): Promise<PortWire[]> {
    return (await this.get<{ ports: PortWire[] }>(`/v2.0/ports?binding:host_id=${encodeURIComponent(host)}`)).ports;
  }
}
