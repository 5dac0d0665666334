// Raw HTTP/1.1 over a socket: sends a request target byte for byte (fetch and inject would normalise it).
import { connect } from 'node:net';

export interface RawReply {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/** Sends one request (`Connection: close`; `Host: 127.0.0.1` unless `headers` has one) and reads the whole answer. */
export function rawRequest(port: number, method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<RawReply> {
  const hasHost = Object.keys(headers).some((name) => name.toLowerCase() === 'host');
  const lines = [`${method} ${target} HTTP/1.1`, ...(hasHost ? [] : ['Host: 127.0.0.1']), 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
  const request = `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
  return new Promise((resolve, reject) => {
    // Not end(): Node's server aborts a request whose client half-closes before the answer (no allowHalfOpen).
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      // latin1 keeps one character per byte, so chunk sizes (in bytes) index the text directly.
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const body = unchunk(head, split < 0 ? '' : text.slice(split + 4));
      resolve({ status, headers: head, body: Buffer.from(body, 'latin1').toString('utf8') });
    });
  });
}

/** The body of a `Transfer-Encoding: chunked` answer, joined. */
function unchunk(head: string, body: string): string {
  if (!/^transfer-encoding:\s*chunked/im.test(head)) return body;
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, eol), 16);
    if (!(size > 0)) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}
