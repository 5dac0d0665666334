// One PolicyEngine kept equal to the database by following the change log (it runs in the analysis worker).
import type { AddressGroup, Change, Port, SecurityGroup, SecurityGroupRule } from '../domain/index.js';
import { createPolicyEngine, type PolicyChange, type PolicyEngine } from '../engine/index.js';
import type { Store } from '../store/index.js';

/** What the cache reads: the change log and, to start or after compaction, a full snapshot. */
export type EngineSource = Pick<Store, 'latestChangeSeq' | 'oldestChangeSeq' | 'listChanges' | 'listGroups' | 'listRules' | 'listPorts' | 'listAddressGroups'>;

const PAGE = 5000;

function toPolicyChange(change: Change): PolicyChange | null {
  const deleted = change.action === 'delete';
  switch (change.resource) {
    case 'security_group':
      return deleted ? { kind: 'group-deleted', groupId: change.id } : { kind: 'group', group: change.object as SecurityGroup };
    case 'security_group_rule':
      return deleted ? { kind: 'rule-deleted', ruleId: change.id } : { kind: 'rule', rule: change.object as SecurityGroupRule };
    case 'port':
      return deleted ? { kind: 'port-deleted', portId: change.id } : { kind: 'port', port: change.object as Port };
    case 'address_group':
      return deleted ? { kind: 'address-group-deleted', addressGroupId: change.id } : { kind: 'address-group', addressGroup: change.object as AddressGroup };
    default:
      return null;
  }
}

/**
 * Keeps one PolicyEngine equal to the database by following the change log: before answering, the
 * cache applies every change after the last one it saw, so a reader sees its own writes and any
 * other replica's committed writes. If the log was compacted past it, it reloads a full snapshot.
 */
export function createEngineCache(store: EngineSource) {
  const engine: PolicyEngine = createPolicyEngine();
  let lastSeq = -1;
  let syncing: Promise<void> | null = null;

  async function reload(): Promise<void> {
    const from = await store.latestChangeSeq();
    const [groups, rules, ports, addressGroups] = await Promise.all([
      store.listGroups({}), store.listRules({}), store.listPorts({}), store.listAddressGroups({}),
    ]);
    engine.load({ groups, rules, ports, addressGroups });
    lastSeq = from;
  }

  async function catchUp(): Promise<void> {
    if (lastSeq < 0) await reload();
    for (;;) {
      const oldest = await store.oldestChangeSeq();
      if (oldest > lastSeq + 1) {
        await reload();
        continue;
      }
      // Re-applying a change the snapshot already held is harmless: every change is an upsert or a delete.
      const changes = await store.listChanges(lastSeq, PAGE);
      for (const c of changes) {
        const change = toPolicyChange(c);
        if (change) engine.apply(change);
        lastSeq = c.seq;
      }
      if (changes.length < PAGE) return;
    }
  }

  return {
    /**
     * The engine, current with every committed change, and at least with change `seq` (the newest commit
     * the asking thread knows of: what makes a rule created then explained at once be seen).
     */
    async current(seq = -1): Promise<PolicyEngine> {
      for (let attempt = 0; attempt < 2; attempt++) {
        syncing ??= catchUp().finally(() => {
          syncing = null;
        });
        await syncing;
        if (lastSeq >= seq) break;
      }
      return engine;
    },
    /** Local commits arrive in order; applying them at once keeps the cache warm between queries. */
    onCommit(changes: readonly Change[]): void {
      if (lastSeq < 0 || syncing || changes[0]?.seq !== lastSeq + 1) return;
      for (const c of changes) {
        const change = toPolicyChange(c);
        if (change) engine.apply(change);
        lastSeq = c.seq;
      }
    },
  };
}

export type EngineCache = ReturnType<typeof createEngineCache>;
