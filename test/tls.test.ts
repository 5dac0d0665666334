// HTTPS with PALISADE_TLS_CERT/KEY, and clients that verify it: a CA and certificates made with openssl at test time.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTrusting, readCaFile } from '../src/agent/index.js';
import { passwordAuthBody } from '../src/cli/identity-client.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/main.js';
import { scratchDir, uniq } from './agent-support.js';
import { hasCapability } from './support/capability.js';
import { palisade } from './support/palisade-process.js';

const PASSWORD = 'tls-admin-secret';
const scratch = scratchDir('palisade-tls-');
const file = (name: string) => join(scratch.dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: scratch.dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function opensslMissing(): string | null {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'no openssl command to make a test CA';
  }
}

/** A CA (`<name>-ca.pem`) and a server certificate it signs for 127.0.0.1 and localhost (`<name>-server.pem`, `.key`). */
function makeCa(name: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', `${name}-ca.key`, '-out', `${name}-ca.pem`, '-days', '2', '-subj', `/CN=palisade test ${name} CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-new', ...ec, '-keyout', `${name}-server.key`, '-out', `${name}-server.csr`, '-subj', '/CN=127.0.0.1');
  writeFileSync(file(`${name}-san.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', `${name}-server.csr`, '-CA', `${name}-ca.pem`, '-CAkey', `${name}-ca.key`, '-CAcreateserial',
    '-out', `${name}-server.pem`, '-days', '2', '-extfile', `${name}-san.ext`);
}

const tlsEnv = (cert: string, key: string) => ({ PALISADE_TLS_CERT: file(cert), PALISADE_TLS_KEY: file(key) });

if (hasCapability('openssl', opensslMissing())) {
  let server: RunningServer;
  const u = uniq();
  const adminEnv = { OS_USERNAME: 'admin', OS_PASSWORD: PASSWORD, OS_PROJECT_NAME: 'admin' };

  beforeAll(async () => {
    makeCa('good');
    makeCa('other');
    server = await startServer({
      ...loadConfig(tlsEnv('good-server.pem', 'good-server.key')),
      auth: 'keystone', port: 0, logLevel: 'silent', bootstrapAdminPassword: PASSWORD,
      database: { kind: 'sqlite', path: file('p.db') },
    });
  });
  afterAll(async () => {
    await server?.close();
    scratch.remove();
  });

  describe('TLS configuration', () => {
    it('needs both files, and names the one missing', () => {
      expect(() => loadConfig({ PALISADE_TLS_CERT: file('good-server.pem') })).toThrow(new ConfigError('HTTPS needs both PALISADE_TLS_CERT and PALISADE_TLS_KEY; only PALISADE_TLS_CERT is set'));
      expect(() => loadConfig({ PALISADE_TLS_KEY: file('good-server.key') })).toThrow(/only PALISADE_TLS_KEY is set/);
    });

    it('refuses a missing or unreadable file, naming it', () => {
      expect(() => loadConfig(tlsEnv('absent.pem', 'good-server.key'))).toThrow(/^PALISADE_TLS_CERT: cannot read .*absent\.pem: ENOENT/);
      expect(() => loadConfig(tlsEnv('good-server.pem', 'absent.key'))).toThrow(/^PALISADE_TLS_KEY: cannot read .*absent\.key: ENOENT/);
      // A directory cannot be read as a file, even by root (file modes would not stop root).
      expect(() => loadConfig({ PALISADE_TLS_CERT: scratch.dir, PALISADE_TLS_KEY: file('good-server.key') })).toThrow(/PALISADE_TLS_CERT: cannot read .*EISDIR/);
    });

    it('refuses a key that does not belong to the certificate, and a file that is no certificate', () => {
      expect(() => loadConfig(tlsEnv('good-server.pem', 'other-server.key'))).toThrow(/are not a usable pair: the key does not belong to the certificate$/);
      writeFileSync(file('junk.pem'), 'not a certificate\n');
      expect(() => loadConfig(tlsEnv('junk.pem', 'good-server.key'))).toThrow(/junk\.pem and PALISADE_TLS_KEY .* are not a usable pair: /);
    });

    it('reads the files into the config when they match', () => {
      const tls = loadConfig(tlsEnv('good-server.pem', 'good-server.key')).tls;
      expect(tls?.cert).toContain('-----BEGIN CERTIFICATE-----');
      expect(tls?.key).toContain('PRIVATE KEY-----');
      expect(loadConfig({}).tls).toBeUndefined();
    });
  });

  describe('HTTPS server and verifying clients', () => {
    it('serves HTTPS, on loopback by default', () => {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(loadConfig({}).host).toBe('127.0.0.1');
    });

    it('fetchTrusting(CA file) verifies the server, GET and POST with a body', async () => {
      const trusted = fetchTrusting(file('good-ca.pem'));
      expect((await trusted(`${server.url}/healthz`)).status).toBe(200);
      const res = await trusted(`${server.url}/identity/v3/auth/tokens`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(passwordAuthBody(adminEnv)),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-subject-token')).toMatch(/\S{20,}/);
    });

    it('without the CA, or with another one, fails naming the server and what to do', async () => {
      await expect(fetchTrusting()(`${server.url}/healthz`)).rejects.toThrow(
        /^TLS: cannot verify the certificate of 127\.0\.0\.1:\d+ \(.+\); give the CA that signed it with --cacert FILE or OS_CACERT$/);
      await expect(fetchTrusting(file('other-ca.pem'))(`${server.url}/healthz`)).rejects.toThrow(/^TLS: cannot verify .*not signed by the CA in .*other-ca\.pem/);
    });

    it('refuses a CA file that is missing or holds no certificate', () => {
      expect(() => readCaFile(file('absent-ca.pem'))).toThrow(/^cannot read the CA file .*absent-ca\.pem: ENOENT/);
      expect(() => fetchTrusting(file('good-server.key'))).toThrow(/holds no PEM certificate/);
    });

    it('speaks plain HTTP too, with bodiless statuses and repeated headers', async () => {
      const plain = http.createServer((req, res) => {
        if (req.method === 'DELETE') return void res.writeHead(204).end();
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        req.pipe(res);
      });
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(plain.address() as { port: number }).port}`;
      try {
        const echoed = await fetchTrusting()(base, { method: 'PUT', body: 'hello' });
        expect(await echoed.text()).toBe('hello');
        expect(echoed.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
        expect((await fetchTrusting()(base, { method: 'DELETE' })).status).toBe(204);
        await expect(fetchTrusting()('ftp://127.0.0.1/')).rejects.toThrow(/unsupported URL scheme ftp:/);
      } finally {
        plain.close();
      }
    });

    it('the CLI succeeds with --cacert or OS_CACERT, and fails clearly without', async () => {
      const env = { ...adminEnv, OS_AUTH_URL: `${server.url}/identity/v3` };
      const withEnv = await palisade(['project', 'list'], { ...env, OS_CACERT: file('good-ca.pem') });
      expect(withEnv.stderr).toBe('');
      expect(withEnv.stdout).toMatch(/^id\s+name/);
      expect(withEnv.stdout).toMatch(/\sadmin\b/);
      expect((await palisade(['--cacert', file('good-ca.pem'), 'project', 'list'], env)).code).toBe(0);
      const without = await palisade(['project', 'list'], env);
      expect(without.code).toBe(1);
      expect(without.stderr).toMatch(/^palisade: TLS: cannot verify the certificate of 127\.0\.0\.1:\d+ .*--cacert FILE or OS_CACERT/);
      const unreadable = await palisade(['project', 'list', '--cacert', file('absent-ca.pem')], env);
      expect(unreadable.code).toBe(1);
      expect(unreadable.stderr).toMatch(/^palisade: cannot read the CA file .*absent-ca\.pem/);
    }, 120_000);

    it('the agent follows the HTTPS server with the CA, and reports the untrusted certificate without it', async () => {
      const args = (dir: string) => ['agent', '--host', `h-${u}`, '--server', server.url, '--state-dir', file(dir), '--netns', `ptls${u}`];
      const trusted = await palisade([...args('agent-ok'), '--cacert', file('good-ca.pem')], adminEnv, { pattern: /agent: full resync at seq \d+|ERROR/, count: 1 });
      expect(trusted.stderr).toMatch(/agent: full resync at seq \d+/);
      expect(trusted.stderr).not.toMatch(/ERROR/);
      const untrusted = await palisade(args('agent-no'), adminEnv, { pattern: /ERROR/, count: 1 });
      expect(untrusted.stderr).toMatch(/ERROR agent: TLS: cannot verify the certificate of 127\.0\.0\.1:\d+ .*--cacert FILE or OS_CACERT; keeping the last ruleset, retrying/);
    }, 120_000);
  });
}
