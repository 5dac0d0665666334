// Palisade's `expires_at` on rules: an ISO 8601 time in the future, normalised to UTC whole seconds.
import { InvalidInputError } from './errors.js';

/** Date and time with an explicit offset (`Z` or `±hh:mm`); a bare date or a local time is ambiguous. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function invalid(value: unknown, reason: string): InvalidInputError {
  return InvalidInputError.of('SecurityGroupRuleInvalidExpiry', `Invalid input for expires_at. Reason: '${String(value)}' ${reason}.`, 'expires_at');
}

/** Null (never expires) for null or absent; otherwise the time as `YYYY-MM-DDThh:mm:ssZ`, which must be after `now`. */
export function parseExpiresAt(value: unknown, now: Date): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !ISO_8601.test(value)) throw invalid(value, 'is not an ISO 8601 date and time with a time zone');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(value, 'is not an ISO 8601 date and time with a time zone');
  // Whole seconds, rounded up: a rule never expires before the time asked for.
  const at = new Date(Math.ceil(ms / 1000) * 1000);
  if (at.getTime() <= now.getTime()) throw invalid(value, 'is not in the future');
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
