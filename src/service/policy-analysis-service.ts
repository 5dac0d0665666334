// The analysis use cases: access checks here; the engine's answers, as finished response bodies, from the analysis worker.
import { InvalidInputError, NotFoundError, OverLimitError } from '../domain/index.js';
import type { StoreSession } from '../store/index.js';
import type { Flow, MatrixService, ServiceSpec } from '../engine/index.js';
import { canRead } from './access-policy.js';
import type { AnalysisLimits } from './analysis-limits.js';
import type { AnalysisQuestion, AnalysisRunner, Asker } from './analysis-questions.js';
import type { RequestContext } from './request-context.js';
import type { PortService } from './port-service.js';
import { loadVisibleGroup } from './security-group-service.js';
import { proposedChanges } from './what-if-changes.js';

/** What lint looks at: the caller's project, or one group, or the groups of one port. */
export interface LintRequest {
  readonly securityGroupId?: string;
  readonly portId?: string;
}

/** JSON text of a whole response body, e.g. `{"matrix": {…}}`, as UTF-8 bytes. */
export type AnalysisBody = Uint8Array;

export interface FlowRequest extends Flow {
  readonly portId: string;
}

/** The newest change seq this process has committed or seen: the worker catches up to it before answering. */
export type SeqSource = () => number;

function askerOf(ctx: RequestContext): Asker {
  return { projectId: ctx.projectId, isAdmin: ctx.isAdmin };
}

export function createPolicyAnalysisService(runner: AnalysisRunner, ports: PortService, limits: AnalysisLimits, latestSeq: SeqSource, store: StoreSession, now: () => Date) {
  /** The response body (JSON, UTF-8), built in the worker: a dense matrix costs this thread nothing but writing it out. */
  const ask = (q: AnalysisQuestion): Promise<AnalysisBody> => runner.ask(q, latestSeq());
  return {
    async effectiveRules(ctx: RequestContext, portId: string): Promise<AnalysisBody> {
      await ports.get(ctx, portId);
      return ask({ kind: 'effective-rules', portId });
    },

    async explain(ctx: RequestContext, request: FlowRequest): Promise<AnalysisBody> {
      await ports.get(ctx, request.portId);
      const { portId, ...flow } = request;
      return ask({ kind: 'explain', portId, flow, asker: askerOf(ctx) });
    },

    async reachability(ctx: RequestContext, sourcePortId: string, destinationPortId: string, service: ServiceSpec): Promise<AnalysisBody> {
      await ports.get(ctx, sourcePortId);
      await ports.get(ctx, destinationPortId);
      return ask({ kind: 'reachability', from: sourcePortId, to: destinationPortId, service, asker: askerOf(ctx) });
    },

    async matrix(ctx: RequestContext, projectId: string, services: readonly MatrixService[]): Promise<AnalysisBody> {
      if (!canRead(ctx, projectId)) throw InvalidInputError.of('HTTPBadRequest', 'A matrix can only be computed for your own project.', 'project_id');
      if (services.length === 0) throw InvalidInputError.of('HTTPBadRequest', 'Name at least one service (protocol, and port or ICMP type).', 'services');
      if (services.length > limits.maxServices) {
        throw new OverLimitError('AnalysisTooLarge', `A matrix asks about at most ${limits.maxServices} services (analysis_max_services), not ${services.length}.`);
      }
      return ask({ kind: 'matrix', projectId, services });
    },

    async lint(ctx: RequestContext, request: LintRequest): Promise<AnalysisBody> {
      if (request.securityGroupId !== undefined && request.portId !== undefined) {
        throw InvalidInputError.of('HTTPBadRequest', 'Lint one security group or the groups of one port, not both.', 'security_group_id');
      }
      if (request.securityGroupId !== undefined) {
        const id = request.securityGroupId;
        const group = await loadVisibleGroup(ctx, store, id);
        // A group shared from another project is linted by that project, whose other groups the caller cannot see.
        if (!canRead(ctx, group.projectId)) throw new NotFoundError('SecurityGroupNotFound', `Security group ${id} does not exist`);
        return ask({ kind: 'lint', scope: { projectId: group.projectId, groupId: id } });
      }
      if (request.portId !== undefined) {
        const port = await ports.get(ctx, request.portId);
        return ask({ kind: 'lint', scope: { projectId: port.projectId, portId: port.id } });
      }
      return ask({ kind: 'lint', scope: { projectId: ctx.projectId } });
    },

    /** Checks each proposed change as the API would, then asks the worker for the difference; nothing is written. */
    async whatIf(ctx: RequestContext, body: unknown): Promise<AnalysisBody> {
      const changes = await proposedChanges(ctx, store, body, now().toISOString());
      return ask({ kind: 'what-if', projectId: ctx.projectId, changes });
    },
  };
}

export type PolicyAnalysisService = ReturnType<typeof createPolicyAnalysisService>;
