// A large project for analysis measurements: G groups × R rules and P ports in two groups each, deterministic.
import type { Port, SecurityGroup, SecurityGroupRule } from '../src/domain/index.js';
import { benchGroup, benchRule, prng } from './engine-scenario.js';

export interface AnalysisWorld {
  readonly groups: SecurityGroup[];
  readonly rules: SecurityGroupRule[];
  readonly ports: Port[];
}

/**
 * Every group: egress to anywhere (IPv4 and IPv6) and R − 2 ingress TCP rules on ports 1000, 1001, …, each
 * from anywhere (`openShare` of them), from a random group of the project (2 in 5) or from a random /24 of
 * 10.0.0.0/16 (the rest); so `tcp:1006` is open differently on every group, the hard case for a matrix.
 */
export function analysisWorld(groupCount: number, rulesPerGroup: number, portCount: number, openShare = 0.2, seed = 7): AnalysisWorld {
  const rand = prng(seed);
  const groups = Array.from({ length: groupCount }, (_, g) => ({ ...benchGroup(`g${g}`), projectId: 'big' }));
  const rules: SecurityGroupRule[] = [];
  for (let g = 0; g < groupCount; g++) {
    const gid = `g${g}`;
    rules.push({ ...benchRule(`g${g}-e4`, gid, { direction: 'egress', etherType: 'IPv4' }), projectId: 'big' });
    rules.push({ ...benchRule(`g${g}-e6`, gid, { direction: 'egress', etherType: 'IPv6' }), projectId: 'big' });
    for (let i = 0; i < rulesPerGroup - 2; i++) {
      const kind = rand();
      const remote = kind < openShare ? {} : kind < openShare + 0.4 ? { remoteGroupId: `g${Math.floor(rand() * groupCount)}` } : { remoteIpPrefix: `10.0.${Math.floor(rand() * 256)}.0/24` };
      rules.push({ ...benchRule(`g${g}-r${i}`, gid, { direction: 'ingress', protocol: 'tcp', portRangeMin: 1000 + i, portRangeMax: 1000 + i, ...remote }), projectId: 'big' });
    }
  }
  const ports = Array.from({ length: portCount }, (_, i): Port => {
    const a = Math.floor(rand() * groupCount);
    const b = (a + 1 + Math.floor(rand() * (groupCount - 1))) % groupCount;
    return {
      id: `p${i}`, projectId: 'big', networkId: 'n', name: `p${i}`, description: '',
      macAddress: `fa:16:3e:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
      fixedIps: [{ subnetId: 's', ipAddress: `10.0.${(i >> 8) & 255}.${(i & 255)}` }], deviceId: `vm${i}`, deviceOwner: 'compute:nova', hostId: 'h',
      adminStateUp: true, securityGroupIds: [`g${a}`, `g${b}`], portSecurityEnabled: true, allowedAddressPairs: [],
      revisionNumber: 1, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z',
    };
  });
  return { groups, rules, ports };
}
