// neutron-api.md §4.2 and §6.3 (S1–S27) security-group rules, with §7 normalisation and duplicate identity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, type Caller, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const RULES = '/v2.0/security-group-rules';
const MISSING = '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1';

/** A fresh group and a function posting one rule into it. */
async function setup(project: string): Promise<{ c: Caller; g: Json; post: (attrs: Json) => ReturnType<Caller['post']> }> {
  const c = h.as(project);
  const g = await c.group();
  const post = (attrs: Json) => c.post(RULES, { security_group_rule: { security_group_id: g['id'], direction: 'ingress', ...attrs } });
  return { c, g, post };
}

describe('§4.2 create, show, delete', () => {
  it('creates a rule with the documented shape (bare address gets /32)', async () => {
    const { g, post } = await setup('shape');
    const r = ok(await post({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '203.0.113.7', description: 'ssh from bastion' }), 201)['security_group_rule'];
    expect(r).toMatchObject({
      security_group_id: g['id'], direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22,
      remote_ip_prefix: '203.0.113.7/32', normalized_cidr: '203.0.113.7/32', remote_group_id: null, remote_address_group_id: null,
      belongs_to_default_sg: false, description: 'ssh from bastion', project_id: 'shape', tenant_id: 'shape',
    });
    expect(Object.keys(r).sort()).toEqual([
      'belongs_to_default_sg', 'created_at', 'description', 'direction', 'ethertype', 'expires_at', 'id', 'normalized_cidr', 'port_range_max',
      'port_range_min', 'project_id', 'protocol', 'remote_address_group_id', 'remote_group_id', 'remote_ip_prefix',
      'revision_number', 'security_group_id', 'tenant_id', 'updated_at',
    ]);
    expect(ok(await h.as('shape').get(`${RULES}/${r['id']}`))['security_group_rule']).toEqual(r);
  });

  it('ports as numeric strings come back as integers; integer protocol 17 as "17"', async () => {
    const { post } = await setup('numeric');
    const r = ok(await post({ protocol: 17, port_range_min: '53', port_range_max: '53' }), 201)['security_group_rule'];
    expect(r).toMatchObject({ protocol: '17', port_range_min: 53, port_range_max: 53 });
  });

  it('the new rule appears embedded in its group; delete removes it', async () => {
    const { c, g } = await setup('embed');
    const r = await c.rule(g['id'], { protocol: 'udp', port_range_min: 1000, port_range_max: 2000 });
    const shown = ok(await c.get(`/v2.0/security-groups/${g['id']}`))['security_group'];
    expect(shown['security_group_rules'].map((x: Json) => x['id'])).toContain(r['id']);
    ok(await c.del(`${RULES}/${r['id']}`), 204);
    const after = ok(await c.get(`/v2.0/security-groups/${g['id']}`))['security_group'];
    expect(after['security_group_rules'].map((x: Json) => x['id'])).not.toContain(r['id']);
  });

  it('remote_group_id works', async () => {
    const { c, g, post } = await setup('remote');
    const other = await c.group();
    expect(ok(await post({ remote_group_id: other['id'] }), 201)['security_group_rule']['remote_group_id']).toBe(other['id']);
    expect(ok(await post({ remote_group_id: g['id'], ethertype: 'IPv6' }), 201)['security_group_rule']['remote_group_id']).toBe(g['id']);
  });

  it('bulk create is atomic: one bad item writes nothing', async () => {
    const { c, g } = await setup('bulk');
    const before = await h.latestSeq();
    const good = { security_group_id: g['id'], direction: 'ingress', protocol: 'tcp', port_range_min: 80, port_range_max: 80 };
    const bad = { security_group_id: g['id'], direction: 'ingress', protocol: 'tcp', port_range_min: 90, port_range_max: 85 };
    expectError(await c.post(RULES, { security_group_rules: [good, bad] }), 400, 'SecurityGroupInvalidPortRange');
    const dup = { security_group_id: g['id'], direction: 'egress' };
    expectError(await c.post(RULES, { security_group_rules: [good, dup] }), 409, 'SecurityGroupRuleExists');
    expect(await h.latestSeq()).toBe(before);
    expect(ok(await c.get(`/v2.0/security-groups/${g['id']}`))['security_group']['security_group_rules']).toHaveLength(2);
    const created = ok(await c.post(RULES, { security_group_rules: [good, { ...good, port_range_min: 443, port_range_max: 443 }] }), 201);
    expect(created['security_group_rules']).toHaveLength(2);
  });
});

describe('§6.3 rules S1–S27', () => {
  it('S1: security_group_id must be a string of at most 36', async () => {
    const c = h.as('s1');
    expectError(await c.post(RULES, { security_group_rule: { security_group_id: 0, direction: 'ingress' } }), 400, 'HTTPBadRequest', 'Invalid input for security_group_id');
    expectError(await c.post(RULES, { security_group_rule: { security_group_id: 'x'.repeat(37), direction: 'ingress' } }), 400, 'HTTPBadRequest', 'exceeds maximum length of 36');
  });

  it('S2: direction is exactly ingress or egress', async () => {
    const { post } = await setup('s2');
    for (const d of ['INGRESS', 'in', '', 1]) {
      expectError(await post({ direction: d }), 400, 'HTTPBadRequest', 'Invalid input for direction');
    }
  });

  it('S3: bad protocols are 400 SecurityGroupRuleInvalidProtocol', async () => {
    const { post } = await setup('s3');
    for (const p of ['tcp/ip', '256', -1, 'bad', '', 256, 1.5, true]) {
      expectError(await post({ protocol: p }), 400, 'SecurityGroupRuleInvalidProtocol', 'not supported. Only protocol values', 'integer representations [0 to 255] are supported.');
    }
  });

  it('S4: ports must be integers 0–65535 (tempest substrings)', async () => {
    const { post } = await setup('s4');
    expectError(await post({ protocol: 'tcp', port_range_min: -16, port_range_max: 22 }), 400, 'SecurityGroupInvalidPortValue', 'Invalid value for port -16');
    expectError(await post({ protocol: 'tcp', port_range_min: 22, port_range_max: 65536 }), 400, 'SecurityGroupInvalidPortValue', 'Invalid value for port 65536');
    expectError(await post({ protocol: 'tcp', port_range_min: 'abc', port_range_max: 22 }), 400, 'SecurityGroupInvalidPortValue', 'Invalid value');
    expectError(await post({ protocol: 'tcp', port_range_min: 2.5, port_range_max: 22 }), 400, 'SecurityGroupInvalidPortValue');
  });

  it('S5: ethertype is IPv4/IPv6 in any case, nothing else', async () => {
    const { post } = await setup('s5');
    expect(ok(await post({ ethertype: 'ipv6' }), 201)['security_group_rule']['ethertype']).toBe('IPv6');
    for (const e of ['', 'ip4', 4]) {
      expectError(await post({ ethertype: e }), 400, 'SecurityGroupRuleInvalidEtherType', 'not supported. Allowed values are', "['IPv4', 'IPv6']");
    }
  });

  it('S6: remote_ip_prefix must be an address or CIDR', async () => {
    const { post } = await setup('s6');
    for (const p of ['192.168.1./24', '192.168.1.1/33', '256', 'bad_prefix']) {
      expectError(await post({ remote_ip_prefix: p }), 400, 'InvalidCIDR', `Invalid CIDR ${p} given as IP prefix.`);
    }
    expectError(await post({ ethertype: 'IPv6', remote_ip_prefix: '2001:db8::1/129' }), 400, 'InvalidCIDR');
  });

  it('S7: description is a string of at most 255', async () => {
    const { post } = await setup('s7');
    expectError(await post({ description: 5 }), 400, 'HTTPBadRequest', 'Invalid input for description');
    expectError(await post({ description: 'x'.repeat(256) }), 400, 'HTTPBadRequest', 'exceeds maximum length of 255');
  });

  it('S8: a rule in an existing group of another project is 403', async () => {
    const owner = await h.as('s8-owner').group();
    const res = await h.as('s8-other').post(RULES, { security_group_rule: { security_group_id: owner['id'], direction: 'ingress' } });
    expectError(res, 403);
  });

  it('S9: a rule over the rule quota is 409 OverQuota', async () => {
    const { post } = await setup('s9');
    // default group 4 + this group 2 = 6 rules already.
    ok(await h.admin.put('/v2.0/quotas/s9', { quota: { security_group_rule: 7 } }));
    ok(await post({ protocol: 'tcp' }), 201);
    expectError(await post({ protocol: 'udp' }), 409, 'OverQuota', "Quota exceeded for resources: ['security_group_rule'].");
  });

  it('S10: IPv6 icmp/icmpv6 become ipv6-icmp, 1 becomes 58; IPv4 icmp stays', async () => {
    const { post } = await setup('s10');
    expect(ok(await post({ ethertype: 'IPv6', protocol: 'icmp' }), 201)['security_group_rule']['protocol']).toBe('ipv6-icmp');
    expect(ok(await post({ ethertype: 'IPv6', protocol: 1, direction: 'egress', port_range_min: 128 }), 201)['security_group_rule']['protocol']).toBe('58');
    expect(ok(await post({ protocol: 'ICMP' }), 201)['security_group_rule']['protocol']).toBe('icmp');
    expectError(await post({ ethertype: 'IPv6', protocol: 'icmpv6' }), 409, 'SecurityGroupRuleExists');
  });

  it('S11: 1–65535 becomes null/null, whatever the protocol', async () => {
    const { post } = await setup('s11');
    expect(ok(await post({ protocol: 'tcp', port_range_min: 1, port_range_max: 65535 }), 201)['security_group_rule']).toMatchObject({ port_range_min: null, port_range_max: null });
    expect(ok(await post({ protocol: 'icmp', port_range_min: 1, port_range_max: 65535 }), 201)['security_group_rule']).toMatchObject({ port_range_min: null, port_range_max: null });
  });

  it('S12: ports without a protocol are refused', async () => {
    const { post } = await setup('s12');
    expectError(await post({ port_range_min: 22, port_range_max: 22 }), 400, 'SecurityGroupProtocolRequiredWithPorts', 'Must also specify protocol if port range is given.');
    expectError(await post({ protocol: 'any', port_range_min: 22, port_range_max: 22 }), 400, 'SecurityGroupProtocolRequiredWithPorts');
  });

  it('S13: L4 protocols need both bounds, none zero, min ≤ max', async () => {
    const { post } = await setup('s13');
    for (const p of ['tcp', 'udp', 'dccp', 'sctp', 'udplite', '6']) {
      expectError(await post({ protocol: p, port_range_min: 0, port_range_max: 10 }), 400, 'SecurityGroupInvalidPortValue', 'Invalid value for port 0');
      expectError(await post({ protocol: p, port_range_min: 20, port_range_max: 10 }), 400, 'SecurityGroupInvalidPortRange', 'port_range_min must be <= port_range_max');
      expectError(await post({ protocol: p, port_range_min: 20 }), 400, 'SecurityGroupInvalidPortRange', 'For TCP/UDP protocols');
      expectError(await post({ protocol: p, port_range_max: 20 }), 400, 'SecurityGroupInvalidPortRange');
    }
  });

  it('S14: ICMP type and code are 0–255', async () => {
    const { post } = await setup('s14');
    expectError(await post({ protocol: 'icmp', port_range_min: 256, port_range_max: 0 }), 400, 'SecurityGroupInvalidIcmpValue', 'Invalid value for ICMP type', 'It must be 0 to 255.');
    expectError(await post({ protocol: 'icmp', port_range_min: 8, port_range_max: 300 }), 400, 'SecurityGroupInvalidIcmpValue', 'Invalid value for ICMP code');
    expectError(await post({ protocol: 'ipv6-icmp', ethertype: 'IPv6', port_range_min: 999 }), 400, 'SecurityGroupInvalidIcmpValue');
    expect(ok(await post({ protocol: 'icmp', port_range_min: 8, port_range_max: 0 }), 201)['security_group_rule']).toMatchObject({ port_range_min: 8, port_range_max: 0 });
  });

  it('S15: an ICMP code without a type is refused, code 0 included', async () => {
    const { post } = await setup('s15');
    expectError(await post({ protocol: 'icmp', port_range_max: 0 }), 400, 'SecurityGroupMissingIcmpType', 'ICMP code (port-range-max) 0 is provided but ICMP type (port-range-min) is missing.');
    expectError(await post({ protocol: 'icmp', port_range_max: 3 }), 400, 'SecurityGroupMissingIcmpType', 'ICMP type (port-range-min) is missing');
  });

  it('S16: other protocols take no ports', async () => {
    const { post } = await setup('s16');
    expectError(await post({ protocol: 'gre', port_range_min: 5, port_range_max: 5 }), 400, 'SecurityGroupInvalidProtocolForPort', 'Ports cannot be specified for protocol', 'Ports are only supported for DCCP, SCTP, TCP, UDP, UDPLITE.');
    expectError(await post({ protocol: '0', port_range_min: 5, port_range_max: 5 }), 400);
  });

  it('S17: a bare address gets /32 or /128; host bits are kept', async () => {
    const { post } = await setup('s17');
    expect(ok(await post({ ethertype: 'IPv6', remote_ip_prefix: '2001:db8::1' }), 201)['security_group_rule']['remote_ip_prefix']).toBe('2001:db8::1/128');
    const r = ok(await post({ remote_ip_prefix: '10.0.0.34/24' }), 201)['security_group_rule'];
    expect(r).toMatchObject({ remote_ip_prefix: '10.0.0.34/24', normalized_cidr: '10.0.0.0/24' });
  });

  it('S18: the prefix version must match the ethertype', async () => {
    const { post } = await setup('s18');
    expectError(await post({ ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' }), 400, 'SecurityGroupRuleParameterConflict', 'Conflicting value ethertype IPv6 for CIDR 10.0.0.0/8');
    expectError(await post({ remote_ip_prefix: '::/0' }), 400, 'SecurityGroupRuleParameterConflict', 'Conflicting value ethertype');
  });

  it('S19: IPv6-only protocols are refused on IPv4 rules, by name or number', async () => {
    const { post } = await setup('s19');
    for (const p of ['ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'icmpv6', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', '41', '43', '44', 58, '59', '60']) {
      expectError(await post({ protocol: p }), 400, 'SecurityGroupEthertypeConflictWithProtocol', 'Invalid ethertype IPv4 for protocol');
    }
  });

  it('S20: at most one remote', async () => {
    const { g, post } = await setup('s20');
    expectError(await post({ remote_ip_prefix: '10.0.0.0/8', remote_group_id: g['id'] }), 400, 'SecurityGroupMultipleRemoteEntites', 'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.');
  });

  it('S21: an unknown or invisible remote group is 404 (garbage included)', async () => {
    const { post } = await setup('s21');
    const foreign = await h.as('s21-other').group();
    expectError(await post({ remote_group_id: 'bad_group_id' }), 404, 'SecurityGroupNotFound');
    expectError(await post({ remote_group_id: MISSING }), 404, 'SecurityGroupNotFound');
    expectError(await post({ remote_group_id: foreign['id'] }), 404, 'SecurityGroupNotFound');
  });

  it('S22: a remote address group must exist (none do); null is accepted', async () => {
    const { post } = await setup('s22');
    expectError(await post({ remote_address_group_id: MISSING }), 404, 'AddressGroupNotFound');
    ok(await post({ remote_address_group_id: null, protocol: 'tcp' }), 201);
  });

  it('S23: an unknown parent group is 404', async () => {
    const c = h.as('s23');
    for (const id of [MISSING, 'bad_group_id']) {
      expectError(await c.post(RULES, { security_group_rule: { security_group_id: id, direction: 'ingress' } }), 404, 'SecurityGroupNotFound', `Security group ${id} does not exist`);
    }
  });

  it('S24: a bulk names one group and one project', async () => {
    const { c, g } = await setup('s24');
    const other = await c.group();
    const twoGroups = [{ security_group_id: g['id'], direction: 'ingress' }, { security_group_id: other['id'], direction: 'ingress' }];
    expectError(await c.post(RULES, { security_group_rules: twoGroups }), 400, 'SecurityGroupNotSingleGroupRules', 'Only allowed to update rules for one security profile at a time');
    const ag = await h.admin.group({ project_id: 's24' });
    const twoProjects = [
      { security_group_id: ag['id'], direction: 'ingress', project_id: 's24' },
      { security_group_id: ag['id'], direction: 'ingress', protocol: 'tcp', project_id: 'elsewhere' },
    ];
    expectError(await h.admin.post(RULES, { security_group_rules: twoProjects }), 400, 'SecurityGroupRulesNotSingleProject', 'Multiple project_ids in bulk security group rule create not allowed');
  });

  it('S25: two equal items in one bulk are 409', async () => {
    const { c, g } = await setup('s25');
    const a = { security_group_id: g['id'], direction: 'ingress', protocol: 'tcp', port_range_min: 80, port_range_max: 80 };
    const b = { ...a, protocol: '6', description: 'other' };
    expectError(await c.post(RULES, { security_group_rules: [a, b] }), 409, 'DuplicateSecurityGroupRuleInPost', 'Duplicate Security Group Rule in POST.');
  });

  it('S26: a duplicate of an existing rule is 409 naming the existing id', async () => {
    const { g, post } = await setup('s26');
    const first = ok(await post({ protocol: 'tcp', port_range_min: 22, port_range_max: 22 }), 201)['security_group_rule'];
    expectError(await post({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, description: 'again' }), 409, 'SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${first['id']}.`);
    const egress = g['security_group_rules'].find((r: Json) => r['ethertype'] === 'IPv4');
    expectError(await post({ direction: 'egress', remote_ip_prefix: '0.0.0.0/0' }), 409, 'SecurityGroupRuleExists', `Rule id is ${egress['id']}.`);
  });

  it('S27: show or delete of an unknown rule is 404', async () => {
    const c = h.as('s27');
    expectError(await c.get(`${RULES}/${MISSING}`), 404, 'SecurityGroupRuleNotFound', `Security group rule ${MISSING} does not exist`);
    expectError(await c.del(`${RULES}/${MISSING}`), 404, 'SecurityGroupRuleNotFound');
  });
});

describe('§7 normalisation and identity', () => {
  const CASES: [input: unknown, ethertype: string, output: string | null][] = [
    [null, 'IPv4', null], ['any', 'IPv4', null], ['ANY', 'IPv4', null], ['Any', 'IPv6', null],
    ['TCP', 'IPv4', 'tcp'], [6, 'IPv4', '6'], ['6', 'IPv4', '6'], ['06', 'IPv4', '6'], ['0', 'IPv4', '0'], [0, 'IPv6', '0'],
    ['icmp', 'IPv4', 'icmp'], ['icmpv6', 'IPv6', 'ipv6-icmp'], [1, 'IPv6', '58'], ['ipv6-route', 'IPv6', 'ipv6-route'],
    ['hopopt', 'IPv4', 'hopopt'], ['ip', 'IPv6', 'ip'], ['vrrp', 'IPv4', 'vrrp'], [255, 'IPv4', '255'],
  ];

  it('§7.1: the protocol table', async () => {
    for (const [input, ethertype, output] of CASES) {
      const { post } = await setup(`p71-${String(input)}-${ethertype}`);
      const r = ok(await post({ protocol: input, ethertype }), 201)['security_group_rule'];
      expect(r['protocol'], `${String(input)}/${ethertype}`).toBe(output);
    }
  });

  it('§7.1: every accepted name works on a rule of a suitable ethertype', async () => {
    const { post } = await setup('names');
    const names = ['ah', 'dccp', 'egp', 'esp', 'gre', 'icmp', 'igmp', 'ipip', 'ipv6-encap', 'ipv6-frag', 'ipv6-icmp', 'ipv6-nonxt', 'ipv6-opts', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp', 'udplite'];
    for (const name of names) {
      const ethertype = name.startsWith('ipv6') ? 'IPv6' : 'IPv4';
      expect(ok(await post({ protocol: name.toUpperCase(), ethertype }), 201)['security_group_rule']['protocol']).toBe(name);
    }
  });

  it('§7.2: 0.0.0.0/0 and ::/0 are stored as given', async () => {
    const { post } = await setup('zero');
    expect(ok(await post({ remote_ip_prefix: '0.0.0.0/0' }), 201)['security_group_rule']['remote_ip_prefix']).toBe('0.0.0.0/0');
    expect(ok(await post({ remote_ip_prefix: '::/0', ethertype: 'IPv6' }), 201)['security_group_rule']).toMatchObject({ remote_ip_prefix: '::/0', normalized_cidr: '::/0' });
  });

  it('§7.3: a TCP rule with 1–65535 equals a TCP rule without ports', async () => {
    const { post } = await setup('canon');
    ok(await post({ protocol: 'tcp' }), 201);
    expectError(await post({ protocol: 'tcp', port_range_min: 1, port_range_max: 65535 }), 409, 'SecurityGroupRuleExists');
  });

  it('§7.4: identity compares protocol by number, null remote ≡ 0.0.0.0/0, host bits matter, description ignored', async () => {
    const { post } = await setup('identity');
    ok(await post({ protocol: 'udp', port_range_min: 53, port_range_max: 53 }), 201);
    expectError(await post({ protocol: '17', port_range_min: 53, port_range_max: 53, remote_ip_prefix: '0.0.0.0/0' }), 409, 'SecurityGroupRuleExists');
    ok(await post({ protocol: 'tcp', remote_ip_prefix: '10.0.0.1/24' }), 201);
    ok(await post({ protocol: 'tcp', remote_ip_prefix: '10.0.0.0/24' }), 201);
    ok(await post({ protocol: '0' }), 201);
    ok(await post({}), 201);
    expectError(await post({ protocol: 'any', description: 'x' }), 409, 'SecurityGroupRuleExists');
  });
});
