// Tests for the client-side rule check: every issue reported, bodies in Neutron's shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRuleSpec } from '../domain/index.js';
import { checkRule, ruleKey, type RuleCheckContext, type RuleFields } from './rule-check.js';

const ctx: RuleCheckContext = {
  securityGroupId: 'sg-1',
  resolveGroup: (v) => (v === 'WEB' || v === 'g-web' ? { id: 'g-web' } : { error: `No security group named '${v}'.` }),
};
const fields = (over: Partial<RuleFields> = {}): RuleFields => ({
  direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', portRangeMin: '22', portRangeMax: '22',
  remoteIpPrefix: '', remoteGroup: '', description: '', ...over,
});
const issuesOf = (over: Partial<RuleFields>) => {
  const r = checkRule(fields(over), ctx);
  return r.ok ? [] : r.issues.map((i) => `${i.field}: ${i.message}`);
};

describe('checkRule', () => {
  it('builds the Neutron body of a valid rule', () => {
    const r = checkRule(fields({ remoteIpPrefix: '203.0.113.7', description: 'ssh' }), ctx);
    expect(r).toEqual({
      ok: true,
      body: {
        security_group_id: 'sg-1', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22,
        remote_ip_prefix: '203.0.113.7/32', remote_group_id: null, description: 'ssh',
      },
    });
  });

  it('treats empty and "any" protocol as every protocol and keeps "0" as given', () => {
    const any = checkRule(fields({ protocol: 'any', portRangeMin: '', portRangeMax: '' }), ctx);
    expect(any.ok && any.body.protocol).toBeNull();
    const zero = checkRule(fields({ protocol: '0', portRangeMin: '', portRangeMax: '' }), ctx);
    expect(zero.ok && zero.body.protocol).toBe('0');
    const num = checkRule(fields({ protocol: '006' }), ctx);
    expect(num.ok && num.body.protocol).toBe('6');
  });

  it('reports every problem of a line at once', () => {
    expect(issuesOf({ direction: 'in', ethertype: 'ip4', protocol: 'tcp/ip', portRangeMin: '70000', description: 'x'.repeat(256) })).toEqual([
      "direction: Direction must be ingress or egress, not 'in'.",
      "ethertype: Ether type must be IPv4 or IPv6, not 'ip4'.",
      expect.stringContaining("protocol: Protocol 'tcp/ip' is not supported"),
      "portRangeMin: Port must be a whole number from 1 to 65535, not '70000'.",
      'description: The description is longer than 255 characters.',
    ]);
  });

  it('checks ports per protocol', () => {
    expect(issuesOf({ portRangeMin: '100', portRangeMax: '99' })).toEqual(['portRangeMax: The port range ends (99) before it starts (100).']);
    expect(issuesOf({ portRangeMax: '' })).toEqual(['portRangeMax: Give both ends of the port range (or neither, for all ports).']);
    expect(issuesOf({ portRangeMin: '0', portRangeMax: '0' })[0]).toContain('Port 0 is not valid');
    expect(issuesOf({ protocol: '', portRangeMin: '22' })).toEqual(['portRangeMin: Choose a protocol (TCP, UDP, ...) to give ports.']);
    expect(issuesOf({ protocol: 'gre' })[0]).toContain('Protocol gre has no ports');
    expect(issuesOf({ protocol: 'icmp', portRangeMin: '8', portRangeMax: '0' })).toEqual([]);
    expect(issuesOf({ protocol: 'icmp', portRangeMin: '', portRangeMax: '0' })).toEqual(['portRangeMin: ICMP code 0 is given but the ICMP type is missing.']);
    expect(issuesOf({ protocol: 'icmp', portRangeMin: '256', portRangeMax: '' })[0]).toContain('ICMP type must be a whole number from 0 to 255');
  });

  it('checks the remote: CIDR syntax, its IP version, groups by name, never both', () => {
    expect(issuesOf({ remoteIpPrefix: '10.0.0.1/33' })).toEqual(["remoteIpPrefix: '10.0.0.1/33' is not an IP address or CIDR."]);
    expect(issuesOf({ remoteIpPrefix: '2001:db8::/32' })[0]).toContain('is an IPv6 prefix but the ether type is IPv4');
    expect(issuesOf({ remoteGroup: 'NOPE' })).toEqual(["remoteGroup: No security group named 'NOPE'."]);
    expect(issuesOf({ remoteGroup: 'WEB', remoteIpPrefix: '10.0.0.0/8' })[0]).toContain('not both');
    const g = checkRule(fields({ remoteGroup: 'WEB' }), ctx);
    expect(g.ok && g.body.remote_group_id).toBe('g-web');
    expect(issuesOf({ ethertype: 'IPv4', protocol: 'ipv6-icmp', portRangeMin: '', portRangeMax: '' })).toEqual(['protocol: Protocol ipv6-icmp needs ether type IPv6.']);
  });
});

describe('ruleKey', () => {
  const body = (over: Partial<RuleFields>) => {
    const r = checkRule(fields(over), ctx);
    if (!r.ok) throw new Error('bad fixture');
    return r.body;
  };
  it('matches Neutron identity: tcp ≡ 6, anywhere ≡ no prefix, description ignored, 1–65535 ≡ all', () => {
    expect(ruleKey(body({ protocol: 'tcp' }))).toBe(ruleKey(body({ protocol: '6', description: 'other' })));
    expect(ruleKey(body({ remoteIpPrefix: '0.0.0.0/0' }))).toBe(ruleKey(body({})));
    expect(ruleKey(body({ portRangeMin: '1', portRangeMax: '65535' }))).toBe(ruleKey(body({ portRangeMin: '', portRangeMax: '' })));
    expect(ruleKey(body({ protocol: '0', portRangeMin: '', portRangeMax: '' }))).not.toBe(ruleKey(body({ protocol: '', portRangeMin: '', portRangeMax: '' })));
  });
});

describe('checkRule and the server agree', () => {
  const text = (...values: string[]) => fc.constantFrom(...values);
  const port = fc.oneof(text('', '0', '1', '22', '255', '256', '65535', '65536', '-1', 'x'), fc.integer({ min: 0, max: 70000 }).map(String));
  const ruleFields = fc.record({
    direction: text('ingress', 'egress'),
    ethertype: text('IPv4', 'IPv6', 'ipv6'),
    protocol: text('', 'any', 'tcp', 'UDP', 'icmp', 'icmpv6', 'ipv6-icmp', 'ipv6-frag', 'gre', 'sctp', '0', '1', '6', '58', '006', '255', '256', 'tcp/ip'),
    portRangeMin: port,
    portRangeMax: port,
    remoteIpPrefix: text('', '10.0.0.34/24', '10.0.0.1', '2001:db8::/32', '::/0', '10.0.0.1/33', 'bad'),
    remoteGroup: fc.constant(''),
    description: fc.constant(''),
  });
  const serverAccepts = (f: RuleFields): boolean => {
    const orNull = (v: string) => (v === '' ? null : v);
    try {
      parseRuleSpec({
        direction: f.direction, etherType: f.ethertype, protocol: orNull(f.protocol), portRangeMin: orNull(f.portRangeMin),
        portRangeMax: orNull(f.portRangeMax), remoteIpPrefix: orNull(f.remoteIpPrefix), description: f.description,
      });
      return true;
    } catch {
      return false;
    }
  };

  it('a rule the form accepts is one the server accepts, and the other way round', () => {
    fc.assert(fc.property(ruleFields, (f) => checkRule(f, ctx).ok === serverAccepts(f)), { numRuns: 3000 });
  });
});
