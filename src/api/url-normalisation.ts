// The one canonical form of a request target, computed before routing so the authenticator and the router agree.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { InvalidInputError } from '../domain/index.js';

/** Why a target was refused, kept per raw request until the first hook turns it into a 400. */
const refused = new WeakMap<IncomingMessage, string>();

/** A path no route has: a refused target is routed here, then answered 400 before any other hook. */
const REFUSED_PATH = '/_palisade/refused-url';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

type Normalised = { readonly url: string } | { readonly refusal: string };

/** `%76%32%2e0` → `v2.0`: only unreserved characters are decoded; every other escape stays as sent. */
function decodeUnreserved(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(c) ? c : escape;
  });
}

/** `/v2.0/security-groups.json?x` → `/v2.0/security-groups?x` (Neutron accepts a `.json` suffix). */
function stripJsonSuffix(path: string): string {
  return path.endsWith('.json') ? path.slice(0, -5) : path;
}

/**
 * The policy (docs/principles.md, "URL handling and input limits"): absolute-form targets keep only their
 * path; escapes of unreserved characters are decoded; an encoded `/` or `\`, a `.` or `..` segment, an empty
 * segment (`//`) anywhere but at the end, a `#`, or a target that is not a path is refused.
 */
export function normaliseTarget(target: string): Normalised {
  let origin = target;
  if (!origin.startsWith('/')) {
    const absolute = /^https?:\/\/[^/?#]*/i.exec(origin);
    if (!absolute) return { refusal: 'the request target must be a path' };
    origin = origin.slice(absolute[0].length);
    if (!origin.startsWith('/')) origin = `/${origin}`;
  }
  const q = origin.indexOf('?');
  const rawPath = q < 0 ? origin : origin.slice(0, q);
  const rest = q < 0 ? '' : origin.slice(q);
  if (rawPath.includes('#') || rest.includes('#')) return { refusal: "a fragment ('#') is not part of a request" };
  const path = decodeUnreserved(rawPath);
  if (/%(2f|5c)/i.test(path)) return { refusal: 'an encoded slash or backslash in the path' };
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i];
    if (s === '.' || s === '..') return { refusal: "a '.' or '..' segment in the path" };
    if (s === '' && i < segments.length - 1) return { refusal: "an empty segment ('//') in the path" };
  }
  return { url: stripJsonSuffix(path) + rest };
}

/** Fastify's `rewriteUrl`: the canonical target, or a path of no route for a refused one (see the hook below). */
export function rewriteRequestUrl(req: IncomingMessage): string {
  const result = normaliseTarget(req.url ?? '/');
  if ('url' in result) return result.url;
  refused.set(req, result.refusal);
  return REFUSED_PATH;
}

/** Answers a refused target 400 before authentication, the console or any route sees it. Register first. */
export function registerUrlPolicy(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const refusal = refused.get(request.raw);
    if (refusal !== undefined) throw InvalidInputError.of('HTTPBadRequest', `Malformed request URL: ${refusal}.`);
  });
}
