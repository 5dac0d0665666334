// Tests for bulk upload checking and CSV export of rules.
import { describe, expect, it } from 'vitest';
import type { SecurityGroupRuleWire } from '../contract/index.js';
import { checkRulesCsv, CSV_TEMPLATE, MAX_UPLOAD_RULES, rulesToCsv, wireRuleKey, type UploadContext } from './rules-csv.js';

const ctx = (existing: [string, string][] = []): UploadContext => ({
  securityGroupId: 'sg-1',
  resolveGroup: (v) => (v === 'WEB' ? { id: 'g-web' } : { error: `No security group named '${v}'.` }),
  existing: new Map(existing),
});
const file = (...lines: string[]) => CSV_TEMPLATE + lines.join('\n');

describe('checkRulesCsv', () => {
  it('accepts the template with rules and builds one body per line', () => {
    const r = checkRulesCsv(file('ingress,IPv4,tcp,22,22,10.0.0.0/8,,ssh', 'egress,,udp,53,53,,WEB,"dns, to web"'), ctx());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rules).toHaveLength(2);
    expect(r.rules[1]).toMatchObject({ direction: 'egress', ethertype: 'IPv4', protocol: 'udp', remote_group_id: 'g-web', description: 'dns, to web' });
  });

  it('the template has 8 comment lines, then the header', () => {
    const lines = CSV_TEMPLATE.split('\n');
    expect(lines.slice(0, 8).every((l) => l.startsWith('#'))).toBe(true);
    expect(lines[8]).toBe('direction,ethertype,protocol,port_range_min,port_range_max,remote_ip_prefix,remote_group,description');
  });

  it('reports every bad line with its file line number, and applies nothing', () => {
    const r = checkRulesCsv(file('ingress,IPv4,tcp,22,22,,,', 'ingress,IPv4,tcp,70000,70000,,,', 'sideways,IPv4,tcp,80,80,,,x', 'ingress,IPv4,tcp,22,22,,,dup'), ctx());
    expect(r).toEqual({
      ok: false,
      problems: [
        { line: 11, messages: ["Port must be a whole number from 1 to 65535, not '70000'."] },
        { line: 12, messages: ["Direction must be ingress or egress, not 'sideways'."] },
        { line: 13, messages: ['Same rule as line 10.'] },
      ],
    });
  });

  it('reports a wrong column count', () => {
    const r = checkRulesCsv(file('ingress,IPv4,tcp,23,23'), ctx());
    expect(r.ok ? [] : r.problems).toEqual([{ line: 10, messages: ['Expected 8 columns, found 5.'] }]);
  });

  it('skips lines the group already has, matched through normalisation, so an export uploads into a new group (issue 18 defect 7)', () => {
    // The existing rules as the server lists them (bulk-upload.tsx keys the group's rules with wireRuleKey), written
    // out by hand, not produced by the checker: a new group's automatic IPv4 egress rule, and tcp 22 from anywhere.
    const listed = (id: string, fields: Partial<SecurityGroupRuleWire>): SecurityGroupRuleWire => ({
      id, security_group_id: 'sg-1', project_id: 'p', tenant_id: 'p', direction: 'ingress', ethertype: 'IPv4', protocol: null,
      port_range_min: null, port_range_max: null, remote_ip_prefix: null, normalized_cidr: null, remote_group_id: null,
      remote_address_group_id: null, description: '', belongs_to_default_sg: false, revision_number: 1, created_at: 'x', updated_at: 'x',
      ...fields,
    });
    const existing = [
      listed('auto-4', { direction: 'egress' }),
      listed('r-1', { protocol: 'tcp', port_range_min: 22, port_range_max: 22, description: 'ssh from the server' }),
    ];
    const keys = existing.map((rule) => [wireRuleKey(rule), rule.id] as [string, string]);
    // 6 = tcp and 0.0.0.0/0 = any address: the line matches r-1 only through normalisation.
    const r = checkRulesCsv(file('egress,IPv4,,,,,,', 'ingress,IPv4,6,22,22,0.0.0.0/0,,', 'ingress,IPv4,tcp,23,23,,,'), ctx(keys));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.skipped).toEqual([{ line: 10, ruleId: 'auto-4' }, { line: 11, ruleId: 'r-1' }]);
    expect(r.rules).toHaveLength(1);
  });

  it('refuses files without rules, with unknown columns, or with more than 300 rules', () => {
    expect(checkRulesCsv(CSV_TEMPLATE, ctx())).toEqual({ ok: false, problems: [{ line: 0, messages: ['The file has no rules under the header.'] }] });
    expect(checkRulesCsv('direction,port\ningress,22', ctx())).toMatchObject({ ok: false, problems: [{ line: 1, messages: [expect.stringContaining("Unknown column(s) 'port'")] }] });
    const many = Array.from({ length: MAX_UPLOAD_RULES + 1 }, (_, i) => `ingress,IPv4,tcp,${i + 1},${i + 1},,,`);
    expect(checkRulesCsv(file(...many), ctx())).toMatchObject({ ok: false, problems: [{ line: 0, messages: [expect.stringContaining('301 rules')] }] });
    expect(checkRulesCsv(file(...many.slice(0, MAX_UPLOAD_RULES)), ctx()).ok).toBe(true);
  });
});

describe('rulesToCsv', () => {
  it('writes rules in the upload format, so a download uploads again', () => {
    const rule = {
      id: 'r1', security_group_id: 'sg-1', direction: 'ingress', ethertype: 'IPv6', protocol: null, port_range_min: null, port_range_max: null,
      remote_ip_prefix: '2001:db8::/32', remote_group_id: null, description: 'a, b',
    } as unknown as SecurityGroupRuleWire;
    const csv = rulesToCsv([rule]);
    expect(csv).toBe('direction,ethertype,protocol,port_range_min,port_range_max,remote_ip_prefix,remote_group,description\ningress,IPv6,,,,2001:db8::/32,,"a, b"\n');
    const back = checkRulesCsv(csv, ctx());
    expect(back.ok && back.rules[0]).toMatchObject({ ethertype: 'IPv6', protocol: null, remote_ip_prefix: '2001:db8::/32', description: 'a, b' });
  });

  it('writes a remote group by its name when the name is unique, by id otherwise (issue 18 defect 7)', () => {
    const rule = (remote: string) => ({
      id: 'r', security_group_id: 'sg-1', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 80, port_range_max: 80,
      remote_ip_prefix: null, remote_group_id: remote, description: '',
    }) as unknown as SecurityGroupRuleWire;
    const groups = [{ id: 'g-web', name: 'WEB' }, { id: 'g-a', name: 'twin' }, { id: 'g-b', name: 'twin' }];
    const csv = rulesToCsv([rule('g-web'), rule('g-a')], groups);
    expect(csv.split('\n').slice(1, 3)).toEqual(['ingress,IPv4,tcp,80,80,,WEB,', 'ingress,IPv4,tcp,80,80,,g-a,']);
    const back = checkRulesCsv(csv, ctx());
    expect(back.ok ? [] : back.problems).toEqual([{ line: 3, messages: ["No security group named 'g-a'."] }]);
  });
});
