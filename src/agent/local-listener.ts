// A small HTTP listener for operators' GET endpoints (/metrics, /healthz): the agent's, and the server's separate metrics address.
import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import type { AgentMetrics } from './agent-metrics.js';

export interface LocalListener {
  readonly url: string;
  close(): Promise<void>;
}

export interface LocalAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** `host:port`, or a bare port on loopback: nothing listens publicly unless asked to. */
export function parseListenAddress(value: string, name = '--metrics-listen'): { host: string; port: number } {
  const m = /^(?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):)?([0-9]{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new Error(`${name} must be host:port or a port, got '${value}'`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** Answers GET on each path of `routes`; anything else is a 404. */
export async function listenLocally(host: string, port: number, routes: Record<string, () => Promise<LocalAnswer>>): Promise<LocalListener> {
  const server = createServer((request, response) => {
    const route = request.method === 'GET' ? routes[(request.url ?? '').split('?')[0] ?? ''] : undefined;
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`GET ${Object.keys(routes).join(' or ')}\n`);
      return;
    }
    route().then(
      (a) => response.writeHead(a.status, { 'content-type': a.contentType }).end(a.body),
      (e: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(e as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function scrape(registry: Registry): Promise<LocalAnswer> {
  return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
}

/** The agent's /metrics, and /healthz: 200 while the last commit succeeded, 503 (with the error) after a failure. */
export function listenForAgentMetrics(metrics: AgentMetrics, host: string, port: number): Promise<LocalListener> {
  return listenLocally(host, port, {
    '/metrics': () => scrape(metrics.registry),
    '/healthz': async () => {
      const health = metrics.health;
      const ok = health.lastError === null && health.lastCommitAt !== null;
      return { status: ok ? 200 : 503, contentType: 'application/json', body: JSON.stringify({ status: ok ? 'ok' : 'unhealthy', ...health }) };
    },
  });
}
