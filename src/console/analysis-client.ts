// The policy engine's answers (/v2.0/palisade/...): effective rules, explain a flow, reachability, project matrix.
import { ApiError, apiRequest } from './api-client.js';

/** A rule as the engine reports it: the Neutron rule fields without ids. */
export interface EngineRule {
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  description: string;
}

export interface EffectiveRulesWire {
  port_id: string;
  filtering: 'filtered' | 'port-security-disabled' | 'trusted-port';
  security_groups: string[];
  stateful: boolean;
  rules: (EngineRule & { origins: { rule_id: string; group_id: string; group_name: string }[] })[];
}

/** A member port behind a remote-group match; port_id is absent when the caller may not read that port. */
export interface MemberPortWire {
  port_id?: string;
  project_id: string;
  via: 'fixed_ip' | 'allowed_address_pair';
  prefix: string;
  foreign: boolean;
}

/** Why the flow's remote address is a member of the rule's remote group (on a remote field that matched). */
export interface RemoteMembersWire {
  security_group_id: string;
  security_group_name: string;
  count: number;
  wide: boolean;
  foreign: boolean;
  ports: MemberPortWire[];
}

export interface FieldCheckWire {
  field: string;
  matched: boolean;
  rule: string;
  flow: string;
  remote_members?: RemoteMembersWire;
}

export interface RuleReportWire {
  rule_id: string;
  group_id: string;
  group_name: string;
  mismatches: number;
  fields: FieldCheckWire[];
}

export interface ExplanationWire {
  port_id: string;
  verdict: 'allow' | 'deny';
  reason: string;
  stateful: boolean;
  summary: string;
  matches: RuleReportWire[];
  nearest: RuleReportWire[];
}

export interface ReachabilityWire {
  verdict: 'allow' | 'deny';
  ethertype: 'IPv4' | 'IPv6';
  source_ip: string;
  destination_ip: string;
  egress: ExplanationWire;
  ingress: ExplanationWire;
  blocked_by: ('source-egress' | 'destination-ingress')[];
  open_with: { side: 'source-egress' | 'destination-ingress'; port_id: string; security_group_id: string; security_group_name: string; rule: EngineRule }[];
  replies_need_rules: boolean;
}

export interface MatrixWire {
  project_id: string;
  services: string[];
  classes: { id: number; instances: string[]; ports: string[] }[];
  edges: { from: number; to: number; services: string[] }[];
  port_class_count: number;
}

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
