// The change log: every committed change, in one global strictly increasing sequence.

export type ChangeResource = 'security_group' | 'security_group_rule' | 'port' | 'network' | 'subnet' | 'address_group';
export type ChangeAction = 'create' | 'update' | 'delete';

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
}
