// Neutron's string attributes (names, descriptions): type and length checks with its wording (B10).
import { InvalidInputError } from './errors.js';

export const MAX_NAME_LENGTH = 255;

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A JSON string of at most `max` characters; B10 wording otherwise. */
export function parseString(value: unknown, attribute: string, max = MAX_NAME_LENGTH): string {
  if (typeof value !== 'string') {
    throw InvalidInputError.of('HTTPBadRequest', `Invalid input for ${attribute}. Reason: '${shown(value)}' is not a valid string.`, attribute);
  }
  if (value.length > max) {
    throw InvalidInputError.of(
      'HTTPBadRequest',
      `Invalid input for ${attribute}. Reason: '${value}' exceeds maximum length of ${max}.`,
      attribute,
    );
  }
  return value;
}

/** Neutron's boolean converter: true/false, 1/0, yes/no, on/off, t/f, y/n in any case (R8). */
export function parseBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (['true', '1', 'yes', 'on', 't', 'y'].includes(lower)) return true;
    if (['false', '0', 'no', 'off', 'f', 'n'].includes(lower)) return false;
  }
  throw InvalidInputError.of(
    'HTTPBadRequest',
    `Invalid input for ${attribute}. Reason: '${shown(value)}' cannot be converted to boolean.`,
    attribute,
  );
}
