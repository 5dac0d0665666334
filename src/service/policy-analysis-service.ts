// The analysis use cases: access checks here, the engine's answers from the analysis worker.
import { InvalidInputError, OverLimitError } from '../domain/index.js';
import type { EffectivePolicy, Explanation, Flow, MatrixService, Reachability, ReachMatrix, ServiceSpec } from '../engine/index.js';
import { canRead } from './access-policy.js';
import type { AnalysisLimits } from './analysis-limits.js';
import type { AnalysisQuestion, AnalysisRunner } from './analysis-questions.js';
import { visibleExplanation, visibleReachability } from './evidence-visibility.js';
import type { RequestContext } from './request-context.js';
import type { PortService } from './port-service.js';

export interface FlowRequest extends Flow {
  readonly portId: string;
}

/** The newest change seq this process has committed or seen: the worker catches up to it before answering. */
export type SeqSource = () => number;

export function createPolicyAnalysisService(runner: AnalysisRunner, ports: PortService, limits: AnalysisLimits, latestSeq: SeqSource) {
  const ask = <T>(q: AnalysisQuestion) => runner.ask(q, latestSeq()) as Promise<T>;
  return {
    async effectiveRules(ctx: RequestContext, portId: string): Promise<EffectivePolicy> {
      await ports.get(ctx, portId);
      return ask({ kind: 'effective-rules', portId });
    },

    async explain(ctx: RequestContext, request: FlowRequest): Promise<Explanation> {
      await ports.get(ctx, request.portId);
      const { portId, ...flow } = request;
      return visibleExplanation(ctx, await ask<Explanation>({ kind: 'explain', portId, flow }));
    },

    async reachability(ctx: RequestContext, sourcePortId: string, destinationPortId: string, service: ServiceSpec): Promise<Reachability> {
      await ports.get(ctx, sourcePortId);
      await ports.get(ctx, destinationPortId);
      return visibleReachability(ctx, await ask<Reachability>({ kind: 'reachability', from: sourcePortId, to: destinationPortId, service }));
    },

    async matrix(ctx: RequestContext, projectId: string, services: readonly MatrixService[]): Promise<ReachMatrix> {
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
