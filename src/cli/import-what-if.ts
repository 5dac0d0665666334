// An import's dry run as what-if changes: what the file would do to the reachability of ports that exist today.
import type { ProposedChangeWire, RuleSetOutcomeWire, WhatIfWire } from '../contract/index.js';

/** What-if takes at most this many changes in one request (the server's limit). */
export const WHAT_IF_CHANGE_LIMIT = 100;

export interface ImportWhatIfPlan {
  /** Rule deletes and creates in groups that exist: only they can change what existing ports reach. */
  readonly changes: ProposedChangeWire[];
  /** Rules left out of the what-if, each with why (a remote group the import would create first). */
  readonly skipped: string[];
}

/**
 * Groups the import would create have no ports yet, so their rules change no reachability; rules of existing groups
 * whose remote is a group of the same file that does not exist yet cannot be named in a what-if, and are listed.
 */
export function importWhatIfPlan(outcomes: readonly RuleSetOutcomeWire[]): ImportWhatIfPlan {
  const changes: ProposedChangeWire[] = [];
  const skipped: string[] = [];
  for (const o of outcomes) {
    if (o.id === null) continue;
    for (const r of o.deleted) changes.push({ action: 'delete', resource: 'security_group_rule', id: r.id });
    // normalized_cidr is read-only on the API: a create names remote_ip_prefix only.
    for (const { remote_group_name: remoteName, normalized_cidr: _normalized, ...spec } of o.created) {
      if (remoteName !== undefined && (spec.remote_group_id === undefined || spec.remote_group_id === null)) {
        skipped.push(`group ${o.name}: a rule naming ${remoteName}, a group the import would create`);
        continue;
      }
      changes.push({ action: 'create', resource: 'security_group_rule', object: { ...spec, security_group_id: o.id } });
    }
  }
  return { changes, skipped };
}

/** One row per difference: what changes, between or on which ports, its ether type, and the detail. */
export function whatIfRows(w: WhatIfWire): string[][] {
  return [
    ...w.access.flatMap((a) => [
      ...(a.gained.length > 0 ? [['gains', `${a.source_port_id} → ${a.destination_port_id}`, a.ethertype, a.gained.join(', ')]] : []),
      ...(a.lost.length > 0 ? [['loses', `${a.source_port_id} → ${a.destination_port_id}`, a.ethertype, a.lost.join(', ')]] : []),
    ]),
    ...w.exposure.flatMap((e) => [
      ...(e.gained.length > 0 ? [['exposed', `${e.port_id} ${e.service}`, e.ethertype, `from ${e.gained.join(', ')}`]] : []),
      ...(e.lost.length > 0 ? [['unexposed', `${e.port_id} ${e.service}`, e.ethertype, `from ${e.lost.join(', ')}`]] : []),
    ]),
    ...w.findings_added.map((f) => ['new finding', f.code, f.severity, f.message]),
    ...w.findings_cleared.map((f) => ['cleared', f.code, f.severity, f.message]),
  ];
}
