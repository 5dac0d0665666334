// Response compression: br or gzip for JSON answers of 1 KB or more, when the client's Accept-Encoding allows it.
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/** Below this a compressed body saves less than the headers and the CPU cost. */
const THRESHOLD_BYTES = 1024;

/** Registered before the routes: the plugin attaches itself to each route as it is added. */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: THRESHOLD_BYTES,
    customTypes: /(?:\+|\/)json(?:;|$)/,
    // A body that is one string is compressed in one synchronous step, however large. On the plugin's
    // stream path the answer is still being written when an async handler that called reply.send()
    // without returning the reply resolves, and Fastify then sends a second, empty answer. Lists of more
    // than 1,000 items are streams already (list-response.ts), which their handlers return.
    syncThreshold: Number.MAX_SAFE_INTEGER,
    // Requests are not decompressed: Neutron clients send plain JSON, and the plugin's own 415 for an
    // unknown Content-Encoding would not be a NeutronError body.
    globalDecompression: false,
  });
}
