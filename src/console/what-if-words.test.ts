// Tests for the what-if answer in words: port names where known, ids otherwise, and what needs a confirm.
import { describe, expect, it } from 'vitest';
import type { FindingWire, WhatIfWire } from '../contract/index.js';
import { ApiError } from './api-client.js';
import { changesReachability, portNamer, whatIfSentences, whatIfUnavailable } from './what-if-words.js';

const finding = (message: string): FindingWire => ({
  code: 'open-admin-port', severity: 'high', security_group_ids: ['g'], security_group_rule_ids: ['r'], port_ids: ['p1'], port_count: 1, message, fix: null,
});
const empty: WhatIfWire = { project_id: 'demo', access: [], exposure: [], findings_added: [], findings_cleared: [] };
const name = portNamer([{ name: 'vm1', ports: [{ id: 'p1' }] }, { name: 'vm2', ports: [{ id: 'p2' }, { id: 'p2b' }] }, { name: 'lonely', ports: [{ id: 'p3' }] }]);

describe('what-if words', () => {
  it('says who loses and gains access, by instance name', () => {
    const w: WhatIfWire = { ...empty, access: [
      { source_port_id: 'p1', destination_port_id: 'p2', ethertype: 'IPv4', gained: [], lost: ['tcp/5432'] },
      { source_port_id: 'p2', destination_port_id: 'p1', ethertype: 'IPv6', gained: ['tcp/80', 'icmp/8'], lost: [] },
    ] };
    expect(whatIfSentences(w, name)).toEqual(['vm2 loses tcp/5432 from vm1', 'vm1 gains tcp/80, icmp/8 from vm2 over IPv6']);
    expect(changesReachability(w)).toBe(true);
  });

  it('says what becomes open or closed to which prefixes, with the port id when no name is known', () => {
    const w: WhatIfWire = { ...empty, exposure: [
      { port_id: 'p1', ethertype: 'IPv4', service: 'tcp/22', gained: [], lost: ['0.0.0.0/0'] },
      { port_id: 'unknown-port', ethertype: 'IPv4', service: 'tcp/3389', gained: ['10.0.0.0/8', '192.0.2.0/24'], lost: [] },
      { port_id: 'p3', ethertype: 'IPv6', service: 'any other protocol', gained: ['::/0'], lost: [] },
    ] };
    expect(whatIfSentences(w, name)).toEqual([
      'tcp/22 on vm1 no longer open to 0.0.0.0/0',
      'tcp/3389 on unknown-port becomes open to 10.0.0.0/8, 192.0.2.0/24',
      'any other protocol on lonely becomes open to ::/0',
    ]);
  });

  it('lists new and cleared findings, which alone need no confirm', () => {
    const w: WhatIfWire = { ...empty, findings_added: [finding('Rules 22 and 23 could be one.')], findings_cleared: [finding('tcp/22 open to anywhere.')] };
    expect(whatIfSentences(w, name)).toEqual(['New finding (high): Rules 22 and 23 could be one.', 'Cleared finding: tcp/22 open to anywhere.']);
    expect(changesReachability(w)).toBe(false);
    expect(changesReachability({ ...empty, access: [{ source_port_id: 'p1', destination_port_id: 'p2', ethertype: 'IPv4', gained: [], lost: [] }] })).toBe(false);
    expect(whatIfSentences(empty, name)).toEqual([]);
  });

  it('tells a what-if that could not run from a change the API refuses', () => {
    expect(whatIfUnavailable(new ApiError(409, 'SecurityGroupRuleExists', 'Security group rule already exists.'))).toBe(false);
    expect(whatIfUnavailable(new ApiError(400, 'HTTPBadRequest', 'bad port'))).toBe(false);
    expect(whatIfUnavailable(new ApiError(404, 'SecurityGroupNotFound', 'no group'))).toBe(false);
    expect(whatIfUnavailable(new ApiError(404, 'HTTPNotFound', 'no engine'))).toBe(true);
    expect(whatIfUnavailable(new ApiError(422, 'AnalysisTooLarge', 'too big'))).toBe(true);
    expect(whatIfUnavailable(new ApiError(503, 'AnalysisUnavailable', 'retry'))).toBe(true);
    expect(whatIfUnavailable(new ApiError(0, 'NetworkError', 'down'))).toBe(true);
    expect(whatIfUnavailable(new Error('parse'))).toBe(true);
  });
});
