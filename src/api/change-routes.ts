// /v2.0/palisade/changes: the ordered change log agents and replicas follow (docs/change-feed.md).
import type { FastifyInstance } from 'fastify';
import { ForbiddenError, InvalidInputError } from '../domain/index.js';
import type { Services } from '../service/index.js';
import { values } from './list-query.js';
import { query } from './route-helpers.js';
import type { ChangePageWire } from '../contract/index.js';
import { changeToWire } from './wire-mappers.js';

const MAX_LIMIT = 10_000;
const MAX_WAIT_SECONDS = 60;

export function intParam(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) > max) {
    throw InvalidInputError.of('HTTPBadRequest', `Invalid input for ${name}. Reason: '${raw}' must be an integer from 0 to ${max}.`, name);
  }
  return Number(raw);
}

export function registerChangeRoutes(app: FastifyInstance, services: Services): void {
  app.get('/v2.0/palisade/changes', { schema: { tags: ['palisade'], summary: 'Follow the change log (admin)' } }, async (request): Promise<ChangePageWire> => {
    // The log carries every project's objects: only admins (agents, replicas) may read it.
    if (!request.palisade.isAdmin) throw new ForbiddenError('PolicyNotAuthorized', 'Rule:get_changes is disallowed by policy');
    const q = query(request);
    const unknown = Object.keys(q).filter((k) => !['since', 'limit', 'wait'].includes(k));
    if (unknown.length > 0) throw InvalidInputError.of('HTTPBadRequest', `[${unknown.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
    const since = intParam(values(q, 'since')[0], 'since', 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(values(q, 'limit')[0], 'limit', 1000, MAX_LIMIT) || 1000;
    const wait = intParam(values(q, 'wait')[0], 'wait', 0, MAX_WAIT_SECONDS);
    const page = await services.changes.list(since, limit, wait * 1000);
    return { changes: page.changes.map(changeToWire), latest_seq: page.latestSeq };
  });
}
