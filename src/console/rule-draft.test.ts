// Tests for the Add-rule form state: templates, shortcuts, and the fields it submits.
import { describe, expect, it } from 'vitest';
import { applyTemplate, checkDraft, draftToFields, EMPTY_DRAFT, OTHER_PROTOCOL, portInputs, withEthertype, withMyIp } from './rule-draft.js';
import { findTemplate, RULE_TEMPLATES } from '../contract/index.js';

describe('rule draft', () => {
  it('an address-group remote needs a group and becomes remote_address_group_id, with no prefix or group', () => {
    const ctx = { securityGroupId: 'sg', resolveGroup: () => ({ error: 'none' }) };
    const draft = { ...EMPTY_DRAFT, port: '22', cidr: '10.0.0.0/8', remoteGroupId: 'x', remoteMode: 'address-group' as const };
    expect(checkDraft(draft, ctx)).toEqual({ ok: false, issues: [{ field: 'remoteGroup', message: 'Choose an address group for the remote.' }] });
    const done = checkDraft({ ...draft, remoteAddressGroupId: 'ag1' }, ctx);
    expect(done.ok && done.body).toMatchObject({ remote_address_group_id: 'ag1', remote_ip_prefix: null, remote_group_id: null, port_range_min: 22 });
  });

  it('turns a single port into min = max and "all" into no ports', () => {
    expect(draftToFields({ ...EMPTY_DRAFT, port: '22' })).toMatchObject({ protocol: 'tcp', portRangeMin: '22', portRangeMax: '22' });
    expect(draftToFields({ ...EMPTY_DRAFT, portMode: 'all', port: '22' })).toMatchObject({ portRangeMin: '', portRangeMax: '' });
    expect(draftToFields({ ...EMPTY_DRAFT, portMode: 'range', portMin: '80', portMax: '8080' })).toMatchObject({ portRangeMin: '80', portRangeMax: '8080' });
  });

  it('uses ICMP type/code for ICMP and no ports for other protocols', () => {
    const icmp = { ...EMPTY_DRAFT, protocol: 'icmp', icmpType: '8', icmpCode: '0', port: '22' };
    expect(portInputs(icmp)).toBe('icmp');
    expect(draftToFields(icmp)).toMatchObject({ portRangeMin: '8', portRangeMax: '0' });
    const number = { ...EMPTY_DRAFT, protocol: OTHER_PROTOCOL, protocolNumber: '47', port: '22' };
    expect(portInputs(number)).toBe('none');
    expect(draftToFields(number)).toMatchObject({ protocol: '47', portRangeMin: '', portRangeMax: '' });
    expect(portInputs({ ...EMPTY_DRAFT, protocol: OTHER_PROTOCOL, protocolNumber: '6' })).toBe('ports');
  });

  it('sends the remote of the chosen mode only', () => {
    const d = { ...EMPTY_DRAFT, cidr: '10.0.0.0/8', remoteGroupId: 'g1' };
    expect(draftToFields(d)).toMatchObject({ remoteIpPrefix: '10.0.0.0/8', remoteGroup: '' });
    expect(draftToFields({ ...d, remoteMode: 'group' })).toMatchObject({ remoteIpPrefix: '', remoteGroup: 'g1' });
  });

  it('has every template the issue lists, each filling protocol and ports', () => {
    expect(RULE_TEMPLATES.map((t) => t.id)).toEqual([
      'ssh', 'http', 'https', 'rdp', 'dns-udp', 'dns-tcp', 'mysql', 'postgresql', 'mssql', 'redis', 'smtp', 'smtps',
      'imap', 'imaps', 'pop3', 'pop3s', 'ldap', 'ntp', 'all-tcp', 'all-udp', 'all-icmp', 'all-traffic',
    ]);
    const ssh = applyTemplate({ ...EMPTY_DRAFT, direction: 'egress', description: 'keep' }, findTemplate('ssh')!);
    expect(draftToFields(ssh)).toMatchObject({ direction: 'egress', protocol: 'tcp', portRangeMin: '22', portRangeMax: '22', description: 'keep' });
    expect(draftToFields(applyTemplate(EMPTY_DRAFT, findTemplate('all-traffic')!))).toMatchObject({ protocol: '', portRangeMin: '' });
    expect(draftToFields(applyTemplate(EMPTY_DRAFT, findTemplate('dns-udp')!))).toMatchObject({ protocol: 'udp', portRangeMin: '53' });
  });

  it('keeps Anywhere and ICMP in step with the ether type, and My IP picks the family', () => {
    const v6 = withEthertype({ ...EMPTY_DRAFT, cidr: '0.0.0.0/0', protocol: 'icmp' }, 'IPv6');
    expect(v6).toMatchObject({ ethertype: 'IPv6', cidr: '::/0', protocol: 'ipv6-icmp' });
    expect(withEthertype({ ...EMPTY_DRAFT, cidr: '10.0.0.0/8' }, 'IPv6').cidr).toBe('10.0.0.0/8');
    expect(withMyIp(EMPTY_DRAFT, '198.51.100.7')).toMatchObject({ ethertype: 'IPv4', cidr: '198.51.100.7/32' });
    expect(withMyIp(EMPTY_DRAFT, '2001:db8::7')).toMatchObject({ ethertype: 'IPv6', cidr: '2001:db8::7/128' });
  });
});

describe('checkDraft', () => {
  const ctx = { securityGroupId: 'sg', resolveGroup: () => ({ error: 'none' }) };
  it('does not read an empty single port or range as all ports', () => {
    expect(checkDraft(EMPTY_DRAFT, ctx)).toEqual({ ok: false, issues: [{ field: 'portRangeMin', message: 'Give a port, or choose All ports.' }] });
    expect(checkDraft({ ...EMPTY_DRAFT, portMode: 'range' }, ctx)).toMatchObject({ ok: false, issues: [{ message: 'Give both ends of the range, or choose All ports.' }] });
    expect(checkDraft({ ...EMPTY_DRAFT, portMode: 'all' }, ctx).ok).toBe(true);
    expect(checkDraft({ ...EMPTY_DRAFT, port: '22' }, ctx).ok).toBe(true);
    expect(checkDraft({ ...EMPTY_DRAFT, protocol: 'icmp' }, ctx).ok).toBe(true);
  });
});
