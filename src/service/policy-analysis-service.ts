// The analysis use cases: access checks here; the engine's answers, as finished response bodies, from the analysis worker.
import { InvalidInputError, OverLimitError } from '../domain/index.js';
import type { Flow, MatrixService, ServiceSpec } from '../engine/index.js';
import { canRead } from './access-policy.js';
import type { AnalysisLimits } from './analysis-limits.js';
import type { AnalysisQuestion, AnalysisRunner, Asker } from './analysis-questions.js';
import type { RequestContext } from './request-context.js';
import type { PortService } from './port-service.js';

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

export function createPolicyAnalysisService(runner: AnalysisRunner, ports: PortService, limits: AnalysisLimits, latestSeq: SeqSource) {
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
  };
}

export type PolicyAnalysisService = ReturnType<typeof createPolicyAnalysisService>;
