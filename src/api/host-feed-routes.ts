// /v2.0/palisade/hosts/{host}/state and …/changes: one host's projection and its records (docs/change-feed.md).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, InvalidInputError, type AddressGroup, type HostChange, type HostMember, type Port, type SecurityGroup, type SecurityGroupRule } from '../domain/index.js';
import { parseHost, type Services } from '../service/index.js';
import { HOST_FEED_FORMAT, type HostChangeWire, type HostPageWire, type HostStateWire, type MemberWire } from '../contract/index.js';
import { values } from './list-query.js';
import { intParam } from './change-routes.js';
import { query } from './route-helpers.js';
import { addressGroupToWire, groupToWire, portToWire, ruleToWire } from './wire-mappers.js';

const MAX_LIMIT = 10_000;
const MAX_WAIT_SECONDS = 60;

/** Routes an `agent`-role token may call (request-context-plugin refuses it everything else). */
export const AGENT_ROUTE = { agentAllowed: true } as const;

function memberToWire(m: HostMember): MemberWire {
  return {
    id: m.id, mac_address: m.macAddress, fixed_ips: m.fixedIps.map((ip) => ({ ip_address: ip })),
    allowed_address_pairs: m.allowedAddressPairs.map((a) => ({ ip_address: a.ipAddress, mac_address: a.macAddress })),
    security_groups: [...m.securityGroupIds],
  };
}

function hostChangeToWire(c: HostChange): HostChangeWire {
  const o = c.object;
  const object = o === null ? null
    : c.resource === 'port' ? portToWire(o as Port)
    : c.resource === 'security_group' ? groupToWire(o as SecurityGroup)
    : c.resource === 'security_group_rule' ? ruleToWire(o as SecurityGroupRule, false)
    : c.resource === 'address_group' ? addressGroupToWire(o as AddressGroup)
    : memberToWire(o as HostMember);
  return { seq: c.seq, resource: c.resource, action: c.action, id: c.id, object };
}

/** Admins and agents only; the format, when the reader names one, must be the one this server speaks. */
function checkedHost(request: FastifyRequest, allowed: readonly string[]): string {
  const ctx = request.palisade;
  if (!ctx.isAdmin && !ctx.roles.includes('agent')) throw new ForbiddenError('PolicyNotAuthorized', 'Rule:get_host_feed is disallowed by policy');
  const q = query(request);
  const unknown = Object.keys(q).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw InvalidInputError.of('HTTPBadRequest', `[${unknown.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
  const format = values(q, 'format')[0];
  if (format !== undefined && format !== HOST_FEED_FORMAT) {
    throw InvalidInputError.of('HostFeedFormatUnsupported', `Host feed format '${format}' is not supported; this server speaks '${HOST_FEED_FORMAT}'. Upgrade the agent or the server so that both speak one format.`, 'format');
  }
  return parseHost((request.params as { host: string }).host);
}

export function registerHostFeedRoutes(app: FastifyInstance, services: Services): void {
  const schema = { tags: ['palisade'] };
  app.get('/v2.0/palisade/hosts/:host/state', { config: AGENT_ROUTE, schema: { ...schema, summary: "A host's projection: its ports, their groups and rules, remote members and address groups" } },
    async (request): Promise<HostStateWire> => {
      const host = checkedHost(request, ['format']);
      const { seq, projection: p } = await services.hostFeeds.state(host);
      return {
        format: HOST_FEED_FORMAT, host, seq, ports: [...p.ports.values()].map(portToWire), security_groups: [...p.groups.values()].map((g) => groupToWire(g)),
        security_group_rules: [...p.rules.values()].map((r) => ruleToWire(r, false)), members: [...p.members.values()].map(memberToWire),
        address_groups: [...p.addressGroups.values()].map(addressGroupToWire),
      };
    });
  app.get('/v2.0/palisade/hosts/:host/changes', { config: AGENT_ROUTE, schema: { ...schema, summary: "Follow a host's projection" } },
    async (request): Promise<HostPageWire> => {
      const host = checkedHost(request, ['since', 'limit', 'wait', 'format']);
      const q = query(request);
      const since = intParam(values(q, 'since')[0], 'since', 0, Number.MAX_SAFE_INTEGER);
      const limit = intParam(values(q, 'limit')[0], 'limit', 1000, MAX_LIMIT) || 1000;
      const wait = intParam(values(q, 'wait')[0], 'wait', 0, MAX_WAIT_SECONDS);
      const page = await services.hostFeeds.list(host, since, limit, wait * 1000);
      return { format: HOST_FEED_FORMAT, host, changes: page.changes.map(hostChangeToWire), seq: page.seq, latest_seq: page.latestSeq };
    });
}
