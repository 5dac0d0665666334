// JSON request bodies: size, nesting depth and string content are checked before anything walks the value.
import { InvalidInputError, isCleanText } from '../domain/index.js';

/** Largest accepted request body in bytes (Fastify refuses a longer one with 413 before parsing). */
export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

/** Deepest accepted nesting of arrays and objects; Neutron's deepest body (bulk ports with fixed IPs) needs 6. */
export const MAX_JSON_DEPTH = 32;

function invalid(reason: string): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', `Body contains invalid data: ${reason}.`);
}

/**
 * The deepest nesting of `[` and `{` in JSON text, counted in one pass without recursion, so that a
 * hostile body (thousands of nested arrays) is refused before JSON.parse, validation or a message formatter
 * recurses over it. Brackets inside strings do not count.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Every string and key must be well-formed Unicode without NUL: neither can be stored faithfully (UTF-8, C strings). */
function rejectUncleanStrings(key: string, value: unknown): unknown {
  if (!isCleanText(key) || (typeof value === 'string' && !isCleanText(value))) {
    throw invalid('a string holds a NUL character or an unpaired UTF-16 surrogate');
  }
  return value;
}

/** Fastify content-type parser: every body is JSON whatever its label; empty means none. */
export function parseJsonBody(_request: unknown, body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.trim().length === 0) return done(null, undefined);
  if (jsonDepth(body) > MAX_JSON_DEPTH) return done(invalid(`nesting deeper than ${MAX_JSON_DEPTH} levels`));
  try {
    done(null, JSON.parse(body, rejectUncleanStrings));
  } catch (e) {
    done(e instanceof InvalidInputError ? e : InvalidInputError.of('HTTPBadRequest', 'Body contains invalid data'));
  }
}
