// The region benchmark's operations: the timed reads, writes and analysis calls in one project, and the mixed load.
import type { ProjectFacts } from './region-data.js';
import { autocannon, type LoadRequest, type LoadResult } from './server-process.js';
import type { Client, Probe } from './region-http.js';

export type OpKind = 'read' | 'write' | 'analysis';
export interface Op {
  readonly name: string;
  readonly kind: OpKind;
  readonly n: number;
  readonly run: (c: Client, f: ProjectFacts, i: number) => Promise<unknown>;
}

export interface Iterations {
  readonly reads: number;
  readonly writes: number;
  readonly analysis: number;
  readonly matrix: number;
}

const group = (f: ProjectFacts, i: number) => f.groupIds[i % f.groupIds.length]!;
const port = (f: ProjectFacts, i: number) => f.portIds[i % f.portIds.length]!;
/** Group names are `group-<k>`; the bench reads a spread of them. */
const groupName = (f: ProjectFacts, i: number) => `group-${(i * 37) % f.groupIds.length}`;

/** The second page's marker: the last group of the first page of 20. */
async function marker(c: Client): Promise<string> {
  const page = await c.call<{ security_groups: { id: string }[] }>('GET', '/v2.0/security-groups?limit=20');
  return page.security_groups.at(-1)?.id ?? '';
}

/** Rule ids created by the 'rule create' op, per project, deleted again by 'rule delete'. */
const created = new Map<string, string[]>();

export function operations(n: Iterations): Op[] {
  const markers = new Map<string, Promise<string>>();
  return [
    { name: 'GET group with 100 rules', kind: 'read', n: n.reads, run: (c, f, i) => c.call('GET', `/v2.0/security-groups/${group(f, i)}`) },
    { name: 'list rules by group', kind: 'read', n: n.reads, run: (c, f, i) => c.call('GET', `/v2.0/security-group-rules?security_group_id=${group(f, i)}`) },
    { name: 'groups ?limit=20', kind: 'read', n: n.reads, run: (c) => c.call('GET', '/v2.0/security-groups?limit=20') },
    {
      name: 'groups ?limit=20, next page by marker', kind: 'read', n: n.reads,
      run: async (c, f) => {
        if (!markers.has(f.projectId)) markers.set(f.projectId, marker(c));
        return c.call('GET', `/v2.0/security-groups?limit=20&marker=${await markers.get(f.projectId)!}`);
      },
    },
    { name: 'groups by name', kind: 'read', n: n.reads, run: (c, f, i) => c.call('GET', `/v2.0/security-groups?name=${groupName(f, i)}`) },
    { name: 'ports by device_id', kind: 'read', n: n.reads, run: (c, f, i) => c.call('GET', `/v2.0/ports?device_id=vm-${(i * 13) % f.portIds.length}`) },
    { name: 'security-group-ports of a group', kind: 'read', n: n.reads, run: (c, f, i) => c.call('GET', `/v2.0/security-group-ports?security_group_id=${group(f, i)}`) },
    {
      name: 'rule create', kind: 'write', n: n.writes,
      run: async (c, f, i) => {
        const body = { security_group_rule: { security_group_id: group(f, i), direction: 'ingress', protocol: 'udp', port_range_min: 30000 + i, port_range_max: 30000 + i } };
        const r = await c.call<{ security_group_rule: { id: string } }>('POST', '/v2.0/security-group-rules', body);
        created.set(f.projectId, [...(created.get(f.projectId) ?? []), r.security_group_rule.id]);
      },
    },
    {
      name: 'rule delete', kind: 'write', n: n.writes,
      run: async (c, f, i) => {
        const id = created.get(f.projectId)?.[i];
        if (id) await c.call('DELETE', `/v2.0/security-group-rules/${id}`);
      },
    },
    {
      name: 'port group change (PUT security_groups)', kind: 'write', n: n.writes,
      run: (c, f, i) => c.call('PUT', `/v2.0/ports/${port(f, i)}`, { port: { security_groups: i % 2 ? [group(f, i)] : [group(f, i), group(f, i + 1)] } }),
    },
  ];
}

export function analysisOperations(n: Iterations): Op[] {
  return [
    { name: 'effective rules of a port', kind: 'analysis', n: n.analysis, run: (c, f, i) => c.call('GET', `/v2.0/palisade/ports/${port(f, i * 7)}/effective-rules`) },
    {
      name: 'explain a flow', kind: 'analysis', n: n.analysis,
      run: (c, f, i) => c.call('POST', '/v2.0/palisade/explain', { flow: { port_id: port(f, i * 11), direction: 'ingress', protocol: 'tcp', remote_ip: `10.${i % 90}.3.4`, port: 1000 + (i % 90) } }),
    },
    { name: 'matrix tcp:1006', kind: 'analysis', n: n.matrix, run: (c) => c.call('GET', '/v2.0/palisade/matrix?service=tcp:1006') },
  ];
}

export function timeOp(c: Client, f: ProjectFacts, op: Op): Promise<Probe> {
  return c.probe(op.n, (i) => op.run(c, f, i));
}

/**
 * autocannon with `connections` connections in one project: `amount` requests cycling over the reads
 * above, one rule create (a fresh port number each) and one port group change every nine requests.
 */
export function mixedLoad(c: Client, f: ProjectFacts, connections: number, amount: number): Promise<LoadResult> {
  let k = 0;
  const varied = (path: (i: number) => string): LoadRequest => ({ method: 'GET', setupRequest: (req) => ({ ...req, path: path(++k) }) });
  const requests: LoadRequest[] = [
    varied((i) => `/v2.0/security-groups/${group(f, i)}`),
    varied((i) => `/v2.0/security-group-rules?security_group_id=${group(f, i)}`),
    { method: 'GET', path: '/v2.0/security-groups?limit=20' },
    varied((i) => `/v2.0/security-groups?name=${groupName(f, i)}`),
    varied((i) => `/v2.0/ports?device_id=vm-${(i * 13) % f.portIds.length}`),
    varied((i) => `/v2.0/security-group-ports?security_group_id=${group(f, i)}`),
    varied((i) => `/v2.0/security-groups/${group(f, i * 3)}`),
    {
      method: 'POST', path: '/v2.0/security-group-rules',
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ security_group_rule: { security_group_id: group(f, ++k), direction: 'egress', protocol: 'udp', port_range_min: 40000 + (k % 20000), port_range_max: 40000 + (k % 20000) } }) }),
    },
    {
      method: 'PUT',
      setupRequest: (req) => ({ ...req, path: `/v2.0/ports/${port(f, ++k)}`, body: JSON.stringify({ port: { security_groups: [group(f, k)] } }) }),
    },
  ];
  return autocannon({
    url: c.base, connections, amount, timeout: Math.ceil(c.timeoutMs / 1000),
    headers: { 'x-auth-token': c.token, 'content-type': 'application/json' }, requests,
  });
}
