// Engine answers → snake_case wire objects for the analysis endpoints (pure; the analysis worker builds them).
import {
  keysLabel, setLabels, type EffectivePolicy, type Explanation, type FieldCheck, type Finding, type InstanceClass, type ProposedChange, type Reachability,
  type ReachEdge, type ReachMatrix, type RemoteMembers, type RuleReport, type WhatIf,
} from '../engine/index.js';
import type {
  EffectiveRulesWire, ExplanationWire, FieldCheckWire, FindingWire, InstanceClassWire, MatrixHeadWire, ProposedChangeWire, ReachabilityWire, RemoteMembersWire,
  RuleReportWire, WhatIfWire,
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

function proposedChangeToWire(c: ProposedChange): ProposedChangeWire {
  if (c.action === 'delete') return { action: 'delete', resource: c.resource, id: c.id };
  const { description: _blank, ...wire } = ruleSpecToWire(c.rule);
  const { normalized_cidr: _derived, ...fields } = wire;
  return { action: 'create', resource: 'security_group_rule', object: { security_group_id: c.rule.securityGroupId, ...fields } };
}

export function findingToWire(f: Finding): FindingWire {
  return {
    code: f.code,
    severity: f.severity,
    security_group_ids: [...f.groupIds],
    security_group_rule_ids: [...f.ruleIds],
    port_ids: [...f.portIds],
    port_count: f.portCount,
    message: f.message,
    fix: f.fix === null ? null : f.fix.map(proposedChangeToWire),
  };
}

export function whatIfToWire(projectId: string, w: WhatIf): WhatIfWire {
  return {
    project_id: projectId,
    access: w.access.map((a) => ({ source_port_id: a.from, destination_port_id: a.to, ethertype: a.etherType, gained: setLabels(a.gained), lost: setLabels(a.lost) })),
    exposure: w.exposure.map((e) => ({
      port_id: e.portId, ethertype: e.etherType, service: e.protocol === null ? 'any other protocol' : keysLabel(e.protocol, e.keyLo, e.keyHi),
      gained: [...e.gained], lost: [...e.lost],
    })),
    findings_added: w.findingsAdded.map(findingToWire),
    findings_cleared: w.findingsCleared.map(findingToWire),
  };
}
