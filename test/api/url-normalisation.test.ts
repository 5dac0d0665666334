// Issue 14 item 3: every registered route, sent in encoded, dot-segment, double-slash and absolute-form spellings
// without a token, is refused (401, 400 or 404): the authenticator and the router see the same path.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseTarget } from '../../src/api/url-normalisation.js';
import { makeIdentityHarness, type IdentityHarness } from '../support/identity-harness.js';
import { rawRequest, type RawReply } from '../support/raw-http.js';

let h: IdentityHarness;
let port: number;
beforeAll(async () => {
  h = await makeIdentityHarness();
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  port = (h.app.server.address() as AddressInfo).port;
});
afterAll(() => h.close());

const UUID = '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1';

/** Every route as [method, concrete path], read from the router's own tree (parameters become a UUID). */
function registeredRoutes(): [string, string][] {
  const out: [string, string][] = [];
  const stack: string[] = [];
  for (const line of h.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!.replace(/:[^/|]+(\|:[^/]+)?/g, UUID).replace('*', 'x'));
    const path = stack.join('').replace(/^\/?/, '/').replace(/^\/\//, '/');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x !== '' && x !== 'HEAD')) out.push([method, path]);
  }
  return out;
}

const encodeAll = (path: string) => path.replace(/[^/]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
const lastSlash = (path: string, by: string) => path.replace(/\/(?=[^/]*$)/, by);

/** The spellings an attacker tries for one path. */
function variants(path: string): string[] {
  return [
    encodeAll(path),
    path.replace('.', '%2e'),
    path.replace(/\/(\w)/, (_m, c: string) => `/%${c.charCodeAt(0).toString(16)}`),
    `/x/..${path}`,
    `/x/%2e%2e${path}`,
    `/.${path}`,
    `${path}/.`,
    `${path}/..`,
    `/${path}`,
    lastSlash(path, '//'),
    lastSlash(path, '%2F'),
    lastSlash(path, '%5c'),
    `http://x${path}`,
    `HTTP://evil.example:666${path}?a=1`,
    `https://x${encodeAll(path)}`,
    `${path}#frag`,
  ];
}

function send(method: string, target: string): Promise<RawReply> {
  return rawRequest(port, method, target, {}, ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined);
}

describe('URL normalisation', () => {
  it('the policy: unreserved escapes decoded, absolute form reduced to its path, dot and empty segments refused', () => {
    expect(normaliseTarget('/v2%2e0/%70orts?x=%2e')).toEqual({ url: '/v2.0/ports?x=%2e' });
    expect(normaliseTarget('http://evil:1/v2.0/ports.json?a')).toEqual({ url: '/v2.0/ports?a' });
    expect(normaliseTarget('http://evil:1')).toEqual({ url: '/' });
    expect(normaliseTarget('/v2.0/security-groups/x/tags/a%20b')).toEqual({ url: '/v2.0/security-groups/x/tags/a%20b' });
    expect(normaliseTarget('/v2.0/')).toEqual({ url: '/v2.0/' });
    for (const bad of ['*', 'x/v2.0', '/v2.0/./ports', '/v2.0/%2E%2E/x', '//v2.0', '/v2.0//ports', '/v2.0%2fports', '/a%5Cb', '/v2.0#x']) {
      expect(normaliseTarget(bad), bad).toHaveProperty('refusal');
    }
  });

  it('every registered route in every spelling, without a token: 401, 400 or 404, never 2xx or 5xx', async () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThan(60);
    const problems: string[] = [];
    let protectedRoutes = 0;
    for (const [method, path] of routes) {
      const canonical = await send(method, path);
      expect(canonical.status, `${method} ${path}`).toBeLessThan(500);
      const isProtected = canonical.status === 401;
      if (isProtected) protectedRoutes++;
      for (const target of variants(path)) {
        const reply = await send(method, target);
        const refused = [400, 401, 404].includes(reply.status);
        // A public route (version document, health, docs, sign-in) may answer a spelling of itself as it answers itself.
        const sameAsCanonical = reply.status === canonical.status && reply.status < 400;
        if (reply.status >= 500 || (isProtected ? !refused : !(refused || sameAsCanonical || reply.status === 405))) {
          problems.push(`${method} ${target} → ${reply.status} ${reply.body.slice(0, 120)}`);
        }
        if (reply.status >= 400) expect(() => JSON.parse(reply.body), `${method} ${target}: ${reply.body}`).not.toThrow();
      }
    }
    expect(problems).toEqual([]);
    expect(protectedRoutes).toBeGreaterThan(50);
  });

  it('a token-less request to a /v2.0 route is 401 whatever the spelling; a refused spelling is a NeutronError 400', async () => {
    expect((await send('GET', '/v2%2e0/extensions')).status).toBe(401);
    expect((await send('GET', 'http://x/v2.0/ports')).status).toBe(401);
    const refused = await send('GET', '/v2.0/../v2.0/ports');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({ NeutronError: { type: 'HTTPBadRequest', message: "Malformed request URL: a '.' or '..' segment in the path.", detail: '' } });
  });

  it('with a token, the encoded and absolute spellings reach the same route as the plain one', async () => {
    const token = await h.token('admin', 'bootstrap-secret', 'admin');
    for (const target of ['/v2.0/extensions', '/v2%2e0/extensions', 'http://x/v2.0/extensions', encodeAll('/v2.0/extensions')]) {
      const reply = await rawRequest(port, 'GET', target, { 'X-Auth-Token': token });
      expect(reply.status, target).toBe(200);
      expect(JSON.parse(reply.body)['extensions'].length).toBeGreaterThan(0);
    }
  });
});
