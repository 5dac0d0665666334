import { describe, expect, it } from 'vitest';
import type { HistoryEntryWire, SecurityGroupRuleWire } from '../contract/index.js';
import { actorLabel, entrySummary, expiryOf, remainingTime } from './history-words.js';

const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('remainingTime', () => {
  it.each([
    ['2026-12-01T09:59:59Z', 'expired'],
    ['2026-12-01T10:00:30Z', 'in less than a minute'],
    ['2026-12-01T10:45:00Z', 'in 45 min'],
    ['2026-12-01T12:05:00Z', 'in 2 h 5 min'],
    ['2026-12-02T11:00:00Z', 'in 1 day 1 h'],
    ['2026-12-05T10:00:00Z', 'in 4 days 0 h'],
  ])('%s → %s', (at, words) => expect(remainingTime(at, NOW)).toBe(words));
});

describe('expiryOf', () => {
  it('gives an hour, a day, or none from now', () => {
    expect(expiryOf('never', '', NOW)).toEqual({ expiresAt: null });
    expect(expiryOf('1h', '', NOW)).toEqual({ expiresAt: '2026-12-01T11:00:00Z' });
    expect(expiryOf('1d', '', NOW)).toEqual({ expiresAt: '2026-12-02T10:00:00Z' });
  });

  it('reads "until…" as local time and refuses an empty or past one', () => {
    const local = new Date(NOW + 3 * 3_600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const input = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}`;
    expect(expiryOf('until', input, NOW)).toEqual({ expiresAt: '2026-12-01T13:00:00Z' });
    expect(expiryOf('until', '', NOW)).toEqual({ error: 'Choose the date and time the rule ends.' });
    expect(expiryOf('until', '2020-01-01T00:00', NOW)).toEqual({ error: 'The end must be in the future.' });
  });
});

const rule: SecurityGroupRuleWire = {
  id: 'r1', security_group_id: 'g1', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22,
  remote_ip_prefix: '10.0.0.0/8', normalized_cidr: '10.0.0.0/8', remote_group_id: null, remote_address_group_id: null,
  belongs_to_default_sg: false, description: '', project_id: 'p', tenant_id: 'p', revision_number: 1, created_at: '', updated_at: '',
};
const base = { seq: 1, id: 'r1', project_id: 'p', at: '2026-12-01T10:00:00Z', actor: null };

describe('entrySummary and actorLabel', () => {
  it('says what a rule record did, deleted rules from their before', () => {
    const name = () => undefined;
    expect(entrySummary({ ...base, resource: 'security_group_rule', action: 'create', object: rule, before: null } as HistoryEntryWire, name)).toMatch(/^added rule .*22.*10\.0\.0\.0\/8/);
    expect(entrySummary({ ...base, resource: 'security_group_rule', action: 'delete', object: null, before: rule } as HistoryEntryWire, name)).toMatch(/^deleted rule .*22/);
  });

  it('says how a group changed', () => {
    const g = { id: 'g1', name: 'web', description: '', stateful: true, revision_number: 1 };
    const entry = (before: object | null, object: object | null, action: 'create' | 'update' | 'delete') =>
      ({ ...base, id: 'g1', resource: 'security_group', action, before, object }) as unknown as HistoryEntryWire;
    expect(entrySummary(entry(null, g, 'create'), () => undefined)).toBe('created group web');
    expect(entrySummary(entry(g, { ...g, name: 'www', revision_number: 2 }, 'update'), () => undefined)).toBe('renamed web → www');
    expect(entrySummary(entry(g, { ...g, revision_number: 2 }, 'update'), () => undefined)).toBe('revision 1 → 2 (rules changed)');
    expect(entrySummary(entry(g, null, 'delete'), () => undefined)).toBe('deleted group web');
  });

  it('names the actor by name, else id, else its project', () => {
    expect(actorLabel({ user_id: 'u1', user_name: 'alice', project_id: 'p', roles: [], request_id: null, source_address: null })).toBe('alice');
    expect(actorLabel({ user_id: 'u1', user_name: null, project_id: 'p', roles: [], request_id: null, source_address: null })).toBe('u1');
    expect(actorLabel({ user_id: null, user_name: null, project_id: 'p', roles: [], request_id: null, source_address: null })).toBe('a caller in p');
    expect(actorLabel(null)).toBe('unknown');
  });
});
