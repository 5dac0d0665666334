// Membership evidence as the asker may see it: ports of projects it cannot read keep their project, not their id.
import type { Explanation, FieldCheck, Reachability, RuleReport } from '../engine/index.js';
import { canRead } from './access-policy.js';
import type { Asker } from './analysis-questions.js';

/**
 * The asker learns that some port of project X holds the address (that is why its own flow is allowed), but
 * not which port: port ids stay as private as GET /v2.0/ports/{id} keeps them.
 */
function visibleCheck(ctx: Asker, check: FieldCheck): FieldCheck {
  const members = check.members;
  if (members === undefined || members.ports.every((m) => canRead(ctx, m.projectId))) return check;
  const ports = members.ports.map((m) => (canRead(ctx, m.projectId) ? m : { ...m, portId: null }));
  return { ...check, members: { ...members, ports } };
}

function visibleReport(ctx: Asker, report: RuleReport): RuleReport {
  return { ...report, fields: report.fields.map((f) => visibleCheck(ctx, f)) };
}

export function visibleExplanation(ctx: Asker, e: Explanation): Explanation {
  return { ...e, matches: e.matches.map((r) => visibleReport(ctx, r)), nearest: e.nearest.map((r) => visibleReport(ctx, r)) };
}

export function visibleReachability(ctx: Asker, r: Reachability): Reachability {
  return { ...r, egress: visibleExplanation(ctx, r.egress), ingress: visibleExplanation(ctx, r.ingress) };
}
