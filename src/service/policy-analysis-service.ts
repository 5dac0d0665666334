// The engine cache of a replica and the analysis use cases on it: effective rules, explain, reachability, matrix.
import {
  InvalidInputError,
  type Change,
  type Port,
  type SecurityGroup,
  type SecurityGroupRule,
} from '../domain/index.js';
import {
  createPolicyEngine,
  type EffectivePolicy,
  type Explanation,
  type Flow,
  type MatrixService,
  type PolicyChange,
  type PolicyEngine,
  type Reachability,
  type ReachMatrix,
  type ServiceSpec,
} from '../engine/index.js';
import type { Store } from '../store/index.js';
import { canRead } from './access-policy.js';
import type { RequestContext } from './request-context.js';
import type { PortService } from './port-service.js';

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
    default:
      return null;
  }
}

/**
 * Keeps one PolicyEngine equal to the database by following the change log: before answering, the
 * cache applies every change after the last one it saw, so a reader sees its own writes and any
 * other replica's committed writes. If the log was compacted past it, it reloads a full snapshot.
 */
export function createEngineCache(store: Store) {
  const engine: PolicyEngine = createPolicyEngine();
  let lastSeq = -1;
  let syncing: Promise<void> | null = null;

  async function reload(): Promise<void> {
    const from = await store.latestChangeSeq();
    const [groups, rules, ports] = await Promise.all([store.listGroups({}), store.listRules({}), store.listPorts({})]);
    engine.load({ groups, rules, ports });
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
    /** The engine, current with every committed change. */
    async current(): Promise<PolicyEngine> {
      syncing ??= catchUp().finally(() => {
        syncing = null;
      });
      await syncing;
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

export interface FlowRequest extends Flow {
  readonly portId: string;
}

export function createPolicyAnalysisService(cache: EngineCache, ports: PortService) {
  return {
    async effectiveRules(ctx: RequestContext, portId: string): Promise<EffectivePolicy> {
      await ports.get(ctx, portId);
      return (await cache.current()).effectiveRules(portId);
    },

    async explain(ctx: RequestContext, request: FlowRequest): Promise<Explanation> {
      await ports.get(ctx, request.portId);
      const { portId, ...flow } = request;
      return (await cache.current()).explain(portId, flow);
    },

    async reachability(ctx: RequestContext, sourcePortId: string, destinationPortId: string, service: ServiceSpec): Promise<Reachability> {
      await ports.get(ctx, sourcePortId);
      await ports.get(ctx, destinationPortId);
      return (await cache.current()).reachability(sourcePortId, destinationPortId, service);
    },

    async matrix(ctx: RequestContext, projectId: string, services: readonly MatrixService[]): Promise<ReachMatrix> {
      if (!canRead(ctx, projectId)) throw InvalidInputError.of('HTTPBadRequest', 'A matrix can only be computed for your own project.', 'project_id');
      if (services.length === 0) throw InvalidInputError.of('HTTPBadRequest', 'Name at least one service (protocol, and port or ICMP type).', 'services');
      return (await cache.current()).matrix(projectId, services);
    },
  };
}

export type PolicyAnalysisService = ReturnType<typeof createPolicyAnalysisService>;
