// Tests for the flow check's notice on allows that rest on address-pair or other-project members.
import { describe, expect, it } from 'vitest';
import type { ExplanationWire, FieldCheckWire, MemberPortWire, RemoteMembersWire, RuleReportWire } from '../contract/index.js';
import { membershipNotices, membersText } from './membership-notice.js';

const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const pairPort: MemberPortWire = { port_id: 'rogue', project_id: B, via: 'allowed_address_pair', prefix: '0.0.0.0/0', foreign: true };
const members = (over: Partial<RemoteMembersWire> = {}): RemoteMembersWire => ({
  security_group_id: 'g-web', security_group_name: 'WEB', count: 1, wide: true, foreign: true, ports: [pairPort], ...over,
});
const remote = (m?: RemoteMembersWire): FieldCheckWire => ({ field: 'remote', matched: true, rule: 'members of group WEB (g-web)', flow: 'source 198.51.100.7 (a member)', ...(m ? { remote_members: m } : {}) });
const report = (id: string, field: FieldCheckWire): RuleReportWire => ({ rule_id: id, group_id: 'g-db', group_name: 'DB', mismatches: 0, fields: [field] });
const allowed = (...matches: RuleReportWire[]): ExplanationWire => ({
  port_id: 'db', verdict: 'allow', reason: 'rule', stateful: true, summary: '', matches, nearest: [],
});

describe('membershipNotices', () => {
  it("names the other project's port, its 0.0.0.0/0 pair and the shared group, and says any address matches", () => {
    expect(membershipNotices(allowed(report('r1', remote(members()))))).toEqual([
      `Allowed because port rogue of project ${B} holds 0.0.0.0/0 as an allowed address pair and is in group WEB (shared with it). Any address matches.`,
    ]);
  });

  it('says "a port" when the port id is hidden, and counts the other members', () => {
    const hidden: MemberPortWire = { project_id: B, via: 'allowed_address_pair', prefix: '10.0.0.0/8', foreign: true };
    const [text] = membershipNotices(allowed(report('r1', remote(members({ ports: [hidden], count: 3 })))));
    expect(text).toBe(`Allowed because a port of project ${B} holds 10.0.0.0/8 as an allowed address pair and is in group WEB (shared with it). Every address in 10.0.0.0/8 matches. 2 more members do the same.`);
  });

  it('names a fixed IP of another project without claiming a range', () => {
    const fixed: MemberPortWire = { port_id: 'p9', project_id: B, via: 'fixed_ip', prefix: '10.9.0.1', foreign: true };
    expect(membershipNotices(allowed(report('r1', remote(members({ wide: false, ports: [fixed] })))))).toEqual([
      `Allowed because port p9 of project ${B} holds 10.9.0.1 as a fixed IP and is in group WEB (shared with it).`,
    ]);
  });

  it('stays silent when the verdict does not rest on such a member', () => {
    const own = members({ wide: false, foreign: false });
    const prefixRule: FieldCheckWire = { field: 'remote', matched: true, rule: 'prefix 0.0.0.0/0', flow: 'source 198.51.100.7' };
    expect(membershipNotices(allowed(report('r1', remote(own))))).toEqual([]);
    expect(membershipNotices(allowed(report('r1', remote(members())), report('r2', prefixRule)))).toEqual([]);
    expect(membershipNotices({ ...allowed(report('r1', remote(members()))), verdict: 'deny', reason: 'spoofed' })).toEqual([]);
  });

  it('gives one notice per remote group when several rules rest on it', () => {
    expect(membershipNotices(allowed(report('r1', remote(members())), report('r2', remote(members()))))).toHaveLength(1);
  });
});

describe('membersText', () => {
  it('lists the member ports with how they hold the address, hidden ones by project, and the rest as a count', () => {
    const own: MemberPortWire = { port_id: 'web1', project_id: 'a', via: 'fixed_ip', prefix: '10.0.0.5', foreign: false };
    const hidden: MemberPortWire = { project_id: B, via: 'allowed_address_pair', prefix: '0.0.0.0/0', foreign: true };
    expect(membersText(members({ ports: [own, hidden], count: 4 }))).toBe(
      `held by port web1 of project a (fixed IP 10.0.0.5), a port of project ${B} (address pair 0.0.0.0/0) and 2 more`,
    );
  });
});
