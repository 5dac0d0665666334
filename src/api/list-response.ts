// A list answer as a stream: Neutron's envelope written item by item, so a 100,000-rule listing is never one string.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** Lists longer than this are streamed; shorter ones are sent as one object, as before. */
export const STREAM_ABOVE_ITEMS = 1000;
/** Items are serialised into chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The text of `{"<collection>":[items…],"<collection>_links":links}`, in chunks: byte for byte what
 * JSON.stringify of that object gives, without ever holding more than one chunk of it.
 */
export function* listChunks(collection: string, items: Iterable<object>, links?: readonly object[]): Generator<string> {
  let chunk = `{${JSON.stringify(collection)}:[`;
  let first = true;
  for (const item of items) {
    chunk += (first ? '' : ',') + JSON.stringify(item);
    first = false;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  chunk += ']';
  if (links) chunk += `,${JSON.stringify(`${collection}_links`)}:${JSON.stringify(links)}`;
  yield `${chunk}}`;
}

/** Sends a list in Neutron's envelope: a stream (chunked over HTTP) when it is long, one object otherwise. */
export function sendListBody(reply: FastifyReply, collection: string, items: readonly object[], links?: readonly object[]): FastifyReply {
  if (items.length > STREAM_ABOVE_ITEMS) {
    return reply.type('application/json; charset=utf-8').send(Readable.from(listChunks(collection, items, links), { objectMode: false }));
  }
  const body: Record<string, unknown> = { [collection]: items };
  if (links) body[`${collection}_links`] = links;
  return reply.send(body);
}
