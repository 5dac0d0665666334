// A what-if answer in sentences for a confirm step: who gains or loses which service, what becomes open to which prefixes.
import type { WhatIfWire } from '../contract/index.js';
import { ApiError } from './api-client.js';

/** A port's name for people: the instance's name where the console knows it, else the port id. */
export type PortNamer = (portId: string) => string;

function over(ethertype: 'IPv4' | 'IPv6'): string {
  // IPv4 is what people assume; only IPv6 is said.
  return ethertype === 'IPv6' ? ' over IPv6' : '';
}

/** One sentence per gained or lost access, exposure and finding, in the answer's order. */
export function whatIfSentences(w: WhatIfWire, name: PortNamer): string[] {
  return [
    ...w.access.flatMap((a) => {
      const [src, dst, v] = [name(a.source_port_id), name(a.destination_port_id), over(a.ethertype)];
      return [
        ...(a.gained.length > 0 ? [`${dst} gains ${a.gained.join(', ')} from ${src}${v}`] : []),
        ...(a.lost.length > 0 ? [`${dst} loses ${a.lost.join(', ')} from ${src}${v}`] : []),
      ];
    }),
    ...w.exposure.flatMap((e) => {
      const where = `${e.service} on ${name(e.port_id)}`;
      return [
        ...(e.gained.length > 0 ? [`${where} becomes open to ${e.gained.join(', ')}`] : []),
        ...(e.lost.length > 0 ? [`${where} no longer open to ${e.lost.join(', ')}`] : []),
      ];
    }),
    ...w.findings_added.map((f) => `New finding (${f.severity}): ${f.message}`),
    ...w.findings_cleared.map((f) => `Cleared finding: ${f.message}`),
  ];
}

/** True when some port gains or loses access or exposure; new or cleared findings alone do not count. */
export function changesReachability(w: WhatIfWire): boolean {
  return w.access.some((a) => a.gained.length + a.lost.length > 0) || w.exposure.some((e) => e.gained.length + e.lost.length > 0);
}

/**
 * True when the what-if could not be computed (no engine API, analysis too large, server trouble), as opposed to
 * the API refusing the change itself (a duplicate rule, a bad field), whose words the form shows instead.
 */
export function whatIfUnavailable(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true;
  return e.status === 0 || e.status >= 500 || e.type === 'AnalysisTooLarge' || e.type === 'AnalysisTimeLimitExceeded' || (e.status === 404 && e.type === 'HTTPNotFound');
}

/** Names ports by the instance they belong to (see instances.ts), else by their id. */
export function portNamer(instances: readonly { name: string; ports: readonly { id: string }[] }[]): PortNamer {
  const names = new Map(instances.flatMap((i) => i.ports.map((p) => [p.id, i.name] as const)));
  return (id) => names.get(id) ?? id;
}
