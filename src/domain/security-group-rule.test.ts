// Rule parsing in Neutron's order (S2–S20) and duplicate identity (§7.4).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.js';
import { normalizedCidrOf, parseRuleSpec, ruleIdentity, type RuleDraft } from './security-group-rule.js';

function codeOf(draft: RuleDraft): string {
  try {
    parseRuleSpec(draft);
    return 'ok';
  } catch (e) {
    if (e instanceof InvalidInputError) return e.code;
    throw e;
  }
}

const ingress = { direction: 'ingress' } as const;

describe('parseRuleSpec', () => {
  it('normalises a full rule', () => {
    expect(parseRuleSpec({ ...ingress, etherType: 'ipv4', protocol: 'TCP', portRangeMin: '22', portRangeMax: 22, remoteIpPrefix: '203.0.113.7', description: 'ssh' })).toEqual({
      direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22,
      remoteIpPrefix: '203.0.113.7/32', remoteGroupId: null, remoteAddressGroupId: null, description: 'ssh',
    });
  });

  it('turns 1–65535 into all ports whatever the protocol (S11)', () => {
    expect(parseRuleSpec({ ...ingress, protocol: 'udp', portRangeMin: 1, portRangeMax: 65535 })).toMatchObject({ portRangeMin: null, portRangeMax: null });
    expect(parseRuleSpec({ ...ingress, protocol: 'icmp', portRangeMin: 1, portRangeMax: 65535 })).toMatchObject({ portRangeMin: null, portRangeMax: null });
  });

  it.each<[RuleDraft, string]>([
    [{ direction: 'in' }, 'HTTPBadRequest'],
    [{ ...ingress, protocol: 'bad' }, 'SecurityGroupRuleInvalidProtocol'],
    [{ ...ingress, protocol: 'tcp', portRangeMin: -16, portRangeMax: 22 }, 'SecurityGroupInvalidPortValue'],
    [{ ...ingress, protocol: 'tcp', portRangeMin: 22, portRangeMax: 65536 }, 'SecurityGroupInvalidPortValue'],
    [{ ...ingress, etherType: 'ip4' }, 'SecurityGroupRuleInvalidEtherType'],
    [{ ...ingress, etherType: 4 }, 'SecurityGroupRuleInvalidEtherType'],
    [{ ...ingress, remoteIpPrefix: '192.168.1.1/33' }, 'InvalidCIDR'],
    [{ ...ingress, description: 'x'.repeat(256) }, 'HTTPBadRequest'],
    [{ ...ingress, portRangeMin: 22, portRangeMax: 22 }, 'SecurityGroupProtocolRequiredWithPorts'],
    [{ ...ingress, protocol: 'tcp', portRangeMin: 0, portRangeMax: 22 }, 'SecurityGroupInvalidPortValue'],
    [{ ...ingress, protocol: 'tcp', portRangeMin: 22 }, 'SecurityGroupInvalidPortRange'],
    [{ ...ingress, protocol: 'sctp', portRangeMax: 22 }, 'SecurityGroupInvalidPortRange'],
    [{ ...ingress, protocol: 'udp', portRangeMin: 30, portRangeMax: 20 }, 'SecurityGroupInvalidPortRange'],
    [{ ...ingress, protocol: 'icmp', portRangeMin: 256 }, 'SecurityGroupInvalidIcmpValue'],
    [{ ...ingress, protocol: 'icmp', portRangeMin: 8, portRangeMax: 300 }, 'SecurityGroupInvalidIcmpValue'],
    [{ ...ingress, protocol: 'icmp', portRangeMax: 0 }, 'SecurityGroupMissingIcmpType'],
    [{ ...ingress, protocol: 'gre', portRangeMin: 1, portRangeMax: 2 }, 'SecurityGroupInvalidProtocolForPort'],
    [{ ...ingress, protocol: '0', portRangeMin: 1, portRangeMax: 2 }, 'SecurityGroupInvalidProtocolForPort'],
    [{ ...ingress, etherType: 'IPv6', remoteIpPrefix: '10.0.0.0/8' }, 'SecurityGroupRuleParameterConflict'],
    [{ ...ingress, etherType: 'IPv4', protocol: 'ipv6-icmp' }, 'SecurityGroupEthertypeConflictWithProtocol'],
    [{ ...ingress, etherType: 'IPv4', protocol: 58 }, 'SecurityGroupEthertypeConflictWithProtocol'],
    [{ ...ingress, remoteIpPrefix: '10.0.0.0/8', remoteGroupId: 'x' }, 'SecurityGroupMultipleRemoteEntites'],
  ])('%j → %s', (draft, code) => {
    expect(codeOf(draft)).toBe(code);
  });

  it('keeps Neutron\'s wording that test suites match', () => {
    expect(() => parseRuleSpec({ ...ingress, protocol: 'tcp', portRangeMin: -16, portRangeMax: 22 })).toThrow('Invalid value for port -16');
    expect(() => parseRuleSpec({ ...ingress, protocol: 'tcp', portRangeMin: 30, portRangeMax: 22 })).toThrow('port_range_min must be <= port_range_max');
    expect(() => parseRuleSpec({ ...ingress, protocol: 'icmp', portRangeMin: 1, portRangeMax: 256 })).toThrow('Invalid value for ICMP code');
    expect(() => parseRuleSpec({ ...ingress, protocol: 'icmp', portRangeMin: 256 })).toThrow('Invalid value for ICMP type');
    expect(() => parseRuleSpec({ ...ingress, protocol: 'icmp', portRangeMax: 3 })).toThrow('ICMP type (port-range-min) is missing');
    expect(() => parseRuleSpec({ ...ingress, etherType: 'IPv6', remoteIpPrefix: '10.0.0.0/8' })).toThrow('Conflicting value ethertype IPv6 for CIDR 10.0.0.0/8');
  });

  it('collects every independent issue, not just the first', () => {
    try {
      parseRuleSpec({ direction: 'x', protocol: 'bad', remoteIpPrefix: 'nope' });
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidInputError).issues.map((i) => i.path)).toEqual(['direction', 'protocol', 'remote_ip_prefix']);
    }
  });

  it('either returns a spec or throws InvalidInputError, for any input', () => {
    const anyJson = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer({ min: -70000, max: 70000 }), fc.boolean(), fc.double());
    fc.assert(
      fc.property(
        fc.record({ direction: fc.oneof(fc.constantFrom('ingress', 'egress'), anyJson), etherType: fc.oneof(fc.constantFrom('IPv4', 'ipv6'), anyJson), protocol: fc.oneof(fc.constantFrom('tcp', 'udp', 'icmp', '0', 'any'), anyJson), portRangeMin: anyJson, portRangeMax: anyJson, remoteIpPrefix: fc.oneof(fc.ipV4(), anyJson), description: anyJson }),
        (draft) => {
          let spec;
          try {
            spec = parseRuleSpec(draft);
          } catch (e) {
            expect(e).toBeInstanceOf(InvalidInputError);
            return;
          }
          // Outside the try: a spec the parser produced must parse again, to itself, never throw.
          expect(parseRuleSpec(spec)).toEqual(spec);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('ruleIdentity (§7.4)', () => {
  const spec = (d: RuleDraft) => parseRuleSpec({ ...ingress, ...d });
  it('treats tcp ≡ 6, null prefix ≡ 0.0.0.0/0, and ignores description', () => {
    expect(ruleIdentity('g', spec({ protocol: 'tcp' }))).toBe(ruleIdentity('g', spec({ protocol: 6, description: 'x' })));
    expect(ruleIdentity('g', spec({}))).toBe(ruleIdentity('g', spec({ remoteIpPrefix: '0.0.0.0/0' })));
    expect(ruleIdentity('g', spec({ etherType: 'IPv6', protocol: 'icmp' }))).toBe(ruleIdentity('g', spec({ etherType: 'IPv6', protocol: '58' })));
  });
  it('keeps host bits, null ≢ "0", and groups apart', () => {
    expect(ruleIdentity('g', spec({ remoteIpPrefix: '10.0.0.1/24' }))).not.toBe(ruleIdentity('g', spec({ remoteIpPrefix: '10.0.0.0/24' })));
    expect(ruleIdentity('g', spec({}))).not.toBe(ruleIdentity('g', spec({ protocol: '0' })));
    expect(ruleIdentity('g', spec({}))).not.toBe(ruleIdentity('h', spec({})));
  });
  it('computes normalized_cidr', () => {
    expect(normalizedCidrOf({ remoteIpPrefix: '10.0.0.34/24' })).toBe('10.0.0.0/24');
    expect(normalizedCidrOf({ remoteIpPrefix: null })).toBeNull();
  });
});
