// The agent's client meeting a server of another release: a clear error, never a misread feed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedFormatError, ServerClient } from './server-client.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server answering every request with `status` and `body`, recording the paths asked. */
async function answering(status: number, body: unknown, paths: string[] = []): Promise<string> {
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('host feed client', () => {
  it('names the format it reads in every request, and reads a page of it', async () => {
    const paths: string[] = [];
    const url = await answering(200, { format: 'palisade-host-feed/1', host: 'h', changes: [], seq: 7, latest_seq: 7 }, paths);
    const page = await new ServerClient(url).hostChanges('h 1', 3, 0);
    expect(page).toMatchObject({ seq: 7 });
    expect(paths).toEqual(['/v2.0/palisade/hosts/h%201/changes?since=3&limit=5000&wait=0&format=palisade-host-feed%2F1']);
  });

  it('a server of an older release (no host feeds: 404) is a format error that says what is needed', async () => {
    const url = await answering(404, { NeutronError: { type: 'HTTPNotFound', message: 'Not Found', detail: '' } });
    await expect(new ServerClient(url).hostState('h')).rejects.toThrow(FeedFormatError);
    await expect(new ServerClient(url).hostState('h')).rejects.toThrow(/no host feeds.*palisade-host-feed\/1/);
  });

  it('a server speaking another format is refused, not read', async () => {
    const url = await answering(200, { format: 'palisade-host-feed/2', host: 'h', seq: 1, ports: [], security_groups: [], security_group_rules: [], members: [] });
    await expect(new ServerClient(url).hostState('h')).rejects.toThrow(/format "palisade-host-feed\/2"; this agent reads palisade-host-feed\/1/);
  });
});
