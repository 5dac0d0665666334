// Whether any port uses a group or a network: one indexed row read (limit 1, no child rows), not every such port.
import type { ListFilter, StoreSession } from '../store/index.js';

const EVERY_PROJECT = { projectId: '', admin: true } as const;

async function anyPort(session: StoreSession, filters: readonly ListFilter[], inGroups?: readonly string[]): Promise<boolean> {
  const query = { filters, sorts: [{ key: 'id', dir: 'asc' as const }], limit: 1, reverse: false, fields: ['id'] };
  return (await session.listPortPage(query, EVERY_PROJECT, inGroups)).items.length > 0;
}

export function groupHasPorts(session: StoreSession, groupId: string): Promise<boolean> {
  return anyPort(session, [], [groupId]);
}

export function networkHasPorts(session: StoreSession, networkId: string): Promise<boolean> {
  return anyPort(session, [{ key: 'network_id', values: [networkId] }]);
}
