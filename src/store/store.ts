// The Store interface: what the service layer may ask of persistence, whatever the back-end.
import type { BulkLoad } from './bulk-load.js';
import type { IdentityStore } from './identity-store.js';
import type { Actor, AddressGroup, AuditFilter, Change, DefaultRuleTemplate, HistoryEntry, HistoryPage, HostChange, Network, Port, RbacPolicy, RemoteKind, SecurityGroup, SecurityGroupRule, Subnet } from '../domain/index.js';
import type { DefaultRuleScope } from './default-rule-rows.js';
import type { ListQuery, Page, Reader } from './list-query.js';

export type QuotaResource = 'security_group' | 'security_group_rule' | 'port' | 'network' | 'subnet' | 'rbac_policy';

/** Which rows to load by key (lists use the ListPages below): absent keys do not restrict. */
export interface Scope {
  readonly ids?: readonly string[];
}

export interface RuleScope extends Scope {
  readonly securityGroupIds?: readonly string[];
  readonly remoteGroupIds?: readonly string[];
}

export interface PortScope extends Scope {
  readonly securityGroupIds?: readonly string[];
  /** Ports bound to one of these hosts (`binding:host_id`). */
  readonly hostIds?: readonly string[];
  readonly networkIds?: readonly string[];
}

/** Which RBAC policies to load: by object, by target project (`*` is a value like any other). */
export interface RbacScope extends Scope {
  readonly objectIds?: readonly string[];
  readonly targetProjects?: readonly string[];
}

export type NewChange = Omit<Change, 'seq' | 'actor'> & {
  /** Who made it; the services always say (only store tests leave it out). */
  readonly actor?: Actor;
  /** The group a group or rule record belongs to (`groupOfChange`, or the deleted rule's group). */
  readonly groupId?: string | null;
};

/** A listed group with the caller's `shared` (an RBAC policy shares it with the caller's project). */
export interface GroupListing {
  readonly group: SecurityGroup;
  readonly shared: boolean;
}

export interface RuleListing {
  readonly rule: SecurityGroupRule;
  readonly belongsToDefaultGroup: boolean;
}

export interface NetworkListing {
  readonly network: Network;
  readonly subnetIds: readonly string[];
}

/**
 * List pages: the query's filters, order and keyset page run in SQL over what `reader` may see. Children not
 * in `fields` are left empty (group tags, a port's fixed IPs, groups and pairs, a network's subnets).
 */
export interface ListPages {
  listGroupPage(query: ListQuery, reader: Reader): Promise<Page<GroupListing>>;
  listRulePage(query: ListQuery, reader: Reader): Promise<Page<RuleListing>>;
  /** `inGroups`: only ports in one of these groups. */
  listPortPage(query: ListQuery, reader: Reader, inGroups?: readonly string[]): Promise<Page<Port>>;
  listNetworkPage(query: ListQuery, reader: Reader): Promise<Page<NetworkListing>>;
  listSubnetPage(query: ListQuery, reader: Reader): Promise<Page<Subnet>>;
  listRbacPolicyPage(query: ListQuery, reader: Reader): Promise<Page<RbacPolicy>>;
  /** Addresses are read only when `fields` asks for them. */
  listAddressGroupPage(query: ListQuery, reader: Reader): Promise<Page<AddressGroup>>;
  /** Default rule templates are global: whoever may read them reads them all. */
  listDefaultRulePage(query: ListQuery): Promise<Page<DefaultRuleTemplate>>;
}

export interface ProjectsInGroup {
  readonly except: readonly string[];
  readonly only?: string;
  readonly limit: number;
}

/** A host-feed record to store: `pos` orders the records one change caused on one host. */
export interface HostChangeRow extends HostChange {
  readonly host: string;
  readonly pos: number;
}

/** Host feeds (docs/change-feed.md): counts that map groups and remotes to hosts, and each host's records. */
export interface HostFeedSession {
  /** Adds `by` per occurrence of each group to the host's port counts; returns the groups whose count left or reached zero. */
  countHostGroups(host: string, groupIds: readonly string[], by: 1 | -1): Promise<string[]>;
  /** Adds `by` per occurrence of each remote to the host's naming-rule counts; returns those that left or reached zero. */
  countHostRemotes(host: string, kind: RemoteKind, remoteIds: readonly string[], by: 1 | -1): Promise<string[]>;
  /** The hosts with a port in each of these groups. */
  hostsOfGroups(groupIds: readonly string[]): Promise<{ host: string; groupId: string }[]>;
  /** The hosts whose rules name each of these remotes (only `host`'s when given). */
  hostRemotes(kind: RemoteKind, remoteIds: readonly string[], host?: string): Promise<{ host: string; remoteId: string }[]>;
  appendHostChanges(rows: readonly HostChangeRow[]): Promise<void>;
  /** The host's records with `since < seq ≤ upTo` in order: about `limit`, never ending inside a seq. */
  listHostChanges(host: string, since: number, upTo: number, limit: number): Promise<HostChange[]>;
  /** The newest resync point (a migration, a bulk load): host feeds cannot be followed from before it. */
  hostFeedFloor(): Promise<number>;
}

/** Reads and writes inside one transaction (or autocommitted when used outside one). */
export interface StoreSession extends ListPages, HostFeedSession {
  insertGroup(group: SecurityGroup): Promise<void>;
  /** Writes the group's own row; tags change only through setTags. */
  updateGroup(group: SecurityGroup): Promise<void>;
  deleteGroup(id: string): Promise<void>;
  listGroups(scope: Scope): Promise<SecurityGroup[]>;
  /** Claims the project's default-group slot; false when another transaction already holds it. */
  claimDefaultGroup(projectId: string, groupId: string): Promise<boolean>;
  findDefaultGroupId(projectId: string): Promise<string | null>;
  setTags(groupId: string, tags: readonly string[]): Promise<void>;

  /** Throws ConflictError('SecurityGroupRuleExists') naming the existing rule on a duplicate. */
  insertRules(rules: readonly SecurityGroupRule[], identities: readonly string[]): Promise<void>;
  deleteRule(id: string): Promise<void>;
  listRules(scope: RuleScope): Promise<SecurityGroupRule[]>;
  /** Rules of these groups in creation order, however many groups. */
  listRulesOfGroups(groupIds: readonly string[]): Promise<SecurityGroupRule[]>;
  findRuleIdByIdentity(identity: string): Promise<string | null>;

  insertNetwork(network: Network): Promise<void>;
  updateNetwork(network: Network): Promise<void>;
  deleteNetwork(id: string): Promise<void>;
  listNetworks(scope: Scope): Promise<Network[]>;
  insertSubnet(subnet: Subnet): Promise<void>;
  updateSubnet(subnet: Subnet): Promise<void>;
  deleteSubnet(id: string): Promise<void>;
  listSubnets(scope: Scope & { readonly networkIds?: readonly string[] }): Promise<Subnet[]>;
  /** Addresses already taken in a network. */
  listAllocatedIps(networkId: string): Promise<string[]>;
  /** Whether any port holds an address from the subnet (one indexed row read at most). */
  subnetHasAllocations(subnetId: string): Promise<boolean>;

  /** Throws ConflictError on a taken address or MAC. */
  insertPort(port: Port): Promise<void>;
  updatePort(port: Port): Promise<void>;
  deletePort(id: string): Promise<void>;
  listPorts(scope: PortScope): Promise<Port[]>;
  /**
   * Distinct projects, in id order and at most `limit`, owning a port in the group; `except` are left
   * out, and `only` (when given) is the one project asked about.
   */
  projectsWithPortsInGroup(groupId: string, which: ProjectsInGroup): Promise<string[]>;

  /** Throws ConflictError('DuplicateRbacPolicy') when the object, action and target are taken. */
  insertRbacPolicy(policy: RbacPolicy): Promise<void>;
  /** Throws ConflictError('DuplicateRbacPolicy') like insertRbacPolicy. */
  updateRbacPolicy(policy: RbacPolicy): Promise<void>;
  deleteRbacPolicy(id: string): Promise<void>;
  listRbacPolicies(scope: RbacScope): Promise<RbacPolicy[]>;

  /** Inserts the group and its addresses. */
  insertAddressGroup(group: AddressGroup): Promise<void>;
  /** Writes name, description, revision and updated_at; addresses change only through add/removeAddresses. */
  updateAddressGroup(group: AddressGroup): Promise<void>;
  /** Deletes the group, its addresses and the RBAC policies on it. */
  deleteAddressGroup(id: string): Promise<void>;
  listAddressGroups(scope: Scope): Promise<AddressGroup[]>;
  /** Adds address rows (normalised CIDRs the group does not hold). */
  addAddresses(groupId: string, addresses: readonly string[]): Promise<void>;
  removeAddresses(groupId: string, addresses: readonly string[]): Promise<void>;
  /** Which of `addresses` the group holds. */
  heldAddresses(groupId: string, addresses: readonly string[]): Promise<Set<string>>;
  /** Whether any rule names the group as `remote_address_group_id`. */
  isAddressGroupInUse(groupId: string): Promise<boolean>;
  /** Like projectsWithPortsInGroup, for projects owning rules that name the address group. */
  projectsWithRulesUsingAddressGroup(groupId: string, which: ProjectsInGroup): Promise<string[]>;

  insertDefaultRule(template: DefaultRuleTemplate): Promise<void>;
  deleteDefaultRule(id: string): Promise<void>;
  /** Templates in creation order. */
  listDefaultRules(scope: DefaultRuleScope): Promise<DefaultRuleTemplate[]>;

  count(resource: QuotaResource, projectId: string): Promise<number>;
  getQuotaOverrides(projectId: string): Promise<Partial<Record<QuotaResource, number>>>;
  setQuotaOverride(projectId: string, resource: QuotaResource, limit: number): Promise<void>;
  deleteQuotaOverrides(projectId: string): Promise<void>;
  listQuotaProjects(): Promise<string[]>;

  appendChange(change: NewChange): Promise<number>;
  listChanges(since: number, limit: number): Promise<Change[]>;
  latestChangeSeq(): Promise<number>;
  /** Lowest sequence still held; 0 when the log is empty. */
  oldestChangeSeq(): Promise<number>;
  /** Drops changes with seq ≤ `upTo` (log compaction), and the host feeds' records with them. */
  pruneChanges(upTo: number): Promise<void>;
  /** The newest seq recorded before `at` (0 when none): history retention keeps what is newer. */
  lastChangeSeqBefore(at: string): Promise<number>;
  /** History and audit: records matching `filter`, newest first, one page; each with the object before it. */
  listHistory(filter: AuditFilter, page: HistoryPage): Promise<HistoryEntry[]>;

  /** Ids of rules whose `expires_at` is at or before `now`, soonest first, at most `limit`. */
  listExpiredRuleIds(now: string, limit: number): Promise<string[]>;
  /**
   * Claims a periodic job's run: true for exactly one caller while `next_run_at` ≤ `now`, which it moves to
   * `next`. The row claim works alike on every back-end, so replicas never run one job's period twice.
   */
  claimJob(name: string, now: string, next: string): Promise<boolean>;

  /** The built-in identity's tables, inside this session's transaction when it has one. */
  readonly identity: IdentityStore;
}

export interface Store extends StoreSession {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `work` in one transaction; everything it wrote commits together or not at all. */
  transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` when another process may have committed (PostgreSQL NOTIFY, with the newest change
   * seq, or null after a reconnect: re-read the log); a no-op on SQLite, where one process owns the file.
   */
  watchCommits(listener: (latestSeq: number | null) => void): () => void;
  /** Migrations this code knows and the database has not run (readiness; empty once started). */
  pendingMigrations(): Promise<readonly string[]>;
  close(): Promise<void>;
  /**
   * Creates many trusted objects in one transaction with multi-row INSERTs (seeding, benchmarks,
   * imports), each with the 'create' change the API would have recorded; returns the last change seq.
   * Callers split large loads into batches: each batch commits on its own.
   */
  bulkLoad(batch: BulkLoad): Promise<number>;
}
