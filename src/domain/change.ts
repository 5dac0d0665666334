// The change log: every committed change, in one global strictly increasing sequence, with who made it.

/** Policy objects agents follow, and the identity objects the audit also records. */
export type ChangeResource =
  | 'security_group' | 'security_group_rule' | 'port' | 'network' | 'subnet' | 'address_group' | 'rbac_policy'
  | 'user' | 'project' | 'role_assignment' | 'token';
export type ChangeAction = 'create' | 'update' | 'delete';

export const CHANGE_RESOURCES: readonly ChangeResource[] = [
  'security_group', 'security_group_rule', 'port', 'network', 'subnet', 'address_group', 'rbac_policy', 'user', 'project', 'role_assignment', 'token',
];
export const CHANGE_ACTIONS: readonly ChangeAction[] = ['create', 'update', 'delete'];

/** Who made a change: the caller of the request that wrote it, or the system (scheduled jobs, default groups). */
export interface Actor {
  readonly userId: string | null;
  readonly userName: string | null;
  /** The project the caller's credentials are scoped to; null for the system. */
  readonly projectId: string | null;
  readonly roles: readonly string[];
  readonly requestId: string | null;
  readonly sourceAddress: string | null;
}

/** The author of writes no request made: expiring rules, a project's automatic default group. */
export const SYSTEM_ACTOR: Actor = { userId: null, userName: 'system', projectId: null, roles: ['admin'], requestId: null, sourceAddress: null };

export interface Change {
  /** Global, strictly increasing, gap-free in commit order. */
  readonly seq: number;
  readonly resource: ChangeResource;
  readonly action: ChangeAction;
  readonly id: string;
  readonly projectId: string;
  /** The object after the change (wire-neutral domain form), null on delete. */
  readonly object: unknown;
  readonly at: string;
  /** Absent on records written before the audit existed. */
  readonly actor?: Actor | null;
}

/** A change as the history and audit read it: with the object before it (the previous record of the same object). */
export interface HistoryEntry extends Change {
  /** Null on create, or when the previous record is past retention. */
  readonly before: unknown;
  /** The security group the record belongs to (the group itself, or a rule's group); null for other resources. */
  readonly groupId: string | null;
}

/** The audit's filters; every one is optional and they combine with AND. */
export interface AuditFilter {
  readonly since?: string;
  readonly until?: string;
  /** A user id or name. */
  readonly user?: string;
  readonly resource?: ChangeResource;
  readonly action?: ChangeAction;
  /** Only records of this project (a non-admin's own). */
  readonly projectId?: string;
  readonly groupId?: string;
}

/** One page, newest first: at most `limit` records with seq below `marker` (when given). */
export interface HistoryPage {
  readonly limit: number;
  readonly marker?: number;
}

/** The group a record belongs to, from the object after it; a deleted rule's group must be given by the caller. */
export function groupOfChange(resource: ChangeResource, id: string, object: unknown): string | null {
  if (resource === 'security_group') return id;
  if (object === null || typeof object !== 'object') return null;
  if (resource === 'security_group_rule') return (object as { securityGroupId?: string }).securityGroupId ?? null;
  // Sharing a group is part of its history.
  if (resource === 'rbac_policy') {
    const policy = object as { objectType?: string; objectId?: string };
    return policy.objectType === 'security_group' ? (policy.objectId ?? null) : null;
  }
  return null;
}
