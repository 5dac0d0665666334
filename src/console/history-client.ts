// The console's calls for history and audit (docs/history.md): one page at a time, newest first.
import type { HistoryEntryWire } from '../contract/index.js';
import { apiRequest } from './api-client.js';

export interface HistoryPage {
  readonly entries: HistoryEntryWire[];
  /** The marker of the next (older) page; null on the last page. */
  readonly next: string | null;
}

const PAGE = 50;

async function pageOf(path: string, collection: 'history' | 'audit', params: URLSearchParams, marker: string | null): Promise<HistoryPage> {
  params.set('limit', String(PAGE));
  if (marker) params.set('marker', marker);
  const body = await apiRequest<Record<string, unknown>>('GET', `${path}?${params.toString()}`);
  const links = body[`${collection}_links`] as { rel: string; href: string }[] | undefined;
  const href = links?.find((l) => l.rel === 'next')?.href;
  return { entries: body[collection] as HistoryEntryWire[], next: href ? new URL(href, 'http://x').searchParams.get('marker') : null };
}

export function groupHistory(groupId: string, marker: string | null): Promise<HistoryPage> {
  return pageOf(`/v2.0/palisade/security-groups/${encodeURIComponent(groupId)}/history`, 'history', new URLSearchParams(), marker);
}

export interface AuditFilters {
  readonly since: string;
  readonly until: string;
  readonly user: string;
  readonly resource: string;
  readonly action: string;
}

export function auditPage(filters: AuditFilters, marker: string | null): Promise<HistoryPage> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== '') params.set(k, v);
  return pageOf('/v2.0/palisade/audit', 'audit', params, marker);
}
