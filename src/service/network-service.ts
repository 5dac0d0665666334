// Use cases of networks and subnets: the minimum that ports need (an L2 segment and its pools).
import {
  addressAt,
  ForbiddenError,
  formatNormalizedCidr,
  InUseError,
  InvalidInputError,
  NotFoundError,
  parseBoolean,
  parseString,
  tryParseCidr,
  tryParseIpAddress,
  formatIpAddress,
  type Network,
  type Subnet,
} from '../domain/index.js';
import type { ListQuery, NetworkListing, Page } from '../store/index.js';
import { assertWritable, readerOf, targetProject, visibleOrNotFound } from './access-policy.js';
import { ensureDefaultGroupIn } from './default-group.js';
import { networkHasPorts } from './port-usage.js';
import { checkQuota } from './quota-service.js';
import type { RequestContext } from './request-context.js';
import type { ServiceDeps } from './service-deps.js';
import { createAll, inTransaction, type UnitOfWork } from './unit-of-work.js';

export interface NetworkDraft {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly adminStateUp?: unknown;
  readonly portSecurityEnabled?: unknown;
  readonly shared?: unknown;
  readonly routerExternal?: unknown;
  readonly projectId?: unknown;
  readonly tenantId?: unknown;
}

export interface SubnetDraft {
  readonly networkId?: unknown;
  readonly cidr?: unknown;
  readonly ipVersion?: unknown;
  readonly name?: unknown;
  readonly description?: unknown;
  readonly gatewayIp?: unknown;
  readonly enableDhcp?: unknown;
  readonly projectId?: unknown;
  readonly tenantId?: unknown;
}

function required(value: unknown, attribute: string): unknown {
  if (value === undefined) {
    throw InvalidInputError.of('HTTPBadRequest', `Failed to parse request. Required attribute '${attribute}' not specified`, attribute);
  }
  return value;
}

/**
 * Refuses a member setting an admin-only attribute (`shared`, `router:external`) with Neutron's wording, the rule it
 * evaluated: on create only values other than the default count, on update every attribute given.
 */
function assertNetworkAttributesAllowed(ctx: RequestContext, action: 'create_network' | 'update_network', set: Record<string, boolean>): void {
  const given = Object.keys(set).filter((attribute) => set[attribute]);
  if (ctx.isAdmin || given.length === 0) return;
  const rule = given.reduce((acc, attribute) => `(${acc} and rule:${action}:${attribute})`, `rule:${action}`);
  throw new ForbiddenError('PolicyNotAuthorized', `${rule} is disallowed by policy`);
}

/** Whether the caller sees the network: its own, a shared or an external one (Neutron's get_network policy). */
export function canSeeNetwork(ctx: RequestContext, network: Network): boolean {
  return ctx.isAdmin || network.projectId === ctx.projectId || network.shared || network.routerExternal;
}

/**
 * The network a port or subnet of `projectId` goes on: 404 when the caller cannot see it; 403 in Neutron's words when it
 * sees it (another project's external network) but may not build on it.
 */
export function usableNetwork(ctx: RequestContext, found: Network | undefined, networkId: string, projectId: string, resource: 'port' | 'subnet'): Network {
  if (!found || !canSeeNetwork(ctx, found)) throw new NotFoundError('NetworkNotFound', `Network ${networkId} could not be found.`);
  if (!ctx.isAdmin && !found.shared && found.projectId !== projectId) {
    throw new ForbiddenError('HTTPForbidden', `Tenant ${projectId} not allowed to create ${resource} on this network`);
  }
  return found;
}

function parseSubnetCidr(draft: SubnetDraft): { cidr: string; version: 4 | 6; gateway: string | null } {
  const raw = required(draft.cidr, 'cidr');
  const cidr = typeof raw === 'string' ? tryParseCidr(raw) : null;
  if (!cidr || !String(raw).includes('/')) {
    throw InvalidInputError.of('HTTPBadRequest', `Invalid input for cidr. Reason: '${String(raw)}' is not a valid IP subnet.`, 'cidr');
  }
  const version = draft.ipVersion === undefined ? cidr.version : Number(draft.ipVersion);
  if (version !== cidr.version) {
    throw InvalidInputError.of('InvalidInput', `Invalid input for operation: Cidr ${String(raw)} does not match ip_version ${String(draft.ipVersion)}.`, 'ip_version');
  }
  let gateway: string | null = null;
  if (draft.gatewayIp === undefined) {
    gateway = formatIpAddress(addressAt(cidr, 1n));
  } else if (draft.gatewayIp !== null) {
    const ip = typeof draft.gatewayIp === 'string' ? tryParseIpAddress(draft.gatewayIp) : null;
    if (!ip || ip.version !== cidr.version) {
      throw InvalidInputError.of('HTTPBadRequest', `Invalid input for gateway_ip. Reason: '${String(draft.gatewayIp)}' is not a valid IP address.`, 'gateway_ip');
    }
    gateway = formatIpAddress(ip);
  }
  return { cidr: formatNormalizedCidr(cidr), version: cidr.version, gateway };
}

export function createNetworkService(deps: ServiceDeps) {
  const networkNotFound = (id: string) => new NotFoundError('NetworkNotFound', `Network ${id} could not be found.`);
  const subnetNotFound = (id: string) => new NotFoundError('SubnetNotFound', `Subnet ${id} could not be found.`);

  async function createNetworkIn(ctx: RequestContext, uow: UnitOfWork, d: NetworkDraft): Promise<Network> {
    const projectId = targetProject(ctx, d.projectId, d.tenantId);
    const shared = d.shared === undefined ? false : parseBoolean(d.shared, 'shared');
    const routerExternal = d.routerExternal === undefined ? false : parseBoolean(d.routerExternal, 'router:external');
    assertNetworkAttributesAllowed(ctx, 'create_network', { shared, 'router:external': routerExternal });
    await ensureDefaultGroupIn(deps, uow, projectId);
    await checkQuota(deps, uow.session, projectId, { network: 1 });
    const network: Network = {
      id: deps.newId(), projectId,
      name: d.name === undefined ? '' : parseString(d.name, 'name'),
      description: d.description === undefined ? '' : parseString(d.description, 'description'),
      adminStateUp: d.adminStateUp === undefined ? true : parseBoolean(d.adminStateUp, 'admin_state_up'),
      portSecurityEnabled: d.portSecurityEnabled === undefined ? true : parseBoolean(d.portSecurityEnabled, 'port_security_enabled'),
      shared, routerExternal, revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at,
    };
    await uow.session.insertNetwork(network);
    await uow.record('network', 'create', network.id, projectId, network);
    return network;
  }

  async function createSubnetIn(ctx: RequestContext, uow: UnitOfWork, d: SubnetDraft): Promise<Subnet> {
    const projectId = targetProject(ctx, d.projectId, d.tenantId);
    const networkId = parseString(required(d.networkId, 'network_id'), 'network_id', 36);
    const { cidr, version, gateway } = parseSubnetCidr(d);
    const [found] = await uow.session.listNetworks({ ids: [networkId] });
    const network = usableNetwork(ctx, found, networkId, projectId, 'subnet');
    assertWritable(ctx, network.projectId);
    await checkQuota(deps, uow.session, projectId, { subnet: 1 });
    const subnet: Subnet = {
      id: deps.newId(), projectId, networkId, ipVersion: version, cidr, gatewayIp: gateway,
      name: d.name === undefined ? '' : parseString(d.name, 'name'),
      description: d.description === undefined ? '' : parseString(d.description, 'description'),
      enableDhcp: d.enableDhcp === undefined ? true : parseBoolean(d.enableDhcp, 'enable_dhcp'),
      revisionNumber: 1, createdAt: uow.at, updatedAt: uow.at,
    };
    await uow.session.insertSubnet(subnet);
    await uow.record('subnet', 'create', subnet.id, projectId, subnet);
    return subnet;
  }

  /** The network, or 404 when the caller cannot see it (one it sees but does not own is then 403 on change). */
  function seenNetwork(ctx: RequestContext, found: Network | undefined, id: string): Network {
    if (!found || !canSeeNetwork(ctx, found)) throw networkNotFound(id);
    return found;
  }

  return {
    /** One page of the networks the caller sees (own, shared, or all for admin), with their subnets' ids. */
    async listNetworks(ctx: RequestContext, query: ListQuery): Promise<Page<NetworkListing>> {
      return deps.store.listNetworkPage(query, readerOf(ctx));
    },

    /** Ids of a visible network's subnets, in creation order. */
    async subnetIdsOf(network: Network): Promise<string[]> {
      return (await deps.store.listSubnets({ networkIds: [network.id] })).map((s) => s.id);
    },

    async getNetwork(ctx: RequestContext, id: string): Promise<Network> {
      return seenNetwork(ctx, (await deps.store.listNetworks({ ids: [id] }))[0], id);
    },

    async createNetwork(ctx: RequestContext, d: NetworkDraft): Promise<Network> {
      return inTransaction(deps, ctx, (uow) => createNetworkIn(ctx, uow, d));
    },

    /** Bulk POST: every network or none. */
    async createNetworks(ctx: RequestContext, drafts: readonly NetworkDraft[]): Promise<Network[]> {
      return createAll(deps, ctx, drafts, (uow, d) => createNetworkIn(ctx, uow, d));
    },

    async updateNetwork(ctx: RequestContext, id: string, d: NetworkDraft): Promise<Network> {
      return inTransaction(deps, ctx, async (uow) => {
        const [found] = await uow.session.listNetworks({ ids: [id] });
        const n = seenNetwork(ctx, found, id);
        assertWritable(ctx, n.projectId);
        const routerExternal = d.routerExternal === undefined ? undefined : parseBoolean(d.routerExternal, 'router:external');
        assertNetworkAttributesAllowed(ctx, 'update_network', { 'router:external': routerExternal !== undefined });
        const next: Network = {
          ...n,
          ...(routerExternal !== undefined && { routerExternal }),
          ...(d.name !== undefined && { name: parseString(d.name, 'name') }),
          ...(d.description !== undefined && { description: parseString(d.description, 'description') }),
          ...(d.adminStateUp !== undefined && { adminStateUp: parseBoolean(d.adminStateUp, 'admin_state_up') }),
          ...(d.portSecurityEnabled !== undefined && { portSecurityEnabled: parseBoolean(d.portSecurityEnabled, 'port_security_enabled') }),
          revisionNumber: n.revisionNumber + 1, updatedAt: uow.at,
        };
        await uow.session.updateNetwork(next);
        await uow.record('network', 'update', id, n.projectId, next);
        return next;
      });
    },

    async deleteNetwork(ctx: RequestContext, id: string): Promise<void> {
      await inTransaction(deps, ctx, async (uow) => {
        const [found] = await uow.session.listNetworks({ ids: [id] });
        const n = seenNetwork(ctx, found, id);
        assertWritable(ctx, n.projectId);
        if (await networkHasPorts(uow.session, id)) {
          throw new InUseError('NetworkInUse', `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`);
        }
        for (const s of await uow.session.listSubnets({ networkIds: [id] })) {
          await uow.session.deleteSubnet(s.id);
          await uow.record('subnet', 'delete', s.id, s.projectId, null);
        }
        await uow.session.deleteNetwork(id);
        await uow.record('network', 'delete', id, n.projectId, null);
      });
    },

    /** One page of the subnets of networks the caller sees. */
    async listSubnets(ctx: RequestContext, query: ListQuery): Promise<Page<Subnet>> {
      return deps.store.listSubnetPage(query, readerOf(ctx));
    },

    async getSubnet(ctx: RequestContext, id: string): Promise<Subnet> {
      const [s] = await deps.store.listSubnets({ ids: [id] });
      if (!s) throw subnetNotFound(id);
      await this.getNetwork(ctx, s.networkId).catch(() => { throw subnetNotFound(id); });
      return s;
    },

    async createSubnet(ctx: RequestContext, d: SubnetDraft): Promise<Subnet> {
      return inTransaction(deps, ctx, (uow) => createSubnetIn(ctx, uow, d));
    },

    /** Bulk POST: every subnet or none. */
    async createSubnets(ctx: RequestContext, drafts: readonly SubnetDraft[]): Promise<Subnet[]> {
      return createAll(deps, ctx, drafts, (uow, d) => createSubnetIn(ctx, uow, d));
    },

    async updateSubnet(ctx: RequestContext, id: string, d: SubnetDraft): Promise<Subnet> {
      return inTransaction(deps, ctx, async (uow) => {
        const [found] = await uow.session.listSubnets({ ids: [id] });
        const s = visibleOrNotFound(ctx, found, 'SubnetNotFound', `Subnet ${id} could not be found.`);
        assertWritable(ctx, s.projectId);
        const next: Subnet = {
          ...s,
          ...(d.name !== undefined && { name: parseString(d.name, 'name') }),
          ...(d.description !== undefined && { description: parseString(d.description, 'description') }),
          ...(d.enableDhcp !== undefined && { enableDhcp: parseBoolean(d.enableDhcp, 'enable_dhcp') }),
          revisionNumber: s.revisionNumber + 1, updatedAt: uow.at,
        };
        await uow.session.updateSubnet(next);
        await uow.record('subnet', 'update', id, s.projectId, next);
        return next;
      });
    },

    async deleteSubnet(ctx: RequestContext, id: string): Promise<void> {
      await inTransaction(deps, ctx, async (uow) => {
        const [found] = await uow.session.listSubnets({ ids: [id] });
        const s = visibleOrNotFound(ctx, found, 'SubnetNotFound', `Subnet ${id} could not be found.`);
        assertWritable(ctx, s.projectId);
        if (await uow.session.subnetHasAllocations(id)) {
          throw new InUseError('SubnetInUse', `Unable to complete operation on subnet ${id}: One or more ports have an IP allocation from this subnet.`);
        }
        await uow.session.deleteSubnet(id);
        await uow.record('subnet', 'delete', id, s.projectId, null);
      });
    },
  };
}

export type NetworkService = ReturnType<typeof createNetworkService>;
