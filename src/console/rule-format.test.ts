// Tests for the rule labels the tables and exports show.
import { describe, expect, it } from 'vitest';
import { compareRules, portLabel, protocolLabel, remoteLabel, ruleMatchesText, ruleSummary, type RuleView } from './rule-format.js';

const base: RuleView = {
  direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22,
  remote_ip_prefix: null, remote_group_id: null,
};
const names = (id: string) => (id === 'g1' ? 'WEB' : undefined);

describe('rule labels', () => {
  it('shows null and "0" as all protocols, numbers with their name', () => {
    expect(protocolLabel(null)).toBe('All protocols');
    expect(protocolLabel('0')).toBe('All protocols (0)');
    expect(protocolLabel('6')).toBe('TCP (6)');
    expect(protocolLabel('icmp')).toBe('ICMP');
    expect(protocolLabel('253')).toBe('Protocol 253');
  });

  it('shows ports, ranges, "All" and ICMP type/code', () => {
    expect(portLabel(base)).toBe('22');
    expect(portLabel({ ...base, port_range_min: 80, port_range_max: 8080 })).toBe('80–8080');
    expect(portLabel({ ...base, port_range_min: null, port_range_max: null })).toBe('All');
    expect(portLabel({ protocol: 'icmp', port_range_min: 8, port_range_max: 0 })).toBe('Type 8, code 0');
    expect(portLabel({ protocol: 'ipv6-icmp', port_range_min: 128, port_range_max: null })).toBe('Type 128, any code');
    expect(portLabel({ protocol: 'icmp', port_range_min: null, port_range_max: null })).toBe('All types');
    expect(portLabel({ protocol: null, port_range_min: null, port_range_max: null })).toBe('All');
  });

  it('names the remote: Anywhere, a CIDR or a group', () => {
    expect(remoteLabel(base, names)).toBe('Anywhere (0.0.0.0/0)');
    expect(remoteLabel({ ...base, ethertype: 'IPv6' }, names)).toBe('Anywhere (::/0)');
    expect(remoteLabel({ ...base, remote_ip_prefix: '10.0.0.0/8' }, names)).toBe('10.0.0.0/8');
    expect(remoteLabel({ ...base, remote_group_id: 'g1' }, names)).toBe('Group WEB');
    expect(remoteLabel({ ...base, remote_group_id: 'g2' }, names)).toBe('Group g2');
  });

  it('summarises a rule and filters on any column', () => {
    expect(ruleSummary(base, names)).toBe('Ingress IPv4 TCP 22 from Anywhere (0.0.0.0/0)');
    expect(ruleSummary({ ...base, direction: 'egress', protocol: null, port_range_min: null, port_range_max: null }, names)).toBe(
      'Egress IPv4 All protocols to Anywhere (0.0.0.0/0)',
    );
    expect(ruleMatchesText({ ...base, description: 'ssh bastion' }, 'tcp BASTION', names)).toBe(true);
    expect(ruleMatchesText(base, 'udp', names)).toBe(false);
  });
});

describe('compareRules', () => {
  it('puts ingress first, then IPv4, then protocol and port', () => {
    const rules: RuleView[] = [
      { ...base, direction: 'egress', protocol: null, port_range_min: null, port_range_max: null },
      { ...base, ethertype: 'IPv6', port_range_min: 22 },
      { ...base, port_range_min: 80, port_range_max: 80 },
      base,
    ];
    expect([...rules].sort(compareRules)).toEqual([rules[3], rules[2], rules[1], rules[0]]);
  });
});
