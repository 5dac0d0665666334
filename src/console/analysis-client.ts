// The policy engine's answers (/v2.0/palisade/...): effective rules, explain a flow, reachability, project matrix, lint, what-if.
import type { EffectiveRulesWire, ExplanationWire, FindingWire, LintWire, MatrixWire, ProposedChangeWire, ReachabilityWire, WhatIfWire } from '../contract/index.js';
import { ApiError, apiRequest } from './api-client.js';

export interface FlowQuery {
  port_id: string;
  direction: 'ingress' | 'egress';
  protocol: string;
  remote_ip: string;
  port?: number;
  icmp_type?: number;
  icmp_code?: number;
}

const BASE = '/v2.0/palisade';
const q = encodeURIComponent;

/** The engine's effective rules, or null when this server has no engine API (404), so the caller can merge itself. */
export async function effectiveRules(portId: string): Promise<EffectiveRulesWire | null> {
  try {
    return (await apiRequest<{ effective_rules: EffectiveRulesWire }>('GET', `${BASE}/ports/${q(portId)}/effective-rules`)).effective_rules;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && e.type === 'HTTPNotFound') return null;
    throw e;
  }
}

export async function explainFlow(flow: FlowQuery): Promise<ExplanationWire> {
  return (await apiRequest<{ explanation: ExplanationWire }>('POST', `${BASE}/explain`, { flow })).explanation;
}

export interface ReachQuery {
  source_port_id: string;
  destination_port_id: string;
  protocol: string;
  port?: number;
  icmp_type?: number;
  icmp_code?: number;
}

export async function reachability(query: ReachQuery): Promise<ReachabilityWire> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  return (await apiRequest<{ reachability: ReachabilityWire }>('GET', `${BASE}/reachability?${params.toString()}`)).reachability;
}

export async function projectMatrix(services: readonly string[]): Promise<MatrixWire> {
  const params = new URLSearchParams(services.map((s) => ['service', s]));
  return (await apiRequest<{ matrix: MatrixWire }>('GET', `${BASE}/matrix?${params.toString()}`)).matrix;
}

/** The lint findings about one group (its rules, and the ports that use it). */
export async function groupFindings(groupId: string): Promise<FindingWire[]> {
  return (await apiRequest<{ lint: LintWire }>('GET', `${BASE}/lint?security_group_id=${q(groupId)}`)).lint.findings;
}

/** The difference `changes` would make; none of them is applied. */
export async function whatIf(changes: readonly ProposedChangeWire[]): Promise<WhatIfWire> {
  return (await apiRequest<{ what_if: WhatIfWire }>('POST', `${BASE}/what-if`, { changes })).what_if;
}
