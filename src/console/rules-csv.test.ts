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
        { line: 11, messages: ["Port must be a whole number from 0 to 65535, not '70000'."] },
        { line: 12, messages: ["Direction must be ingress or egress, not 'sideways'."] },
        { line: 13, messages: ['Same rule as line 10.'] },
      ],
    });
  });

  it('reports a line that duplicates an existing rule, and a wrong column count', () => {
    // The existing rule as the server lists it (bulk-upload.tsx keys the group's rules with wireRuleKey), written
    // out by hand, not produced by the checker: the line below matches it only through normalisation (6 = tcp, 0.0.0.0/0 = any).
    const listed: SecurityGroupRuleWire = {
      id: 'r-1', security_group_id: 'sg-1', project_id: 'p', tenant_id: 'p', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp',
      port_range_min: 22, port_range_max: 22, remote_ip_prefix: null, normalized_cidr: null, remote_group_id: null, remote_address_group_id: null,
      description: 'ssh from the server', belongs_to_default_sg: false, revision_number: 1, created_at: 'x', updated_at: 'x',
    };
    const key = wireRuleKey(listed);
    const r = checkRulesCsv(file('ingress,IPv4,6,22,22,0.0.0.0/0,,', 'ingress,IPv4,tcp,23,23'), ctx([[key, 'r-1']]));
    expect(r.ok ? [] : r.problems).toEqual([
      { line: 10, messages: ['This rule already exists in the group (rule r-1).'] },
      { line: 11, messages: ['Expected 8 columns, found 5.'] },
    ]);
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
});
