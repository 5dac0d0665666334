// Builders of groups, rules and ports for engine tests: valid domain objects from a few fields.
import { parseRuleSpec, type Port, type RuleDraft, type SecurityGroup, type SecurityGroupRule } from '../domain/index.js';

const AT = '2025-01-01T00:00:00Z';

export function group(id: string, options: { name?: string; stateful?: boolean; projectId?: string } = {}): SecurityGroup {
  return {
    id,
    projectId: options.projectId ?? 'p1',
    name: options.name ?? id,
    description: '',
    stateful: options.stateful ?? true,
    isDefault: false,
    tags: [],
    revisionNumber: 1,
    createdAt: AT,
    updatedAt: AT,
  };
}

/** A rule of `groupId` from a draft in domain field names; the draft goes through the domain's validation. */
export function rule(id: string, groupId: string, draft: RuleDraft): SecurityGroupRule {
  return { ...parseRuleSpec(draft), id, securityGroupId: groupId, projectId: 'p1', revisionNumber: 1, createdAt: AT, updatedAt: AT };
}

export interface PortOptions {
  readonly ips?: readonly string[];
  readonly groups?: readonly string[];
  readonly pairs?: readonly (string | { ip: string; mac: string })[];
  readonly portSecurity?: boolean;
  readonly deviceOwner?: string;
  readonly deviceId?: string;
  readonly mac?: string;
  readonly projectId?: string;
}

export function port(id: string, options: PortOptions = {}): Port {
  const mac = options.mac ?? 'fa:16:3e:00:00:01';
  return {
    id,
    projectId: options.projectId ?? 'p1',
    networkId: 'net1',
    name: id,
    description: '',
    macAddress: mac,
    fixedIps: (options.ips ?? []).map((ipAddress) => ({ subnetId: 'sub1', ipAddress })),
    deviceId: options.deviceId ?? `vm-${id}`,
    deviceOwner: options.deviceOwner ?? 'compute:nova',
    hostId: 'host1',
    adminStateUp: true,
    securityGroupIds: options.groups ?? [],
    portSecurityEnabled: options.portSecurity ?? true,
    allowedAddressPairs: (options.pairs ?? []).map((p) => (typeof p === 'string' ? { ipAddress: p, macAddress: mac } : { ipAddress: p.ip, macAddress: p.mac })),
    revisionNumber: 1,
    createdAt: AT,
    updatedAt: AT,
  };
}
