import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.js';
import { parseExpiresAt } from './rule-expiry.js';

const NOW = new Date('2026-12-01T10:00:00Z');

describe('parseExpiresAt', () => {
  it('keeps null and absent as "never"', () => {
    expect(parseExpiresAt(undefined, NOW)).toBeNull();
    expect(parseExpiresAt(null, NOW)).toBeNull();
  });

  it('normalises an offset to UTC whole seconds, rounding a fraction up', () => {
    expect(parseExpiresAt('2026-12-01T12:30:00+02:00', NOW)).toBe('2026-12-01T10:30:00Z');
    expect(parseExpiresAt('2026-12-01T10:00:00.2Z', NOW)).toBe('2026-12-01T10:00:01Z');
  });

  it.each([
    ['2026-12-01T09:59:59Z', 'is not in the future'],
    ['2026-12-01T10:00:00Z', 'is not in the future'],
    ['2026-12-01', 'is not an ISO 8601'],
    ['2026-12-01T11:00:00', 'is not an ISO 8601'],
    ['tomorrow', 'is not an ISO 8601'],
    ['2026-13-45T10:00:00Z', 'is not an ISO 8601'],
    [17, 'is not an ISO 8601'],
  ])('refuses %s', (value, reason) => {
    try {
      parseExpiresAt(value, NOW);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).code).toBe('SecurityGroupRuleInvalidExpiry');
      expect((e as InvalidInputError).message).toContain(reason);
    }
  });
});
