// A fetch for the agent and the CLI that trusts a given CA file (--cacert / OS_CACERT) and says clearly why TLS failed.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** Certificate checks that fail because the server's chain does not lead to a trusted CA (or names another host). */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Statuses whose responses carry no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The PEM text of a CA file, or an error naming the file and what is wrong with it. */
export function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the CA file ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`the CA file ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}

function explain(e: unknown, url: URL, caFile: string | undefined): Error {
  const code = (e as { code?: string }).code ?? '';
  if (!UNTRUSTED.has(code)) return e instanceof Error ? e : new Error(String(e));
  const hint = caFile === undefined
    ? 'give the CA that signed it with --cacert FILE or OS_CACERT'
    : `it is not signed by the CA in ${caFile} for this host name`;
  return new Error(`TLS: cannot verify the certificate of ${url.host} (${(e as Error).message}); ${hint}`, { cause: e });
}

/**
 * fetch over node:http(s), verifying servers against `caFile` when given, else the system's CAs. Node's
 * built-in fetch cannot take a CA without the undici package, and reports a TLS failure only as "fetch failed".
 */
export function fetchTrusting(caFile?: string): typeof fetch {
  const ca = caFile === undefined ? undefined : readCaFile(caFile);
  // Keep-alive like the built-in fetch; idle sockets are unref'd, so they do not hold a CLI process open.
  const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true, ...(ca !== undefined && { ca }) }) };
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const agent = url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : undefined;
    if (!agent) throw new TypeError(`unsupported URL scheme ${url.protocol} in ${url.href}`);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = Object.fromEntries(request.headers);
    if (body) headers['content-length'] = String(body.length);
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<Response>((resolve, reject) => {
      const req = send(url, { method: request.method, headers, agent, signal: request.signal }, (res) => {
        const status = res.statusCode ?? 0;
        const replyHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) replyHeaders.append(name, v);
        }
        if (NULL_BODY.has(status)) res.resume();
        const stream = NULL_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        resolve(new Response(stream, { status, statusText: res.statusMessage ?? '', headers: replyHeaders }));
      });
      req.on('error', (e) => reject(explain(e, url, caFile)));
      req.end(body);
    });
  };
}
