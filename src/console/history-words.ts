// Words for history, audit and expiring rules: what a record changed, who did it, and how long a rule has left.
import type { ActorWire, HistoryEntryWire, SecurityGroupRuleWire, SecurityGroupWire } from '../contract/index.js';
import { ruleSummary } from './rule-format.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "in 2 h 5 min", "in 3 days 4 h", "in less than a minute"; "expired" once the time has passed. */
export function remainingTime(expiresAt: string, now: number): string {
  const left = Date.parse(expiresAt) - now;
  if (Number.isNaN(left)) return '';
  if (left <= 0) return 'expired';
  if (left < MINUTE) return 'in less than a minute';
  if (left < HOUR) return `in ${Math.floor(left / MINUTE)} min`;
  if (left < DAY) return `in ${Math.floor(left / HOUR)} h ${Math.floor((left % HOUR) / MINUTE)} min`;
  const days = Math.floor(left / DAY);
  return `in ${days} ${days === 1 ? 'day' : 'days'} ${Math.floor((left % DAY) / HOUR)} h`;
}

export type ExpiryChoice = 'never' | '1h' | '1d' | 'until';

/**
 * The `expires_at` the Add-rule form sends: none, an hour or a day from now, or the local date and time of a
 * datetime-local input, in UTC. An error when "until…" is empty or not in the future.
 */
export function expiryOf(choice: ExpiryChoice, until: string, now: number): { expiresAt: string | null } | { error: string } {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  switch (choice) {
    case 'never': return { expiresAt: null };
    case '1h': return { expiresAt: iso(now + HOUR) };
    case '1d': return { expiresAt: iso(now + DAY) };
    case 'until': {
      // datetime-local has no zone: the browser reads it as local time, which is what the person typed.
      const ms = until === '' ? Number.NaN : new Date(until).getTime();
      if (Number.isNaN(ms)) return { error: 'Choose the date and time the rule ends.' };
      if (ms <= now) return { error: 'The end must be in the future.' };
      return { expiresAt: iso(ms) };
    }
  }
}

/** Who made a change: the user's name, else its id; the system for expired rules and automatic groups. */
export function actorLabel(actor: ActorWire | null | undefined): string {
  if (!actor) return 'unknown';
  return actor.user_name ?? actor.user_id ?? `a caller in ${actor.project_id ?? 'an unknown project'}`;
}

function groupChange(before: SecurityGroupWire | null, after: SecurityGroupWire): string {
  if (!before) return `created group ${after.name}`;
  const parts: string[] = [];
  if (before.name !== after.name) parts.push(`renamed ${before.name} → ${after.name}`);
  if (before.description !== after.description) parts.push('changed the description');
  if (before.stateful !== after.stateful) parts.push(after.stateful ? 'made it stateful' : 'made it stateless');
  if (parts.length === 0) return `revision ${before.revision_number} → ${after.revision_number} (rules changed)`;
  return parts.join(', ');
}

/** One line saying what a record did, with rules in the words of the rules table. */
export function entrySummary(entry: HistoryEntryWire, groupName: (id: string) => string | undefined): string {
  const after = entry.object;
  const before = entry.before;
  if (entry.resource === 'security_group_rule') {
    const rule = (after ?? before) as SecurityGroupRuleWire | null;
    const what = rule ? ruleSummary(rule, groupName) : entry.id;
    const verb = entry.action === 'create' ? 'added rule' : entry.action === 'delete' ? 'deleted rule' : 'changed rule';
    return `${verb} ${what}`;
  }
  if (entry.resource === 'security_group') {
    if (entry.action === 'delete') return `deleted group ${(before as SecurityGroupWire | null)?.name ?? entry.id}`;
    return groupChange(before as SecurityGroupWire | null, after as SecurityGroupWire);
  }
  return `${entry.action} ${entry.resource.replace(/_/g, ' ')} ${entry.id}`;
}
