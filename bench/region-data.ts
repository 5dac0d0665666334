// The region benchmark's data: projects of groups, rules and ports, generated batch by batch for Store.bulkLoad.
import { randomUUID } from 'node:crypto';
import { ruleIdentity, type Port, type SecurityGroup, type SecurityGroupRule } from '../src/domain/index.js';
import type { BulkLoad, BulkRule } from '../src/store/index.js';

const AT = '2026-11-30T00:00:00Z';

/** One project's size; `groupsPerPort` says how many groups the port at index i is in. */
export interface ProjectShape {
  readonly projectId: string;
  readonly groups: number;
  readonly rulesPerGroup: number;
  readonly ports: number;
  readonly groupsPerPort: (i: number) => number;
}

/** What the HTTP phase needs to know about a generated project. */
export interface ProjectFacts {
  readonly projectId: string;
  readonly groupIds: readonly string[];
  readonly portIds: readonly string[];
  readonly rules: number;
}

const hex = (n: number) => (n & 255).toString(16).padStart(2, '0');
/** The i-th host address of 10.0.0.0/16, past the gateway. */
const ipOf = (i: number) => `10.0.${(i + 10) >> 8}.${(i + 10) & 255}`;

/**
 * Rule j of a group: mostly TCP ingress from a prefix, every tenth from `next`, another group of the
 * same batch (so the engine has memberships to resolve, and the foreign key is already written), the
 * last ten egress. All distinct (§7.4).
 */
function ruleOf(group: SecurityGroup, next: string, j: number): BulkRule {
  const rule: SecurityGroupRule = {
    id: randomUUID(), securityGroupId: group.id, projectId: group.projectId,
    direction: j >= 90 ? 'egress' : 'ingress', etherType: 'IPv4', protocol: 'tcp',
    portRangeMin: 1000 + j, portRangeMax: 1000 + j + (j % 3),
    remoteIpPrefix: j % 10 === 0 ? null : `10.${j % 256}.0.0/16`, remoteGroupId: j % 10 === 0 ? next : null,
    remoteAddressGroupId: null, description: '', revisionNumber: 1, createdAt: AT, updatedAt: AT,
  };
  return { rule, identity: ruleIdentity(group.id, rule) };
}

function portOf(shape: ProjectShape, networkId: string, subnetId: string, groupIds: readonly string[], i: number): Port {
  const first = i % groupIds.length;
  const groups = Array.from({ length: Math.min(shape.groupsPerPort(i), groupIds.length) }, (_, k) => groupIds[(first + k * 7) % groupIds.length]!);
  return {
    id: randomUUID(), projectId: shape.projectId, networkId, name: `vm-${i}`, description: '',
    macAddress: `fa:16:3e:${hex(i >> 16)}:${hex(i >> 8)}:${hex(i)}`, fixedIps: [{ subnetId, ipAddress: ipOf(i) }],
    deviceId: `vm-${i}`, deviceOwner: 'compute:nova', hostId: `host-${i % 64}`, adminStateUp: true,
    securityGroupIds: [...new Set(groups)], portSecurityEnabled: true, allowedAddressPairs: [],
    revisionNumber: 1, createdAt: AT, updatedAt: AT,
  };
}

/**
 * Yields the project as batches of at most about `maxObjects` objects: its network and subnet,
 * groups with their rules, then its ports. `facts` is filled in as the batches are produced.
 */
export function* projectBatches(shape: ProjectShape, maxObjects: number, facts: { value?: ProjectFacts } = {}): Generator<BulkLoad> {
  const { projectId } = shape;
  const network = { id: randomUUID(), projectId, name: 'net', description: '', adminStateUp: true, portSecurityEnabled: true, shared: false, routerExternal: false, revisionNumber: 1, createdAt: AT, updatedAt: AT };
  const subnet = { id: randomUUID(), projectId, networkId: network.id, name: 'subnet', description: '', ipVersion: 4 as const, cidr: '10.0.0.0/16', gatewayIp: '10.0.0.1', enableDhcp: true, revisionNumber: 1, createdAt: AT, updatedAt: AT };
  const groups: SecurityGroup[] = Array.from({ length: shape.groups }, (_, k) => ({
    id: randomUUID(), projectId, name: `group-${k}`, description: '', stateful: true, isDefault: false, tags: [],
    revisionNumber: 1, createdAt: AT, updatedAt: AT,
  }));
  const groupIds = groups.map((g) => g.id);
  const portIds: string[] = [];
  facts.value = { projectId, groupIds, portIds, rules: shape.groups * shape.rulesPerGroup };
  yield { networks: [network], subnets: [subnet] };
  const groupsPerBatch = Math.max(1, Math.floor(maxObjects / (shape.rulesPerGroup + 1)));
  for (let g = 0; g < groups.length; g += groupsPerBatch) {
    const chunk = groups.slice(g, g + groupsPerBatch);
    const rules = chunk.flatMap((group, k) => Array.from({ length: shape.rulesPerGroup }, (_, j) => ruleOf(group, chunk[(k + 1) % chunk.length]!.id, j)));
    yield { groups: chunk, rules };
  }
  for (let p = 0; p < shape.ports; p += maxObjects) {
    const ports = Array.from({ length: Math.min(maxObjects, shape.ports - p) }, (_, k) => portOf(shape, network.id, subnet.id, groupIds, p + k));
    portIds.push(...ports.map((x) => x.id));
    yield { ports };
  }
}

/** Concatenates small projects' batches until about `maxObjects`, so each transaction is big. */
export function* merged(batches: Iterable<BulkLoad>, maxObjects: number): Generator<BulkLoad> {
  let acc: Required<{ [K in keyof BulkLoad]: NonNullable<BulkLoad[K]>[number][] }> = { networks: [], subnets: [], groups: [], rules: [], ports: [] };
  let size = 0;
  for (const b of batches) {
    for (const key of Object.keys(acc) as (keyof BulkLoad)[]) {
      const items = (b[key] ?? []) as never[];
      (acc[key] as never[]).push(...items);
      size += items.length;
    }
    if (size >= maxObjects) {
      yield acc;
      acc = { networks: [], subnets: [], groups: [], rules: [], ports: [] };
      size = 0;
    }
  }
  if (size > 0) yield acc;
}
