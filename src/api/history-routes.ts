// /v2.0/palisade/security-groups/{id}/history and /v2.0/palisade/audit: the change log as history (docs/history.md).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CHANGE_ACTIONS, CHANGE_RESOURCES, InvalidInputError, type ChangeAction, type ChangeResource, type HistoryEntry, type HistoryPage } from '../domain/index.js';
import type { AuditQuery, Services } from '../service/index.js';
import type { HistoryEntryWire } from '../contract/index.js';
import { values, type Query } from './list-query.js';
import { idParam, query, selfUrl } from './route-helpers.js';
import { historyEntryToWire } from './wire-mappers.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const PAGE_PARAMS = ['limit', 'marker'];
const AUDIT_PARAMS = ['since', 'until', 'user', 'resource', 'action'];

function badInput(name: string, raw: string, reason: string): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', `Invalid input for ${name}. Reason: '${raw}' ${reason}.`, name);
}

function one(q: Query, name: string): string | undefined {
  const all = values(q, name);
  if (all.length > 1) throw badInput(name, all.join(','), 'is given more than once');
  return all[0];
}

function refuseUnknown(q: Query, known: readonly string[]): void {
  const unknown = Object.keys(q).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw InvalidInputError.of('HTTPBadRequest', `[${unknown.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
}

function positive(q: Query, name: string, max: number): number | undefined {
  const raw = one(q, name);
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,16}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw badInput(name, raw, `must be an integer from 1 to ${max}`);
  return Number(raw);
}

function pageOf(q: Query): HistoryPage {
  const marker = positive(q, 'marker', Number.MAX_SAFE_INTEGER);
  return { limit: positive(q, 'limit', MAX_LIMIT) ?? DEFAULT_LIMIT, ...(marker !== undefined && { marker }) };
}

/** ISO 8601 date or date and time (UTC when no zone is given), in the log's own form for comparison. */
function time(q: Query, name: string): string | undefined {
  const raw = one(q, name);
  if (raw === undefined) return undefined;
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(raw) ? raw : `${raw}Z`;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(withZone) : Number.NaN;
  if (Number.isNaN(ms)) throw badInput(name, raw, 'is not an ISO 8601 date or date and time');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function member<T extends string>(q: Query, name: string, allowed: readonly T[]): T | undefined {
  const raw = one(q, name);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw badInput(name, raw, `is not one of ${allowed.join(', ')}`);
  return raw as T;
}

function auditQuery(q: Query): AuditQuery {
  const since = time(q, 'since');
  const until = time(q, 'until');
  const user = one(q, 'user');
  const resource = member<ChangeResource>(q, 'resource', CHANGE_RESOURCES);
  const action = member<ChangeAction>(q, 'action', CHANGE_ACTIONS);
  return {
    ...(since !== undefined && { since }), ...(until !== undefined && { until }), ...(user !== undefined && { user }),
    ...(resource !== undefined && { resource }), ...(action !== undefined && { action }),
  };
}

/** `{collection: [...], collection_links: [next]}`; a full page links to the next one, with the same filters. */
function envelope(request: FastifyRequest, collection: string, entries: readonly HistoryEntry[], page: HistoryPage) {
  const body: Record<string, unknown> = { [collection]: entries.map((e): HistoryEntryWire => historyEntryToWire(e)) };
  const last = entries.at(-1);
  if (entries.length === page.limit && last) {
    const params = new URLSearchParams();
    const q = query(request);
    for (const key of Object.keys(q)) if (key !== 'marker') for (const value of values(q, key)) params.append(key, value);
    params.set('limit', String(page.limit));
    params.set('marker', String(last.seq));
    body[`${collection}_links`] = [{ rel: 'next', href: `${selfUrl(request)}?${params.toString()}` }];
  }
  return body;
}

export function registerHistoryRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['palisade'];
  app.get('/v2.0/palisade/security-groups/:id/history', { schema: { tags, summary: "A group's history: its records and its rules', newest first" } }, async (request) => {
    const q = query(request);
    refuseUnknown(q, PAGE_PARAMS);
    const page = pageOf(q);
    return envelope(request, 'history', await services.history.groupHistory(request.palisade, idParam(request), page), page);
  });
  app.get('/v2.0/palisade/audit', { schema: { tags, summary: 'Who changed what: the audit (admins: all; members: their project)' } }, async (request) => {
    const q = query(request);
    refuseUnknown(q, [...PAGE_PARAMS, ...AUDIT_PARAMS]);
    const page = pageOf(q);
    return envelope(request, 'audit', await services.history.audit(request.palisade, auditQuery(q), page), page);
  });
}
