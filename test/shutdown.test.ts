// SIGTERM on the real server process: long-polls end with a clean page, requests in flight finish, the process exits 0.
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../bench/server-process.js';
import { call, scratchSqlite } from './support/server-harness.js';

const ADMIN = { 'x-project-id': 'admin', 'x-roles': 'admin' };

/** A POST whose body is sent in two halves: the second only when `finish` is called. */
function slowPost(url: string, path: string, body: string): { finish(): void; reply: Promise<{ status: number; body: string }> } {
  const bytes = Buffer.from(body);
  const req = request(`${url}${path}`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json', 'content-length': bytes.length } });
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  req.write(bytes.subarray(0, 10));
  return { finish: () => req.end(bytes.subarray(10)), reply };
}

describe('graceful shutdown', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  it('answers the long-poll with its page, finishes the request in flight, and exits 0', async () => {
    const db = scratchSqlite();
    server = await spawnServer(`sqlite:${db.kind === 'sqlite' ? db.path : ''}`, { PALISADE_AUTH: 'noauth', PALISADE_SHUTDOWN_TIMEOUT_MS: '30000' });
    const { url, child } = server;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const head = await call(url, 'admin', 'GET', `/v2.0/palisade/changes?since=${Number.MAX_SAFE_INTEGER}`);
    const latest = head.body.latest_seq as number;

    // Held for up to a minute unless something commits, or the server stops.
    const longPoll = fetch(`${url}/v2.0/palisade/changes?since=${latest}&wait=60`, { headers: ADMIN });
    const inFlight = slowPost(url, '/v2.0/security-groups', JSON.stringify({ security_group: { name: 'written-while-stopping' } }));
    // Both requests reached the server before this later one was answered.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    child.kill('SIGTERM');
    const polled = await longPoll;
    expect(polled.status).toBe(200);
    expect(await polled.json()).toEqual({ changes: [], latest_seq: latest });

    inFlight.finish();
    const created = await inFlight.reply;
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body).security_group.name).toBe('written-while-stopping');

    expect(await exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
