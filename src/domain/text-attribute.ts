// Neutron's string attributes (names, descriptions): type and length checks with its wording (B10).
import { InvalidInputError } from './errors.js';

export const MAX_NAME_LENGTH = 255;

/** Deepest part of a value an error message shows; deeper parts become `...`. */
const SHOWN_DEPTH = 8;
/** Longest text of a value an error message shows. */
const SHOWN_LENGTH = 1024;

function shownJson(value: unknown, depth: number): string {
  if (Array.isArray(value)) return depth >= SHOWN_DEPTH ? '[...]' : `[${value.map((v) => shownJson(v, depth + 1)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    if (depth >= SHOWN_DEPTH) return '{...}';
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${shownJson(v, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/**
 * A user's value as error messages quote it: strings as they are, anything else as JSON, cut at a fixed depth
 * and length, so that no input can make the formatter recurse without bound or answer with megabytes.
 */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : shownJson(value, 0);
  return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}...` : text;
}

// Matched code unit by code unit (no `u` flag), so a surrogate without its partner is found.
// eslint-disable-next-line no-control-regex -- NUL is one of the characters this pattern exists to find
const UNCLEAN = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** False for a NUL or an unpaired UTF-16 surrogate: neither can be stored faithfully (C strings, UTF-8). */
export function isCleanText(value: string): boolean {
  return !UNCLEAN.test(value);
}

/** A JSON string of at most `max` characters; B10 wording otherwise. */
export function parseString(value: unknown, attribute: string, max = MAX_NAME_LENGTH): string {
  if (typeof value !== 'string') {
    throw InvalidInputError.of('HTTPBadRequest', `Invalid input for ${attribute}. Reason: '${shown(value)}' is not a valid string.`, attribute);
  }
  if (!isCleanText(value)) {
    throw InvalidInputError.of(
      'HTTPBadRequest',
      `Invalid input for ${attribute}. Reason: '${shown(value)}' holds a NUL character or invalid Unicode.`,
      attribute,
    );
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

// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/** True when `value` holds a C0 control character (U+0000 to U+001F): names and host ids refuse them. */
export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}
