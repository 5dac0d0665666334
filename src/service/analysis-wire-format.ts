// Engine answers → snake_case wire objects for the analysis endpoints (pure; the analysis worker builds them).
import type { EffectivePolicy, Explanation, FieldCheck, InstanceClass, Reachability, ReachEdge, ReachMatrix, RemoteMembers, RuleReport } from '../engine/index.js';
import type {
  EffectiveRulesWire, ExplanationWire, FieldCheckWire, InstanceClassWire, MatrixHeadWire, ReachabilityWire, RemoteMembersWire, RuleReportWire,
} from '../contract/index.js';
import { ruleSpecToWire } from './rule-spec-wire.js';

/** A hidden port (null id) is sent without port_id: the asker sees its project, how and what it holds. */
function remoteMembersToWire(m: RemoteMembers): RemoteMembersWire {
  return {
    security_group_id: m.groupId,
    security_group_name: m.groupName,
    count: m.count,
    wide: m.wide,
    foreign: m.foreign,
    ports: m.ports.map((p) => ({ ...(p.portId === null ? {} : { port_id: p.portId }), project_id: p.projectId, via: p.via, prefix: p.prefix, foreign: p.foreign })),
  };
}

function fieldToWire(f: FieldCheck): FieldCheckWire {
  const check = { field: f.field === 'etherType' ? 'ethertype' : f.field, matched: f.matched, rule: f.rule, flow: f.flow };
  return f.members === undefined ? check : { ...check, remote_members: remoteMembersToWire(f.members) };
}

function reportToWire(r: RuleReport): RuleReportWire {
  return { rule_id: r.ruleId, group_id: r.groupId, group_name: r.groupName, mismatches: r.mismatches, fields: r.fields.map(fieldToWire) };
}

export function explanationToWire(e: Explanation): ExplanationWire {
  return {
    port_id: e.portId,
    verdict: e.verdict,
    reason: e.reason,
    stateful: e.stateful,
    summary: e.summary,
    matches: e.matches.map(reportToWire),
    nearest: e.nearest.map(reportToWire),
  };
}

export function effectivePolicyToWire(p: EffectivePolicy): EffectiveRulesWire {
  return {
    port_id: p.portId,
    filtering: p.filtering,
    security_groups: [...p.groupIds],
    stateful: p.stateful,
    rules: p.rules.map((r) => ({
      ...ruleSpecToWire(r.rule),
      origins: r.origins.map((o) => ({ rule_id: o.ruleId, group_id: o.groupId, group_name: o.groupName })),
    })),
  };
}

export function reachabilityToWire(r: Reachability): ReachabilityWire {
  return {
    verdict: r.verdict,
    ethertype: r.etherType,
    source_ip: r.sourceIp,
    destination_ip: r.destinationIp,
    egress: explanationToWire(r.egress),
    ingress: explanationToWire(r.ingress),
    blocked_by: [...r.blockedBy],
    open_with: r.openWith.map((o) => ({
      side: o.side, port_id: o.portId, security_group_id: o.groupId, security_group_name: o.groupName,
      rule: ruleSpecToWire(o.rule),
    })),
    replies_need_rules: r.repliesNeedRules,
  };
}

/** A matrix is written piece by piece (it may hold millions of edges): its head, then each class and each edge. */
export function matrixHeadToWire(m: ReachMatrix): MatrixHeadWire {
  return { project_id: m.projectId, services: [...m.services], port_class_count: m.portClassCount };
}

export function instanceClassToWire(c: InstanceClass): InstanceClassWire {
  return { id: c.id, instances: [...c.instances], ports: [...c.ports] };
}

/** JSON text of one edge (a ReachEdgeWire), written directly: building an object per edge dominated the cost of dense answers. */
export function edgeJson(e: ReachEdge): string {
  return `{"from":${e.from},"to":${e.to},"services":${JSON.stringify(e.services)}}`;
}
